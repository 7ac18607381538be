import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import { readRecord, sha256Hex } from '../journal/index.js';
import type { Db } from './db.js';

/** A pushed sale, return or void whose loyalty effect a pull has not yet taken in. */
export interface DueDocument {
  readonly uuid: string;
  readonly seq: number;
  readonly kind: 'sale' | 'return' | 'void';
  readonly invoice_no: string | null;
  readonly against: string | null;
}

/** An ERPNext invoice, as the push recorded it (push_job.remote_doctype / remote_name). */
export interface RemoteInvoice {
  readonly doctype: string;
  readonly name: string;
}

const LPE = 'Loyalty Point Entry';

/** The loyalty part of a signed sale, return or void body (src/pos/bodies.ts writes it). */
const signedLoyaltySchema = z.object({
  loyalty: z
    .object({
      points_earned: z.number().int().optional(),
      points_redeemed: z.number().int().optional(),
      points_reversed: z.number().int().optional(),
    })
    .optional(),
});
const entrySchema = z.object({
  invoice_type: z.string().nullish(),
  invoice: z.string().nullish(),
  loyalty_points: z.number().int(),
});

/**
 * The store side of loyalty reconciliation: which pushed documents are due, their pending rows,
 * ERPNext's entries as pulled, and the points each signed record promises.
 */
export class LoyaltyBook {
  constructor(private readonly db: Db) {}

  /** Pushed (done) sales, returns and voids not yet settled, in journal order. */
  due(): DueDocument[] {
    return this.db
      .prepare(
        `SELECT s.uuid, s.seq, s.kind, s.invoice_no, s.against
         FROM sale s JOIN push_job j ON j.uuid = s.uuid
         LEFT JOIN loyalty_settled l ON l.uuid = s.uuid
         WHERE j.state = 'done' AND l.uuid IS NULL AND s.kind IN ('sale', 'return', 'void')
         ORDER BY s.seq`,
      )
      .all() as DueDocument[];
  }

  /** ERPNext's invoice for the sale with this receipt number, once pushed. */
  remoteOfSale(invoiceNo: string): (RemoteInvoice & { uuid: string }) | null {
    const r = this.db
      .prepare(
        `SELECT s.uuid, j.remote_doctype AS doctype, j.remote_name AS name
         FROM sale s JOIN push_job j ON j.uuid = s.uuid
         WHERE s.invoice_no = ? AND s.kind = 'sale' AND j.remote_name != ''`,
      )
      .get(invoiceNo) as (RemoteInvoice & { uuid: string }) | undefined;
    return r ?? null;
  }

  /** The receipt number of the sale that became this ERPNext invoice, if it is one of ours. */
  saleOfRemote(inv: RemoteInvoice): string | null {
    const r = this.db
      .prepare(
        `SELECT s.invoice_no FROM push_job j JOIN sale s ON s.uuid = j.uuid
         WHERE j.remote_name = ? AND j.remote_doctype = ? AND s.kind = 'sale'`,
      )
      .pluck()
      .get(inv.name, inv.doctype) as string | undefined;
    return r ?? null;
  }

  isSettled(uuid: string): boolean {
    return this.db.prepare('SELECT 1 FROM loyalty_settled WHERE uuid = ?').get(uuid) !== undefined;
  }

  /** Names of the pulled entries of one ERPNext invoice. */
  storedEntryNames(inv: RemoteInvoice): string[] {
    return this.db
      .prepare(
        `SELECT name FROM doc WHERE doctype = '${LPE}'
         AND json_extract(data, '$.invoice_type') = ? AND json_extract(data, '$.invoice') = ?`,
      )
      .pluck()
      .all(inv.doctype, inv.name) as string[];
  }

  /** ERPNext invoices named by entries the running pull staged (read before publishing). */
  stagedInvoices(): RemoteInvoice[] {
    return this.db
      .prepare(
        `SELECT DISTINCT json_extract(data, '$.invoice_type') AS doctype,
           json_extract(data, '$.invoice') AS name
         FROM doc_stage WHERE doctype = '${LPE}' AND data IS NOT NULL
           AND json_extract(data, '$.invoice') IS NOT NULL`,
      )
      .all() as RemoteInvoice[];
  }

  /** The points ERPNext holds for one invoice: the sum of its pulled entries. */
  erpnextPoints(inv: RemoteInvoice): number {
    let sum = 0;
    const rows = this.db
      .prepare(
        `SELECT name, data FROM doc WHERE doctype = '${LPE}'
         AND json_extract(data, '$.invoice_type') = ? AND json_extract(data, '$.invoice') = ?`,
      )
      .all(inv.doctype, inv.name) as { name: string; data: string }[];
    for (const r of rows) {
      sum += parseJsonWith(entrySchema, r.data, `store ${LPE} ${r.name}`).loyalty_points;
    }
    return sum;
  }

  /** Drops the pending rows the given documents wrote, and marks them settled. */
  settle(docs: readonly DueDocument[], at: string): void {
    const drop = this.db.prepare('DELETE FROM loyalty_pending WHERE seq = ?');
    const mark = this.db.prepare(
      'INSERT OR IGNORE INTO loyalty_settled (uuid, settled_at) VALUES (?, ?)',
    );
    for (const d of docs) {
      drop.run(d.seq);
      mark.run(d.uuid, at);
    }
  }

  /** The returns and voids of a sale, with whether each is settled. */
  reversalsOf(invoiceNo: string): { seq: number; settled: boolean }[] {
    return (
      this.db
        .prepare(
          `SELECT s.seq, l.uuid IS NOT NULL AS settled FROM sale s
           LEFT JOIN loyalty_settled l ON l.uuid = s.uuid
           WHERE s.against = ? AND s.kind IN ('return', 'void') ORDER BY s.seq`,
        )
        .all(invoiceNo) as { seq: number; settled: number }[]
    ).map((r) => ({ seq: r.seq, settled: r.settled === 1 }));
  }

  /**
   * The signed loyalty of the record at `seq`, or null when its body does not match the hash
   * in its header. The signature is not checked here (the pull holds no terminal keys): this
   * feeds a report, and `outpost verify` / `outpost audit` check signatures.
   */
  signedLoyalty(seq: number): { earned: number; redeemed: number; reversed: number } | null {
    const rec = readRecord(this.db, seq);
    if (!rec || sha256Hex(rec.bodyText) !== rec.header.body_hash) return null;
    const l = parseJsonWith(signedLoyaltySchema, rec.bodyText, `journal seq ${seq} body`).loyalty;
    return {
      earned: l?.points_earned ?? 0,
      redeemed: l?.points_redeemed ?? 0,
      reversed: l?.points_reversed ?? 0,
    };
  }
}
