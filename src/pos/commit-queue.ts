import type { JournalRecord } from '../journal/index.js';
import type { Terminal, Tx } from './terminal.js';

/** Where a write's time went, for the caller (e.g. an HTTP Server-Timing header). */
export interface CommitTiming {
  /** From submit to the start of its group's transaction. */
  readonly waitMs: number;
  /** The group's transaction, BEGIN to durable COMMIT (shared by the group's writes). */
  readonly commitMs: number;
  /** Writes in that commit. */
  readonly group: number;
}

/** One queued write: the terminal it is for, its step, and its caller's promise. */
interface Job {
  readonly term: Terminal;
  readonly step: (tx: Tx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly queuedAt: number;
  readonly timing: ((t: CommitTiming) => void) | undefined;
}

export interface CommitQueueOptions {
  /** At most this many writes share one commit (the rest wait for the next). */
  readonly maxGroup?: number;
  /** Called after each commit with its size (metrics, benchmarks). */
  readonly onCommit?: (group: { readonly size: number; readonly failed: number }) => void;
}

/**
 * Group commit for a store node: writes queued while the event loop was busy (pricing other
 * carts, parsing requests) are committed together in ONE IMMEDIATE transaction, so one fsync
 * serves many terminals' sales. Each write runs in its own savepoint: a refused sale rolls back
 * alone and its caller gets its error while the others commit. Each terminal's head.json moves
 * once per commit, to its last record, and only after the commit.
 *
 * better-sqlite3 is synchronous, so the batch is what arrived before the next `setImmediate`
 * turn: requests whose bytes came in the same poll phase share a commit, and nothing waits on a
 * timer when the store is quiet. All terminals must share one database (one StoreNode).
 */
export class CommitQueue {
  private queue: Job[] = [];
  private scheduled = false;
  private readonly maxGroup: number;
  private readonly onCommit: CommitQueueOptions['onCommit'];

  constructor(options: CommitQueueOptions = {}) {
    this.maxGroup = options.maxGroup ?? 64;
    this.onCommit = options.onCommit;
  }

  /**
   * Queues `step` to run inside the next group commit; settles once that commit is durable.
   * `timing`, when given, hears where the time went just before the promise settles.
   */
  submit<T>(term: Terminal, step: (tx: Tx) => T, timing?: (t: CommitTiming) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queuedAt = performance.now();
      const settle = resolve as (v: unknown) => void;
      this.queue.push({ term, step, resolve: settle, reject, queuedAt, timing });
      this.schedule();
    });
  }

  /** Writes still waiting for a commit. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const group = this.queue.splice(0, this.maxGroup);
      if (this.queue.length > 0) this.schedule();
      if (group.length > 0) commitGroup(group, this.onCommit);
    });
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One transaction for the group, one savepoint per job; callers settled after the commit. */
function commitGroup(group: readonly Job[], onCommit: CommitQueueOptions['onCommit']): void {
  const db = group[0]?.term.db;
  if (!db) return;
  const outcomes: Outcome[] = [];
  const began = performance.now();
  // Per terminal, its last record in this commit (head.json moves there, once).
  const heads = new Map<Terminal, JournalRecord>();
  try {
    db.transaction(() => {
      for (const job of group) {
        if (job.term.db !== db) {
          outcomes.push({ ok: false, error: new Error('CommitQueue: one database per queue') });
          continue;
        }
        try {
          // A nested better-sqlite3 transaction is a SAVEPOINT: a throw rolls back this job only.
          const { result, last } = db.transaction(() =>
            job.term.writeStep(job.step, !heads.has(job.term)),
          )();
          if (last) heads.set(job.term, last);
          outcomes.push({ ok: true, value: result });
        } catch (error) {
          outcomes.push({ ok: false, error });
          // Some SQLite errors (disk full, I/O) end the whole transaction: nothing else can go in.
          if (!db.inTransaction) throw error;
        }
      }
    }).immediate();
  } catch (error) {
    // The commit failed (or the transaction was lost): no job of the group was written.
    group.forEach((job, i) => {
      const own = outcomes[i];
      job.reject(own && !own.ok ? own.error : error);
    });
    onCommit?.({ size: group.length, failed: group.length });
    return;
  }
  const commitMs = performance.now() - began;
  for (const [term, last] of heads) term.committed(last);
  let failed = 0;
  group.forEach((job, i) => {
    job.timing?.({ waitMs: began - job.queuedAt, commitMs, group: group.length });
    const o = outcomes[i];
    if (o?.ok) job.resolve(o.value);
    else {
      failed += 1;
      job.reject(o?.error);
    }
  });
  onCommit?.({ size: group.length, failed });
}
