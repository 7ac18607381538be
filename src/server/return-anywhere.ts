import type { ErpClient } from '../erpnext/client.js';
import { UnreachableError } from '../erpnext/errors.js';
import type { PostingMode } from '../erpnext/push-invoice.js';
import {
  PosError,
  codeInJournal,
  forcedOfflineUntil,
  invoiceFromScan,
  returnAgainstRemote,
  returnSale,
  scannedInvoiceNo,
  type Cashier,
  type RemoteReturnResult,
  type RemoteSale,
  type ReturnResult,
  type Terminal,
} from '../pos/index.js';
import { parseReceiptCode } from '../journal/index.js';
import { findRemoteOriginal } from '../sync/remote-original.js';

export interface AnyReturnInput {
  readonly cashier: Cashier;
  /** The receipt number typed, or its QR scanned. */
  readonly receipt: string;
  readonly items?: readonly { readonly item_code: string; readonly qty: string }[];
}

/** Where a scanned or typed receipt's sale is: this store's journal, or ERPNext. */
export type OriginalOf =
  | { readonly here: true; readonly invoiceNo: string }
  | { readonly here: false; readonly original: RemoteSale };

/**
 * Finds the sale a receipt names: one of this store (any of its terminals) in the journal; another
 * store's in ERPNext while it answers (src/sync/remote-original.ts). Offline another store's sale
 * cannot be checked: refused.
 */
export async function findOriginal(
  term: Terminal,
  erp: ErpClient,
  mode: PostingMode,
  receipt: string,
): Promise<OriginalOf> {
  const code = parseReceiptCode(receipt.trim());
  const ref = code ? `${code.terminal}/${code.seq}/${code.code}` : scannedInvoiceNo(receipt);
  // A check code (`T1/9/…`) of a record of this store's journal is answered by the journal,
  // verified; one naming no record here is another store's (every store may have a T1), or
  // none: ERPNext holds each pushed sale's terminal, seq and record hash.
  const where = code ? codeInJournal(term, code) : null;
  const here =
    code !== null
      ? where === 'here'
      : term.stmt('SELECT 1 FROM sale WHERE invoice_no = ?').pluck().get(ref) !== undefined;
  if (here) return { here: true, invoiceNo: invoiceFromScan(term, receipt) };
  const notHere =
    code === null
      ? `${ref} is not a sale of this store`
      : where === 'other'
        ? `the check code ${ref} does not match this store's record ${code.terminal}/${code.seq}`
        : `this store's journal has no record ${code.terminal}/${code.seq}`;
  const offline = (why: string) =>
    new PosError(
      'ReturnRefused',
      `invoice: ${notHere}, and ${why}: a return against another store's receipt needs ERPNext to check the original; make it once ERPNext answers`,
      'invoice',
    );
  const forced = forcedOfflineUntil(term);
  if (forced !== null && forced > Date.now()) {
    throw offline(`the till is forced offline until ${new Date(forced).toISOString()}`);
  }
  let found;
  try {
    found = await findRemoteOriginal(erp, mode, code ?? ref);
  } catch (e) {
    if (e instanceof UnreachableError) throw offline(`ERPNext does not answer (${e.message})`);
    throw e;
  }
  if (!found.found) {
    throw new PosError(
      'NotFound',
      code === null
        ? `invoice: no sale ${ref} in this store; ${found.reason}`
        : `invoice: ${notHere}; ${found.reason}`,
      'invoice',
    );
  }
  return { here: false, original: found.original };
}

/**
 * A return against any receipt: one of this store from the journal, as before; another store's
 * from ERPNext while it answers (`findOriginal`, then pos/remote-return.ts).
 */
export async function returnAnywhere(
  term: Terminal,
  erp: ErpClient,
  mode: PostingMode,
  input: AnyReturnInput,
): Promise<ReturnResult | RemoteReturnResult> {
  const items = input.items ?? [];
  const found = await findOriginal(term, erp, mode, input.receipt);
  return found.here
    ? returnSale(term, { cashier: input.cashier, invoiceNo: found.invoiceNo, items })
    : returnAgainstRemote(term, { cashier: input.cashier, original: found.original, items });
}
