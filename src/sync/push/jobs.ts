import { z } from 'zod';
import { parseJsonWith } from '../../core/index.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/db.js';

export type JobState = 'pending' | 'draft' | 'queued' | 'done' | 'review' | 'resolved';

export interface Job {
  readonly uuid: string;
  readonly seq: number;
  readonly doctype: string;
  readonly state: JobState;
  readonly remoteDoctype: string;
  readonly remoteName: string;
  readonly remoteRows: readonly string[];
  readonly attempts: number;
  readonly nextAt: number;
  readonly lastError: string;
}

interface JobRow {
  uuid: string;
  seq: number;
  doctype: string;
  state: JobState;
  remote_doctype: string;
  remote_name: string;
  remote_rows: string;
  attempts: number;
  next_at: number;
  last_error: string;
}

const rowsSchema = z.array(z.string());

const toJob = (r: JobRow): Job => ({
  uuid: r.uuid,
  seq: r.seq,
  doctype: r.doctype,
  state: r.state,
  remoteDoctype: r.remote_doctype,
  remoteName: r.remote_name,
  remoteRows: parseJsonWith(rowsSchema, r.remote_rows, `push_job ${r.uuid} remote_rows`),
  attempts: r.attempts,
  nextAt: r.next_at,
  lastError: r.last_error,
});

const SELECT = `SELECT j.uuid, o.seq, o.doctype, j.state, j.remote_doctype, j.remote_name,
  j.remote_rows, j.attempts, j.next_at, j.last_error
  FROM push_job j JOIN outbox o ON o.uuid = j.uuid`;

export interface ReviewInput {
  readonly status: number;
  readonly excType: string;
  readonly message: string;
  readonly reason: string;
}

/**
 * The push's SQL. Every method is one short synchronous transaction: the worker reads work,
 * lets go of the database, talks to ERPNext, then records the answer here (STYLE habit 9).
 */
export class PushJobs {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Prepared once per connection: a backlog runs these per document (the profile saw it). */
  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Work still to do, in journal order. */
  open(): Job[] {
    return (
      this.prepare(
        `${SELECT} WHERE j.state IN ('pending', 'draft', 'queued') ORDER BY o.seq`,
      ).all() as JobRow[]
    ).map(toJob);
  }

