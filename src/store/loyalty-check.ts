import type { Db } from './db.js';
import { LoyaltyBook, type DueDocument, type RemoteInvoice } from './loyalty.js';

/** The push_conflict field a loyalty difference is kept under (one per sale). */
export const LOYALTY_FIELD = 'loyalty_points';
/** What `signed` holds when the sale's record (or a return's) fails its hash check. */
const UNREADABLE = 'unreadable';

export interface LoyaltyMismatch {
  readonly invoice_no: string;
  readonly uuid: string;
  /** ERPNext's invoice the entries hang on (doctype and name). */
  readonly erpnext_invoice: string;
  readonly erpnext_doctype: string;
  /** Earned − redeemed + what its returns and voids reversed, as signed; null if unreadable. */
  readonly signed_points: number | null;
  readonly erpnext_points: number;
  readonly message: string;
}

/**
 * Compares ERPNext's points with the signed ones for the sales this pull may have changed,
 * and keeps the differences in push_conflict (field `loyalty_points`); a sale that now agrees
 * loses its row. Run inside the publishing transaction, after the pending rows were settled.
 *
 * In ERPNext every entry of a sale hangs on the sale's invoice: its earn entry, its
 * redemptions (negative, with redeem_against), and after a return or a void the original's
 * entries deleted and the earn entry made again (sales_invoice.py / pos_invoice.py on_submit:
 * delete_loyalty_point_entry then make_loyalty_point_entry; on_cancel deletes them). So
 * ERPNext's sum for the invoice must equal earned − redeemed + the points_reversed of every
 * return and void against it. A sale with a return or void not settled yet is skipped: the
 * store may hold ERPNext's entries from before or after it.
 */
export function checkLoyalty(db: Db, candidates: Iterable<string>, at: string): void {
  const book = new LoyaltyBook(db);
  const upsert = db.prepare(
    `INSERT INTO push_conflict (uuid, remote_doctype, remote_name, field, signed, erpnext, found_at)
     VALUES (?, ?, ?, '${LOYALTY_FIELD}', ?, ?, ?)
     ON CONFLICT (uuid, field) DO UPDATE SET signed = excluded.signed,
       erpnext = excluded.erpnext, remote_doctype = excluded.remote_doctype,
       remote_name = excluded.remote_name, found_at = excluded.found_at
     WHERE push_conflict.signed != excluded.signed OR push_conflict.erpnext != excluded.erpnext`,
  );
  const clear = db.prepare(
    `DELETE FROM push_conflict WHERE uuid = ? AND field = '${LOYALTY_FIELD}'`,
  );
  for (const invoiceNo of new Set(candidates)) {
    const remote = book.remoteOfSale(invoiceNo);
    if (!remote || !book.isSettled(remote.uuid)) continue;
    const reversals = book.reversalsOf(invoiceNo);
    if (reversals.some((r) => !r.settled)) continue;
    const sale = db.prepare('SELECT seq FROM sale WHERE uuid = ?').pluck().get(remote.uuid);
    const signed = [sale as number, ...reversals.map((r) => r.seq)].map((s) =>
      book.signedLoyalty(s),
    );
    const expected = signed.every((s) => s !== null)
      ? signed.reduce((sum, s) => sum + s.earned - s.redeemed + s.reversed, 0)
      : null;
    const actual = book.erpnextPoints(remote);
    if (expected === actual) clear.run(remote.uuid);
    else upsert.run(remote.uuid, remote.doctype, remote.name, expected ?? UNREADABLE, actual, at);
  }
}

/** The sales whose points to compare after settling `due` and publishing `staged` entries. */
export function loyaltyCandidates(
  db: Db,
  due: readonly DueDocument[],
  staged: readonly RemoteInvoice[],
): string[] {
  const book = new LoyaltyBook(db);
  const out: string[] = [];
  for (const d of due) {
    const no = d.kind === 'sale' ? d.invoice_no : d.against;
    if (no) out.push(no);
  }
  for (const inv of staged) {
    const no = book.saleOfRemote(inv);
    if (no) out.push(no);
  }
  // Known differences are looked at again: ERPNext's deletions reach the store only through
  // the re-read of a rewritten invoice, so a row can also come to agree that way.
  out.push(
    ...(db
      .prepare(
        `SELECT s.invoice_no FROM push_conflict c JOIN sale s ON s.uuid = c.uuid
         WHERE c.field = '${LOYALTY_FIELD}' AND s.invoice_no IS NOT NULL`,
      )
      .pluck()
      .all() as string[]),
  );
  return out;
}

/** Every loyalty difference the last pulls found, in journal order. */
export function loyaltyMismatches(db: Db): LoyaltyMismatch[] {
  const rows = db
    .prepare(
      `SELECT s.invoice_no, c.uuid, c.remote_doctype, c.remote_name, c.signed, c.erpnext
       FROM push_conflict c JOIN sale s ON s.uuid = c.uuid
       WHERE c.field = '${LOYALTY_FIELD}' ORDER BY s.seq`,
    )
    .all() as {
    invoice_no: string;
    uuid: string;
    remote_doctype: string;
    remote_name: string;
    signed: string;
    erpnext: string;
  }[];
  return rows.map((r) => {
    const signed = r.signed === UNREADABLE ? null : Number(r.signed);
    const erpnext = Number(r.erpnext);
    return {
      invoice_no: r.invoice_no,
      uuid: r.uuid,
      erpnext_invoice: r.remote_name,
      erpnext_doctype: r.remote_doctype,
      signed_points: signed,
      erpnext_points: erpnext,
      message:
        signed === null
          ? `receipt ${r.invoice_no}: its signed record (or a return's) fails its hash check; ERPNext's ${r.remote_doctype} ${r.remote_name} holds ${erpnext} points`
          : `receipt ${r.invoice_no}: the signed receipts give ${signed} points, ERPNext's Loyalty Point Entries for ${r.remote_doctype} ${r.remote_name} sum to ${erpnext} (${erpnext - signed > 0 ? '+' : ''}${erpnext - signed})`,
    };
  });
}
