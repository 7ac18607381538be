import { close, closeSync, fdatasync, fdatasyncSync, open, openSync } from 'node:fs';
import type { JournalRecord } from '../journal/index.js';
import type { Db } from '../store/db.js';
import type { Terminal, Tx } from './terminal.js';

/** Where a write's time went, for the caller (e.g. an HTTP Server-Timing header). */
export interface CommitTiming {
  /** From submit to the start of its group's transaction. */
  readonly waitMs: number;
  /** The group's transaction, BEGIN to durable COMMIT (its flush included; shared by the group). */
  readonly commitMs: number;
  /** Of which the SQL: BEGIN to COMMIT returned (the rest is the flush and its settling). */
  readonly sqlMs: number;
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
  /**
   * Makes a committed group durable, off the event loop; `done` once it is (default
   * `syncWal`). Used only on a WAL database: otherwise COMMIT itself syncs, as before.
   */
  readonly flush?: (db: Db, done: (error: Error | null) => void) => void;
  /**
   * With the default flush: a group is made durable on the event loop itself when nothing is
   * being flushed and such syncs take at most this long (median of the last few; default 1 ms:
   * a disk whose sync is that cheap costs the loop less than the thread pool's round trip and
   * the loop's delay in settling it); slower syncs send the next groups to the thread pool,
   * and the cost is measured again after 256 of them.
   */
  readonly inlineFlushMaxMs?: number;
}

/** Groups flushed in the thread pool once inline syncs proved slow, before they are tried again. */
const ASYNC_GROUPS = 256;
/** Inline syncs whose median decides (`CommitQueue.slowSyncs`), and how many it needs. */
const SYNC_WINDOW = 9;
const SYNC_MIN = 3;

/**
 * Whether the disk's syncs are too slow for the event loop: the median of the last
 * SYNC_WINDOW inline syncs (at least SYNC_MIN of them) above `maxMs`. One slow sync (the disk
 * busy with a checkpoint's writes, another process) does not send the next 256 groups' answers
 * through the thread pool, where each waits for the loop to be free; a slow disk is found
 * within a few groups. Once it said so, the window starts afresh.
 */
export class SyncCost {
  private recent: number[] = [];

  /** Records one inline sync of `ms`; true when syncs are now too slow to stay inline. */
  tooSlow(ms: number, maxMs: number): boolean {
    this.recent.push(ms);
    if (this.recent.length > SYNC_WINDOW) this.recent.shift();
    if (this.recent.length < SYNC_MIN) return false;
    const sorted = [...this.recent].sort((a, b) => a - b);
    if ((sorted[Math.floor(sorted.length / 2)] ?? 0) <= maxMs) return false;
    this.recent = [];
    return true;
  }
}

/**
 * fdatasync(2) of the database's WAL file (what SQLite's own sync of the WAL is on Linux), in
 * libuv's thread pool. A COMMIT under `synchronous=NORMAL` has written the group's frames to
 * the WAL (the page cache) without syncing; a sync through any descriptor of the file flushes
 * its pages (Linux: per inode). The WAL is never replaced while the node's own connection
 * holds the database open. (A CommitQueue keeps one descriptor instead: see `walFd`.)
 */
