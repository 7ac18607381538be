import { FrappeError, UnreachableError } from '../../erpnext/errors.js';

/**
 * What a failed request means for the work:
 * - `retryable`: the link or the server's moment (network, timeout, 5xx, 429, a lock wait, a
 *   concurrent edit): the same request later may succeed.
 * - `rejected`: ERPNext looked at the document and said no (validation, permission): retrying
 *   the same document is pointless until someone acts, so it goes to the review queue.
 */
export type Verdict =
  | { readonly kind: 'retryable'; readonly message: string; readonly retryAfterMs?: number }
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly excType: string;
      readonly message: string;
      readonly reason: string;
    };

/** 417s that are about the moment, not the document (Frappe raises them on lock contention). */
const TRANSIENT_417 = new Set([
  'TimestampMismatchError',
  'QueryDeadlockError',
  'QueryTimeoutError',
  'LockWaitTimeoutError',
  'DocumentLockedError',
]);

export function classify(e: unknown): Verdict {
  if (e instanceof UnreachableError) return { kind: 'retryable', message: e.message };
  if (e instanceof FrappeError) {
    const retry = (m: string): Verdict => ({
      kind: 'retryable',
      message: m,
      ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
    });
    if (e.excType === 'InvalidResponse')
      return retry(`ERPNext's answer was cut or garbled: ${e.message}`);
    // 409: Frappe's DuplicateEntryError, a name taken by a concurrent insert between ERPNext's
    // choosing it and saving it: the next try chooses again.
    if (e.status >= 500 || e.status === 429 || e.status === 408 || e.status === 409) {
      return retry(`ERPNext answered ${e.status} ${e.excType}: ${e.message}`);
    }
    // Bad credentials stop all work alike: nothing to review per document.
    if (e.status === 401) return retry(`ERPNext refused the API credentials: ${e.message}`);
    if (TRANSIENT_417.has(e.excType)) return retry(`${e.excType}: ${e.message}`);
    return {
      kind: 'rejected',
      status: e.status,
      excType: e.excType,
      message: e.message,
      reason: plainReason(e.status, e.excType, e.message),
    };
  }
  if (e instanceof EntryError) {
    return {
      kind: 'rejected',
      status: 0,
      excType: 'JournalRecord',
      message: e.message,
      reason:
        'the till could not build this document: its journal record did not verify or is malformed (run `outpost verify`)',
    };
  }
  // Anything else is a fault of this process, not of the document: it stops the push.
  throw e;
}

/** The outbox row's journal record could not be read back verified: this row only. */
export class EntryError extends Error {
  override readonly name = 'EntryError';
}

const REASONS: readonly (readonly [RegExp, string])[] = [
  [
    /stock quantity not enough|is not available|NegativeStock|insufficient stock|not enough stock/i,
    'ERPNext does not hold enough stock of an item of this sale: receive or transfer the stock in ERPNext, then retry',
  ],
  [
    // delete_loyalty_point_entry (sales_invoice.py), on a return's or a cancel's submit: the
    // entry this sale earned is the redeem_against of later redemptions.
    /can't be cancelled since the Loyalty Points earned has been redeemed/i,
    'the points this sale earned have since been spent (ERPNext names the invoices that spent them), and ERPNext refuses to return or cancel it while they stand: cancel those invoices first, or post this return by hand in ERPNext without reversing the points, then resolve it here',
  ],
  [
    /loyalty point/i,
    "the customer's loyalty points were spent elsewhere before this sale reached ERPNext",
  ],
  [/disabled/i, 'an item, customer or price list of this sale is disabled in ERPNext'],
  [
    /could not find customer group/i,
    'the customer group this customer was created in does not exist in ERPNext (any more)',
  ],
  [
    /could not find customer|customer.*(not found|does not exist)/i,
    'the customer of this sale does not exist in ERPNext',
  ],
  [
    /could not find item|item.*(not found|does not exist)/i,
    'an item of this sale does not exist in ERPNext',
  ],
  [
    /accounting period|closed|frozen|fiscal year/i,
    "the sale's date falls in a period ERPNext has closed: reopen it or post the sale by hand",
  ],
  [/opening entry/i, 'ERPNext has no open POS Opening Entry for this till'],
];

/** ERPNext's refusal in plain words, for the review queue (cashier and manager facing). */
export function plainReason(status: number, excType: string, message: string): string {
  if (status === 403 || excType === 'PermissionError') {
    return 'the API user is not permitted to do this in ERPNext: give it the role ERPNext names';
  }
  for (const [re, reason] of REASONS) if (re.test(`${excType} ${message}`)) return reason;
  if (status === 404) return 'a document this one refers to is missing in ERPNext';
  return 'ERPNext refused the document; read its message';
}

/** The uuid is already in ERPNext: a second insert of the same sale (the idempotency key). */
export const isDuplicateUuid = (e: unknown): boolean =>
  e instanceof FrappeError && e.status === 417 && e.excType === 'UniqueValidationError';
