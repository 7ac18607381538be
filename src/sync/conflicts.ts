import { readVerifiedRecord, type VerifiedRead } from '../journal/index.js';
import type { Db } from '../store/db.js';
import { ConflictReads, type SaleRow } from '../store/conflict-reads.js';
import {
  DocCache,
  customerFindings,
  itemFindings,
  priceFindings,
  ruleFindings,
  taxFindings,
  type Finding,
} from './conflicts-checks.js';
import { newRuleFindings } from './conflicts-new-rules.js';
import { postedAt, saleInvoice, saleStamp } from './conflicts-sale.js';

/**
 * `outpost conflicts`: what changed in ERPNext since each sale was priced, per the standard
 * operating procedure — the sale stands as printed, a manager reviews the differences. Computed
 * on demand from the signed journal (the value at sale, each record verified before it is read)
 * and the pulled store (the value now); nothing is written.
 */
export interface Conflict {
  readonly invoice_no: string;
  readonly uuid: string;
  /** The sale's posting date and time, in the site's zone (as ERPNext shows it). */
  readonly posted_at: string;
  readonly kind: Finding['kind'] | 'totals';
  readonly item_code: string | null;
  /** The ERPNext document that differs (for `totals`, the pushed invoice). */
  readonly doctype: string;
  readonly name: string;
  readonly at_sale: string | null;
  readonly now: string;
  readonly message: string;
}

export interface ConflictQuery {
  /** Sales recorded on or after this date (YYYY-MM-DD, UTC). */
  readonly since: string;
  /** The terminal's registered keys and id, to verify each record read. */
  readonly journal: VerifiedRead;
}

const CHECKS = [
  priceFindings,
  ruleFindings,
  newRuleFindings,
  itemFindings,
  customerFindings,
  taxFindings,
] as const;

/** Every conflict of the sales since `since`, by sale, then kind in a fixed order. */
export function findConflicts(db: Db, query: ConflictQuery): Conflict[] {
  const reads = new ConflictReads(db);
  const docs = new DocCache(reads);
  const bySeq = new Map<number, SaleRow>();
  for (const s of reads.salesSince(query.since)) bySeq.set(s.seq, s);
  for (const s of reads.totalsConflictedSince(query.since)) bySeq.set(s.seq, s);
  const out: Conflict[] = [];
  // One read transaction: the report sees one snapshot even while a pull publishes another.
  db.transaction(() => {
    for (const sale of [...bySeq.values()].sort((a, b) => a.seq - b.seq)) {
      const record = readVerifiedRecord(db, sale.seq, query.journal);
      const { invoice: inv, issued_at } = saleInvoice(record.body, sale.seq);
      const head = { invoice_no: sale.invoice_no, uuid: sale.uuid, posted_at: postedAt(inv) };
      if (record.header.type === 'sale') {
        const s = { inv, stamp: saleStamp(record.header.time, issued_at, inv) };
        for (const check of CHECKS) for (const f of check(s, docs)) out.push({ ...head, ...f });
      }
      for (const t of reads.totals(sale.uuid)) {
        out.push({
          ...head,
          kind: 'totals',
          item_code: null,
          doctype: t.remote_doctype,
          name: t.remote_name,
          at_sale: t.signed,
          now: t.erpnext,
          message: `ERPNext's ${t.field} on ${t.remote_doctype} ${t.remote_name} is ${t.erpnext}; the signed receipt says ${t.signed}`,
        });
      }
    }
  })();
  return out;
}
