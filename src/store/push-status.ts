import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import type { Db } from './db.js';

/** What is left of the push, counted from its own tables (migration 3 and 4). */
export interface PushCounts {
  /** Outbox documents not yet in ERPNext and not in review (pending, draft, closing queued). */
  readonly pending: number;
  /** Documents and customers waiting for a person (`outpost review`). */
  readonly in_review: number;
  /** Customers created here not yet pushed. */
  readonly customers_pending: number;
  /** Figures ERPNext holds that differ from the signed ones. */
  readonly conflicts: number;
  /** Marked resolved outside Outpost by a manager: never pushed. */
  readonly resolved: number;
}

const hasTable = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

const count = (db: Db, sql: string): number => db.prepare(sql).pluck().get() as number;

/** The push's counts; zeros on a store from before the push's migrations (read-only open). */
export function pushCounts(db: Db): PushCounts {
  const jobs = hasTable(db, 'push_job');
  const customers = hasTable(db, 'customer_local');
  const n = (ok: boolean, sql: string): number => (ok ? count(db, sql) : 0);
  return {
    pending: n(jobs, "SELECT count(*) FROM push_job WHERE state IN ('pending', 'draft', 'queued')"),
    in_review:
      n(jobs, "SELECT count(*) FROM push_review WHERE status = 'open'") +
      n(customers, "SELECT count(*) FROM customer_local WHERE state = 'review'"),
    customers_pending: n(customers, "SELECT count(*) FROM customer_local WHERE state = 'pending'"),
    conflicts: n(jobs, 'SELECT count(*) FROM push_conflict'),
    resolved: n(jobs, "SELECT count(*) FROM push_job WHERE state = 'resolved'"),
  };
}

/** The outcome of the last push run, as `outpost status` shows it. */
const LastPush = z.object({
  at: z.string(),
  /** ok: nothing retryable left; pending: something is still to retry; offline: unreachable. */
  result: z.enum(['ok', 'pending', 'offline']),
  pushed: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type LastPush = z.output<typeof LastPush>;

const LAST_PUSH_KEY = 'last_push_run';

/** Records the push run that just ended (one row of meta, replaced each run). */
export function recordPushRun(db: Db, run: LastPush): void {
  db.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(LAST_PUSH_KEY, JSON.stringify(LastPush.parse(run)));
}

/** The last push run, and when ERPNext last took a document; nulls before the first. */
export function lastPush(db: Db): { run: LastPush | null; last_document_at: string | null } {
  const get = (key: string) =>
    db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  const run = get(LAST_PUSH_KEY);
  return {
    run: run === undefined ? null : parseJsonWith(LastPush, run, `meta ${LAST_PUSH_KEY}`),
    last_document_at: get('last_push_at') ?? null,
  };
}
