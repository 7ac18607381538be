import type { Db } from './db.js';

/**
 * The review queue's SQL: documents ERPNext refused (push_review, migration 3) and customers it
 * refused (customer_local in state review, migration 4), read as one list, and closed by a
 * manager (src/pos/review.ts journals the decision in the same transaction).
 */

/** One thing waiting for a person. Documents are numbered by push_review.id, customers "C<n>". */
export interface ReviewItem {
  readonly id: string;
  readonly kind: 'document' | 'customer';
  readonly doctype: string;
  readonly invoice_no: string | null;
  readonly uuid: string;
  /** The journal record it was built from. */
  readonly seq: number;
  readonly http_status: number | null;
  readonly exc_type: string;
  /** ERPNext's own words (or the till's, for a record that did not verify). */
  readonly message: string;
  /** The classifier's plain reason, where it was kept (documents); null for customers. */
  readonly reason: string | null;
  /** When it went to review; null where the store does not keep it (customers). */
  readonly since: string | null;
  readonly attempts: number;
}

/** The doctype: ERPNext's where a draft got that far, else the one the till queued. */
interface DocRow {
  id: number;
  doctype: string;
  invoice_no: string | null;
  uuid: string;
  seq: number;
  http_status: number;
  exc_type: string;
  message: string;
  reason: string;
  created_at: string;
  attempts: number;
}

interface CustomerRow {
  rowid: number;
  uuid: string;
  seq: number;
  last_error: string;
  attempts: number;
  customer_name: string;
}

const DOC_SELECT = `SELECT r.id, coalesce(nullif(j.remote_doctype, ''), o.doctype) AS doctype, o.invoice_no, r.uuid, o.seq, r.http_status, r.exc_type,
  r.message, r.reason, r.created_at, j.attempts
  FROM push_review r JOIN outbox o ON o.uuid = r.uuid JOIN push_job j ON j.uuid = r.uuid
  WHERE r.status = 'open'`;

const CUSTOMER_SELECT = `SELECT rowid, uuid, seq, last_error, attempts, customer_name
  FROM customer_local WHERE state = 'review'`;

/** "LinkValidationError (417): Could not find …", as pushCustomers keeps ERPNext's refusal. */
const KEPT = /^(\w+) \((\d{3})\): ([\s\S]*)$/;

const docItem = (r: DocRow): ReviewItem => ({
  id: String(r.id),
  kind: 'document',
  doctype: r.doctype,
  invoice_no: r.invoice_no,
  uuid: r.uuid,
  seq: r.seq,
  http_status: r.http_status === 0 ? null : r.http_status,
  exc_type: r.exc_type,
  message: r.message,
  reason: r.reason,
  since: r.created_at,
  attempts: r.attempts,
});

function customerItem(r: CustomerRow): ReviewItem {
  const m = KEPT.exec(r.last_error);
  return {
    id: `C${r.rowid}`,
    kind: 'customer',
    doctype: 'Customer',
    invoice_no: null,
    uuid: r.uuid,
    seq: r.seq,
    http_status: m ? Number(m[2]) : null,
    exc_type: m?.[1] ?? 'JournalRecord',
    message: m?.[3] ?? r.last_error,
    reason: null,
    since: null,
    attempts: r.attempts,
  };
}

/** Everything in review, documents in journal order, then customers in creation order. */
export function reviewItems(db: Db): ReviewItem[] {
  const docs = (db.prepare(`${DOC_SELECT} ORDER BY o.seq`).all() as DocRow[]).map(docItem);
  const customers = (db.prepare(`${CUSTOMER_SELECT} ORDER BY seq`).all() as CustomerRow[]).map(
    customerItem,
  );
  return [...docs, ...customers];
}

/** One open review item by its id ("7" or "C3"); undefined when there is none open. */
export function reviewItem(db: Db, id: string): ReviewItem | undefined {
  const customer = /^C(\d+)$/i.exec(id);
  if (customer) {
    const r = db.prepare(`${CUSTOMER_SELECT} AND rowid = ?`).get(Number(customer[1])) as
      CustomerRow | undefined;
    return r ? customerItem(r) : undefined;
  }
  if (!/^\d+$/.test(id)) return undefined;
  const r = db.prepare(`${DOC_SELECT} AND r.id = ?`).get(Number(id)) as DocRow | undefined;
  return r ? docItem(r) : undefined;
}

export interface Closing {
  readonly at: string;
  readonly by: string;
  readonly note: string;
  /** The journal record of the decision. */
  readonly eventSeq: number;
}

/**
 * A manager's decision on a refused document, inside the caller's transaction:
 * - `retried`: back in the stream as it stood (a draft ERPNext holds is submitted, not
 *   inserted again; attempts > 0 makes the push look the uuid up first);
 * - `resolved`: settled outside Outpost, never pushed; what depends on it then goes to review
 *   itself (a return or void of it), or proceeds without it (the shift's closing).
 * Throws when the item is not open (closed meanwhile by another command).
 */
export function closeDocumentReview(
  db: Db,
  id: number,
  how: 'retried' | 'resolved',
  c: Closing,
): void {
  const uuid = db
    .prepare(
      `UPDATE push_review SET status = ?, closed_at = ?, closed_by = ?, note = ?, event_seq = ?
       WHERE id = ? AND status = 'open' RETURNING uuid`,
    )
    .pluck()
    .get(how, c.at, c.by, c.note, c.eventSeq, id) as string | undefined;
  if (uuid === undefined) throw new Error(`push_review ${id} is not open`);
  db.prepare(
    `UPDATE push_job SET state = ?, next_at = 0, updated_at = ? WHERE uuid = ? AND state = 'review'`,
  ).run(how === 'retried' ? 'pending' : 'resolved', c.at, uuid);
  if (how === 'retried') {
    db.prepare("UPDATE outbox SET state = 'pending' WHERE uuid = ?").run(uuid);
  }
}