export function syncWal(db: Db, done: (error: Error | null) => void): void {
  open(`${db.name}-wal`, 'r', (opened, fd) => {
    if (opened) return done(opened);
    fdatasync(fd, (synced) => close(fd, (closed) => done(synced ?? closed)));
  });
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
  private readonly flush: NonNullable<CommitQueueOptions['flush']>;
  /** A flush is running: groups committed meanwhile wait in `unflushed` and share the next. */
  private flushing = false;
  private unflushed: Committed[] = [];
  /**
   * The database's journal mode and synchronous level, read at its first group, and the WAL's
   * descriptor the default flush syncs through (opened at the first flush, kept: an open, a
   * sync and a close per group were three thread-pool round trips, each waiting for the loop).
   */
  private mode: DbMode | null = null;
  /** Groups committed, and of them the ones a flush has ended (in commit order). */
  private committedGroups = 0;
  private flushedGroups = 0;
  private waiters: { readonly upTo: number; readonly resolve: () => void }[] = [];
  /** Null: a flush was given (tests), never inline. */
  private readonly inlineMaxMs: number | null;
  /** Groups left to flush in the thread pool before an inline sync is tried again. */
  private asyncLeft = 0;
  /** The last inline syncs' durations: their median decides. */
  private readonly syncCost = new SyncCost();
  /** How the groups were made durable: on the event loop, or in the thread pool. */
  readonly flushes = { inline: 0, pooled: 0 };

  constructor(options: CommitQueueOptions = {}) {
    this.maxGroup = options.maxGroup ?? 64;
    this.onCommit = options.onCommit;
    this.flush = options.flush ?? ((db, done) => this.syncKept(db, done));
    this.inlineMaxMs = options.flush ? null : (options.inlineFlushMaxMs ?? 1);
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
      if (group.length > 0) this.commit(group);
    });
  }

  /**
   * Resolves once every group committed so far has been through its flush (made durable, or
   * its flush failed and its callers heard it). A reader that sends what it reads away (the
   * push to ERPNext) waits for it: a sale visible in the database but not yet synced must not
   * reach ERPNext before it is on this disk — a power cut then would leave ERPNext holding a
   * sale this store lost.
   */
  durable(): Promise<void> {
    const upTo = this.committedGroups;
    if (this.flushedGroups >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /**
   * On a WAL database the group commits under `synchronous=NORMAL` (no fsync on the event
   * loop) and its callers are settled, head.json moved, only once `flush` made it durable,
   * groups in commit order; meanwhile the loop prices the next carts and the next groups
   * commit. A write another path commits directly (synchronous=FULL) syncs the WAL with
   * every frame before it.
   */
  private commit(group: readonly Job[]): void {
    const db = group[0]?.term.db;
    if (!db) return;
    const mode = this.modeOf(db);
    if (!mode.wal) {
      finish(commitGroup(group), null, this.onCommit);
      return;
    }
    db.pragma('synchronous = NORMAL');
    let done: Committed;
    try {
      done = commitGroup(group);
    } finally {
      db.pragma(`synchronous = ${mode.sync}`);
    }
    if (!done.ok) {
      finish(done, null, this.onCommit);
      return;
    }
    this.committedGroups += 1;
    if (
      this.inlineMaxMs !== null &&
      !this.flushing &&
      this.unflushed.length === 0 &&
      this.asyncLeft === 0
    ) {
      const t0 = performance.now();
      let error: Error | null = null;
      try {
        fdatasyncSync(this.walFd(mode));
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      if (this.syncCost.tooSlow(performance.now() - t0, this.inlineMaxMs)) {
        this.asyncLeft = ASYNC_GROUPS;
      }
      this.flushes.inline += 1;
      this.settle([done], error, this.committedGroups);
      return;
    }
    if (this.asyncLeft > 0) this.asyncLeft -= 1;
    this.unflushed.push(done);
    if (!this.flushing) this.flushNext(db);
  }

  /** The groups up to `upTo` went through their flush: callers settled, waiters woken. */
  private settle(batch: readonly Committed[], error: Error | null, upTo: number): void {
    for (const done of batch) finish(done, error, this.onCommit);
    this.flushedGroups = upTo;
    const ready = this.waiters.filter((w) => w.upTo <= upTo);
    this.waiters = this.waiters.filter((w) => w.upTo > upTo);
    for (const w of ready) w.resolve();
  }

  /**
   * One flush at a time, for every group committed before it began: while the disk syncs,
   * the groups committed meanwhile wait for the next one (one fsync for all of them).
   */
  private flushNext(db: Db): void {
    const batch = this.unflushed;
    this.unflushed = [];
    const upTo = this.committedGroups;
    this.flushing = true;
    this.flushes.pooled += 1;
    this.flush(db, (error) => {
      this.flushing = false;
      this.settle(batch, error, upTo);
      if (this.unflushed.length > 0) this.flushNext(db);
    });
  }

  private modeOf(db: Db): DbMode {
    if (this.mode?.db !== db) {
      this.close();
      this.mode = {
        db,
        wal: String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal',
        sync: Number(db.pragma('synchronous', { simple: true })),
        fd: null,
      };
    }
    return this.mode;
  }

  /**
   * The WAL's descriptor, opened once. The file is the same inode for as long as any
   * connection holds the database open (SQLite removes it only at the last close, and a
   * checkpoint truncates it in place), and the node holds its connection for its whole life.
   */
  private walFd(mode: DbMode): number {
    mode.fd ??= openSync(`${mode.db.name}-wal`, 'r');
    return mode.fd;
  }

  /** The default flush: fdatasync of the kept descriptor in the thread pool (one round trip). */
  private syncKept(db: Db, done: (error: Error | null) => void): void {
    let fd: number;
    try {
      fd = this.walFd(this.modeOf(db));
    } catch (e) {
      done(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    fdatasync(fd, done);
  }

  /**
   * Closes the kept WAL descriptor: at the node's shutdown once `durable()` resolved (no flush
   * in flight), or when the queue moves to another database. A later group opens it again.
   */
  close(): void {
    const fd = this.mode?.fd;
    if (this.mode) this.mode.fd = null;
    if (fd !== null && fd !== undefined) closeSync(fd);
  }
}

interface DbMode {
  readonly db: Db;
  readonly wal: boolean;
  readonly sync: number;
  fd: number | null;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A group's transaction: committed (each job's outcome), or failed whole. */
type Committed =
  | {
      readonly ok: true;
      readonly group: readonly Job[];
      readonly outcomes: readonly Outcome[];
      readonly heads: ReadonlyMap<Terminal, JournalRecord>;
      readonly began: number;
      readonly sqlMs: number;
    }
  | { readonly ok: false; readonly group: readonly Job[]; readonly errors: readonly unknown[] };

/** One transaction for the group, one savepoint per job; nothing settled yet. */
function commitGroup(group: readonly Job[]): Committed {
  const db = group[0]?.term.db;
  const outcomes: Outcome[] = [];
  const began = performance.now();
  // Per terminal, its last record in this commit (head.json moves there, once).
  const heads = new Map<Terminal, JournalRecord>();
  try {
    if (!db) throw new Error('CommitQueue: an empty group');
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
    const errors = group.map((_, i) => {
      const own = outcomes[i];
      return own && !own.ok ? own.error : error;
    });
    return { ok: false, group, errors };
  }
  return { ok: true, group, outcomes, heads, began, sqlMs: performance.now() - began };
}

/**
 * Settles a group's callers once its commit is durable (`flushError` null), moving each
 * terminal's head.json first. A failed flush leaves the writes committed but of unknown
 * durability: head.json stays, and every caller hears the error (none is told "sold").
 */
function finish(
  done: Committed,
  flushError: Error | null,
  onCommit: CommitQueueOptions['onCommit'],
): void {
  const { group } = done;
  if (!done.ok) {
    group.forEach((job, i) => job.reject(done.errors[i]));
    onCommit?.({ size: group.length, failed: group.length });
    return;
  }
  if (flushError) {
    group.forEach((job) => job.reject(flushError));
    onCommit?.({ size: group.length, failed: group.length });
    return;
  }
  const commitMs = performance.now() - done.began;
  for (const [term, last] of done.heads) term.committed(last);
  let failed = 0;
  group.forEach((job, i) => {
    job.timing?.({
      waitMs: done.began - job.queuedAt,
      commitMs,
      sqlMs: done.sqlMs,
      group: group.length,
    });
    const o = done.outcomes[i];
    if (o?.ok) job.resolve(o.value);
    else {
      failed += 1;
      job.reject(o?.error);
    }
  });
  onCommit?.({ size: group.length, failed });
}
