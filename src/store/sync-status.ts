import type { Db } from './db.js';

export interface PullState {
  readonly doctype: string;
  readonly last_pull_at: string | null;
  readonly last_ok_at: string | null;
  readonly cursor_modified: string | null;
  readonly complete: number;
}

export interface SyncStatus {
  readonly snapshot: number;
  readonly last_pull_ok_at: string | null;
  /**
   * Outbox rows still to push (pending, draft, closing queued: not in review, not resolved by
   * hand); 0 on a store that never sold.
   */
  readonly pending_pushes: number;
  readonly pulls: readonly PullState[];
}

/** What `outpost status` reports of the pulls and the outbox; reads only. */
export function syncStatus(db: Db): SyncStatus {
  const pulls = db
    .prepare(
      'SELECT doctype, last_pull_at, last_ok_at, cursor_modified, complete FROM sync_state ORDER BY doctype',
    )
    .all() as PullState[];
  const snapshot = Number(
    db.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck().get() ?? 0,
  );
  const lastOk =
    (db.prepare("SELECT value FROM meta WHERE key = 'last_pull_ok_at'").pluck().get() as
      string | undefined) ?? null;
  const hasOutbox =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get() !==
    undefined;
  const hasJobs =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'push_job'").get() !==
    undefined;
  const pending = hasJobs
    ? (db
        .prepare("SELECT count(*) FROM push_job WHERE state IN ('pending', 'draft', 'queued')")
        .pluck()
        .get() as number)
    : hasOutbox
      ? (db.prepare("SELECT count(*) FROM outbox WHERE state != 'done'").pluck().get() as number)
      : 0;
  return { snapshot, last_pull_ok_at: lastOk, pending_pushes: pending, pulls };
}
