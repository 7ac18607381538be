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
  const ref = scannedInvoiceNo(receipt);
  const here = term.stmt('SELECT 1 FROM sale WHERE invoice_no = ?').pluck().get(ref);
  // A check code names a place in one of this store's chains (`T1/9/…`): the journal answers,
  // verified; another store's code cannot be told from ours by its terminal name alone.
  if (here !== undefined || parseReceiptCode(receipt.trim()) !== null) {
    return { here: true, invoiceNo: invoiceFromScan(term, receipt) };
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
