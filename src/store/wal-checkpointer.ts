import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

/**
 * A WAL checkpoint moves the committed pages from store.db-wal into store.db: on the writer's
 * connection (SQLite's auto-checkpoint, every 1,000 pages) it runs inside the COMMIT that
 * crossed the mark — page writes at random places in a large file and two fsyncs, several
 * milliseconds on the store node's only thread, where every terminal's next sale waits.
 *
 * The node checkpoints in a worker thread on a connection of its own instead: every `everyMs` a
 * PASSIVE checkpoint (it never blocks the writer) copies what the WAL holds, then again what
 * was committed meanwhile, a few times. SQLite starts a WAL again from its beginning only when
 * a write begins on a wholly copied one; under steady sales commits keep landing during every
 * pass, and the WAL would grow without end. So once it holds `restartFrames` frames and the
 * worker's passes could not catch up, the node's own connection copies the few frames
 * committed during the last of them, right after it (between two commits: a checkpoint on the
 * writer's connection waits for nobody) and the next commit starts the WAL afresh. The node's connection stops auto-checkpointing once the worker is up, and starts
 * again if it stops. A checkpoint only ever copies committed transactions, syncing the WAL
 * before it writes store.db (both connections are `synchronous=FULL` when they checkpoint):
 * nothing about a sale's durability changes, and SQLite recovers a checkpoint cut by a crash.
 */
export interface WalCheckpointer {
  /** The checkpoints done so far. */
  readonly stats: CheckpointStats;
  /** Stops the worker after its checkpoint in flight; the node's connection checkpoints again. */
  stop(): Promise<void>;
}

export interface CheckpointStats {
  /** The worker's passes that copied frames, and the frames they copied. */
  worker: number;
  workerFrames: number;
  /** The node connection's short passes that let the WAL start again; their longest, ms. */
  own: number;
  ownMaxMs: number;
  /** Passes that failed (the next one tries again). */
  errors: number;
}

export interface CheckpointerOptions {
  /** How often the worker copies the WAL (default 250 ms). */
  readonly everyMs?: number;
  /** The WAL's size, in frames, past which the node makes it start again (default 4,096). */
  readonly restartFrames?: number;
  /** Hears the worker failing to run: the node logs it and checkpoints itself. */
  readonly onError?: (error: Error) => void;
}

/** What the worker posts: it is up, or a pass's figures. */
type Message =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'pass';
      readonly log: number;
      readonly copied: number;
      /** Nothing was committed during its last pass: the WAL is wholly copied. */
      readonly complete: boolean;
    }
  | { readonly kind: 'failed' };

/** The default auto-checkpoint mark, restored on the node's connection when the worker stops. */
const AUTO_CHECKPOINT_PAGES = 1000;

/*
 * The worker, as CommonJS source (run with `eval`, so it needs no built file beside this one
 * and runs the same from the sources under test): better-sqlite3 is required by the path the
 * main thread resolved.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 50');
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
let timer = null;
// The WAL's frame count when a round left it wholly copied: quiet until it changes.
let idleAt = -1;
// Passes in a row: each copies what was committed during the one before, a shorter span each
// time; the WAL is wholly copied once a pass finds nothing new.
const PASSES = 4;
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
function round() {
  timer = null;
  try {
    let r = checkpoint();
    if (r.log > 0 && r.log !== idleAt) {
      let prev = -1;
      for (let n = 1; n < PASSES && r.log !== prev; n += 1) {
        prev = r.log;
        r = checkpoint();
      }
      const complete = r.log === prev && r.checkpointed === r.log;
      parentPort.postMessage({ kind: 'pass', log: r.log, copied: r.checkpointed, complete });
      idleAt = complete ? r.log : -1;
    }
  } catch (e) {
    parentPort.postMessage({ kind: 'failed' });
  }
  timer = setTimeout(round, workerData.everyMs);
}
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  if (timer) clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
timer = setTimeout(round, workerData.everyMs);
`;

/**
 * Starts checkpointing `db`'s WAL in a worker thread. `db` must be a WAL database on a file;
 * otherwise nothing is started and `db` keeps its own checkpoints.
 */
export function startWalCheckpointer(db: Db, options: CheckpointerOptions = {}): WalCheckpointer {
  const stats: CheckpointStats = { worker: 0, workerFrames: 0, own: 0, ownMaxMs: 0, errors: 0 };
  const wal = String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
  if (!wal || db.memory) return { stats, stop: () => Promise.resolve() };
  const restartFrames = options.restartFrames ?? 4096;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: db.name,
      everyMs: options.everyMs ?? 250,
    },
  });
  // The worker must not keep the process alive by itself (the node's server does).
  worker.unref();
  let handedOver = false;
  let stopped: Promise<void> | null = null;
  const handBack = () => {
    if (handedOver && db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    handedOver = false;
  };
  /** The node's own short pass: what was committed while the worker copied. */
  const finishOnLoop = () => {
    if (!db.open || !handedOver || db.inTransaction) return;
    const t0 = performance.now();
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      stats.own += 1;
      stats.ownMaxMs = Math.max(stats.ownMaxMs, performance.now() - t0);
    } catch {
      stats.errors += 1;
    }
  };
  worker.on('message', (m: Message) => {
    if (m.kind === 'ready') {
      if (!db.open || stopped) return;
      db.pragma('wal_autocheckpoint = 0');
      handedOver = true;
    } else if (m.kind === 'pass') {
      stats.worker += 1;
      stats.workerFrames += m.copied;
      if (!m.complete && m.log >= restartFrames) finishOnLoop();
    } else {
      stats.errors += 1;
    }
  });
  const exited = new Promise<void>((resolve) => {
    worker.on('error', (e) => {
      handBack();
      if (!stopped) options.onError?.(e);
    });
    worker.on('exit', () => {
      handBack();
      resolve();
    });
  });
  return {
    stats,
    stop: () => {
      stopped ??= (() => {
        handBack();
        // Held until it has gone: its pass in flight ends, its connection closes.
        worker.ref();
        worker.postMessage('stop');
        const stuck = setTimeout(() => void worker.terminate(), 5000);
        return exited.finally(() => clearTimeout(stuck));
      })();
      return stopped;
    },
  };
}
