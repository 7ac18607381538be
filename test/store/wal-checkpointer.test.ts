import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SyncCost } from '../../src/pos/commit-queue.js';
import { startWalCheckpointer } from '../../src/store/wal-checkpointer.js';

function walDb(): { db: Database.Database; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'outpost-ckpt-')), 'store.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return { db, path };
}

const autoCheckpoint = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true });

async function until(test: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the WAL checkpointer (a worker thread)', () => {
  it('takes the checkpoints off the connection while it runs, and hands them back when it stops', async () => {
    const { db } = walDb();
    expect(autoCheckpoint(db)).toBe(1000);
    const ckpt = startWalCheckpointer(db, { everyMs: 10 });
    await until(() => autoCheckpoint(db) === 0, 'the worker to take over');
    await ckpt.stop();
    expect(autoCheckpoint(db)).toBe(1000);
    db.close();
  });

  it('keeps the WAL from growing under steady writes and loses nothing', async () => {
    const { db, path } = walDb();
    const ckpt = startWalCheckpointer(db, { everyMs: 20 });
    await until(() => autoCheckpoint(db) === 0, 'the worker to take over');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const body = Buffer.alloc(8192, 7);
    // 6,000 commits of 8 KiB, a few per event-loop turn (a far busier node than any store's):
    // ~100 MiB of WAL frames if it were never started again.
    for (let i = 0; i < 2000; i += 1) {
      for (let j = 0; j < 3; j += 1) insert.run(body);
      await new Promise((r) => setImmediate(r));
    }
    await until(() => ckpt.stats.worker > 0 && ckpt.stats.workerFrames > 0, 'a checkpoint');
    // The WAL started again from its beginning: it holds far less than what was written.
    expect(statSync(`${path}-wal`).size).toBeLessThan(40 * 1024 * 1024);
    expect(ckpt.stats.own).toBeGreaterThan(0);
    expect(ckpt.stats.errors).toBe(0);
    await ckpt.stop();
    db.close();
    const again = new Database(path, { readonly: true });
    expect(again.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 6000 });
    again.close();
  });

  it('does nothing for a database that is not a WAL file', async () => {
    const db = new Database(':memory:');
    const ckpt = startWalCheckpointer(db);
    await ckpt.stop();
    expect(ckpt.stats.worker).toBe(0);
    db.close();
  });
});

describe('the cost of an inline sync (SyncCost)', () => {
  it('goes by the median of the last syncs: one slow sync does not send groups to the pool', () => {
    const cost = new SyncCost();
    const verdicts = [0.2, 0.3, 9, 0.2, 0.4, 12, 0.3].map((ms) => cost.tooSlow(ms, 1));
    expect(verdicts.every((v) => !v)).toBe(true);
  });

  it('finds a slow disk within three syncs, then measures afresh', () => {
    const cost = new SyncCost();
    expect([5, 6, 7].map((ms) => cost.tooSlow(ms, 1))).toEqual([false, false, true]);
    expect([5, 6].map((ms) => cost.tooSlow(ms, 1))).toEqual([false, false]);
  });
});
