import type { ErpClient } from '../erpnext/client.js';
import { UnreachableError } from '../erpnext/errors.js';
import type { PostingMode } from '../erpnext/push-invoice.js';
import {
  PosError,
  forcedOfflineUntil,
  invoiceFromScan,
  returnAgainstRemote,
  returnSale,
  scannedInvoiceNo,
  type Cashier,
  type RemoteReturnResult,
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

/**
 * A return against any receipt: one of this store (any of its terminals) from the journal, as
 * before; another store's from ERPNext while it answers (src/sync/remote-original.ts, then
 * pos/remote-return.ts). Offline the other store's sale cannot be checked: refused.
 */
export async function returnAnywhere(
  term: Terminal,
  erp: ErpClient,
  mode: PostingMode,
  input: AnyReturnInput,
): Promise<ReturnResult | RemoteReturnResult> {
  const ref = scannedInvoiceNo(input.receipt);
  const here = term.stmt('SELECT 1 FROM sale WHERE invoice_no = ?').pluck().get(ref);
  const items = input.items ?? [];
  // A check code names a place in one of this store's chains (`T1/9/…`): the journal answers,
  // verified; another store's code cannot be told from ours by its terminal name alone.
  if (here !== undefined || parseReceiptCode(input.receipt.trim()) !== null) {
    return returnSale(term, {
      cashier: input.cashier,
      invoiceNo: invoiceFromScan(term, input.receipt),
      items,
    });
  }
  const offline = (why: string) =>
    new PosError(
      'ReturnRefused',
      `invoice: ${ref} is not a sale of this store, and ${why}: a return against another store's receipt needs ERPNext to check the original; make it once ERPNext answers`,
      'invoice',
    );
  const forced = forcedOfflineUntil(term);
  if (forced !== null && forced > Date.now()) {
    throw offline(`the till is forced offline until ${new Date(forced).toISOString()}`);
  }
  let found;
  try {
    found = await findRemoteOriginal(erp, mode, ref);
  } catch (e) {
    if (e instanceof UnreachableError) throw offline(`ERPNext does not answer (${e.message})`);
    throw e;
  }
  if (!found.found) {
    throw new PosError(
      'NotFound',
      `invoice: no sale ${ref} in this store; ${found.reason}`,
      'invoice',
    );
  }
  return returnAgainstRemote(term, { cashier: input.cashier, original: found.original, items });
}