  get(uuid: string): Job | null {
    const r = this.prepare(`${SELECT} WHERE j.uuid = ?`).get(uuid) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  /** The uuids of the sales, returns and voids of a shift made before `beforeSeq`. */
  shiftDocuments(shiftUuid: string, beforeSeq: number): { uuid: string; kind: string }[] {
    return this.prepare(
      `SELECT s.uuid, s.kind FROM sale s JOIN shift h ON h.id = s.shift_id
         WHERE h.uuid = ? AND s.kind != 'training' AND s.seq < ? ORDER BY s.seq`,
    ).all(shiftUuid, beforeSeq) as { uuid: string; kind: string }[];
  }

  /** The void of a sale, if any (its outbox row's uuid). */
  voidOf(saleUuid: string): string | null {
    const r = this.prepare(
      `SELECT v.uuid FROM sale v JOIN sale s ON s.invoice_no = v.against
         WHERE s.uuid = ? AND v.kind = 'void'`,
    )
      .pluck()
      .get(saleUuid) as string | undefined;
    return r ?? null;
  }

  /** Counted before the request leaves: after a crash, attempts > 0 means "look it up first". */
  beginAttempt(uuid: string, at: string): number {
    this.prepare('UPDATE push_job SET attempts = attempts + 1, updated_at = ? WHERE uuid = ?').run(
      at,
      uuid,
    );
    return this.get(uuid)?.attempts ?? 0;
  }

  /** beginAttempt for a batch, in one commit. */
  beginAttempts(uuids: readonly string[], at: string): void {
    const stmt = this.prepare(
      'UPDATE push_job SET attempts = attempts + 1, updated_at = ? WHERE uuid = ?',
    );
    this.db.transaction(() => {
      for (const uuid of uuids) stmt.run(at, uuid);
    })();
  }

  /** A batch ERPNext refused whole (rolled back): its attempts never reached a document. */
  undoAttempts(uuids: readonly string[], at: string): void {
    const stmt = this.prepare(
      'UPDATE push_job SET attempts = attempts - 1, updated_at = ? WHERE uuid = ? AND attempts > 0',
    );
    this.db.transaction(() => {
      for (const uuid of uuids) stmt.run(at, uuid);
    })();
  }

  /** draft() for a batch's inserts, in one commit. */
  drafts(list: readonly { uuid: string; doctype: string; name: string }[], at: string): void {
    this.db.transaction(() => {
      for (const d of list) this.draft(d.uuid, d.doctype, d.name, at);
    })();
  }

  draft(uuid: string, doctype: string, name: string, at: string): void {
    this.prepare(
      `UPDATE push_job SET state = 'draft', remote_doctype = ?, remote_name = ?, updated_at = ?
         WHERE uuid = ?`,
    ).run(doctype, name, at, uuid);
  }

  queued(uuid: string, doctype: string, name: string, nextAt: number, at: string): void {
    this.prepare(
      `UPDATE push_job SET state = 'queued', remote_doctype = ?, remote_name = ?, next_at = ?,
           updated_at = ? WHERE uuid = ?`,
    ).run(doctype, name, nextAt, at, uuid);
  }

  /** Done: ERPNext holds it submitted (or, for work with no document, nothing is to be sent). */
  done(
    uuid: string,
    remote: { doctype: string; name: string; rows?: readonly string[] },
    at: string,
  ): void {
    this.db.transaction(() => {
      this.prepare(
        `UPDATE push_job SET state = 'done', remote_doctype = ?, remote_name = ?,
             remote_rows = ?, next_at = 0, last_error = '', updated_at = ? WHERE uuid = ?`,
      ).run(remote.doctype, remote.name, JSON.stringify(remote.rows ?? []), at, uuid);
      this.prepare(
        "UPDATE outbox SET state = 'done', remote_name = ?, done_at = ?, last_error = '' WHERE uuid = ?",
      ).run(remote.name, at, uuid);
      this.prepare(
        `INSERT INTO meta (key, value) VALUES ('last_push_at', ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ).run(at);
    })();
  }

  backoff(uuid: string, nextAt: number, error: string, at: string): void {
    this.db.transaction(() => {
      this.prepare(
        'UPDATE push_job SET next_at = ?, last_error = ?, updated_at = ? WHERE uuid = ?',
      ).run(nextAt, error, at, uuid);
      this.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE uuid = ?').run(
        error,
        uuid,
      );
    })();
  }

  /**
   * Rejected by ERPNext: kept, explained, out of the way of work that does not need it.
   * `draftDeleted`: its draft was deleted from ERPNext, so a retry inserts afresh.
   */
  toReview(uuid: string, r: ReviewInput, at: string, draftDeleted = false): void {
    this.db.transaction(() => {
      this.prepare(
        "UPDATE push_job SET state = 'review', next_at = 0, last_error = ?, updated_at = ? WHERE uuid = ?",
      ).run(r.message, at, uuid);
      if (draftDeleted) {
        this.prepare("UPDATE push_job SET remote_name = '' WHERE uuid = ?").run(uuid);
      }
      this.prepare("UPDATE outbox SET state = 'failed', last_error = ? WHERE uuid = ?").run(
        r.message,
        uuid,
      );
      this.prepare(
        `INSERT INTO push_review (uuid, status, http_status, exc_type, message, reason, created_at)
           VALUES (?, 'open', ?, ?, ?, ?, ?)`,
      ).run(uuid, r.status, r.excType, r.message, r.reason, at);
    })();
  }

  /** A difference between ERPNext's figures and the signed ones (kept once per field). */
  conflict(
    uuid: string,
    remote: { doctype: string; name: string },
    d: { field: string; signed: string; erpnext: string },
    at: string,
  ): void {
    this.prepare(
      `INSERT INTO push_conflict (uuid, remote_doctype, remote_name, field, signed, erpnext, found_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uuid, field) DO UPDATE SET erpnext = excluded.erpnext, found_at = excluded.found_at`,
    ).run(uuid, remote.doctype, remote.name, d.field, d.signed, d.erpnext, at);
  }
}
