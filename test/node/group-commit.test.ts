import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CommitQueue,
  PosError,
  authenticate,
  priceCart,
  sellGrouped,
  type Terminal,
} from '../../src/pos/index.js';
import { approvePairing, requestPairing } from '../../src/pos/devices.js';
import { commitSale, prepareSale } from '../../src/pos/sale.js';
import type { StoreNode } from '../../src/pos/node.js';
import { cli } from '../pos/till-fixture.js';
import {
  AFTER_OLD_STORE,
  CASHIER,
  MANAGER,
  oldStoreCopy,
  openTestNode,
  testClock,
} from './fixture.js';

type Json = Record<string, unknown>;

/** Points James Smith earns on ten of SKU-0000004. */
const EARNED = 86;

/** The old store with a second terminal T2 paired and approved. */
function twoTerminals(): { dir: string; node: StoreNode; t1: Terminal; t2: Terminal } {
  const dir = oldStoreCopy();
  const node = openTestNode(dir, testClock(AFTER_OLD_STORE));
  const pairing = requestPairing(node, { label: 'Till 2' });
  approvePairing(node, {
    code: pairing.code,
    manager: MANAGER.id,
    pin: MANAGER.pin,
    terminal: 'T2',
  });
  return { dir, node, t1: node.terminal('T1'), t2: node.terminal('T2') };
}

/** This process's descriptors open on `path` (SQLite's own included). */
const openDescriptorsOf = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

const headSeq = (path: string): number =>
  (JSON.parse(readFileSync(path, 'utf8')) as { seq: number }).seq;

describe('group commit', () => {
  it('commits several terminals’ sales in one transaction; a refused one rolls back alone', async () => {
    const { dir, node, t1, t2 } = twoTerminals();
    const groups: { size: number; failed: number }[] = [];
    const queue = new CommitQueue({ onCommit: (g) => groups.push(g) });
    try {
      const alice1 = authenticate(t1, CASHIER.id, CASHIER.pin);
      const alice2 = authenticate(t2, CASHIER.id, CASHIER.pin);
      const line = (code: string) => ({ lines: [{ item_code: code, qty: '1' }] });
      const timings: number[] = [];
      const a = sellGrouped(queue, t1, { cashier: alice1, ...line('SKU-0000001') }, (t) =>
        timings.push(t.group),
      );
      const b = sellGrouped(queue, t2, { cashier: alice2, ...line('SKU-0000002') });
      // A sale that is written and then refused inside the commit (its number, record, outbox
      // row and stock taken): its savepoint rolls back and nothing of it stays.
      const refused = prepareSale(t2, { cashier: alice2, ...line('SKU-0000003') });
      const c = queue.submit(t2, (tx) => {
        commitSale(t2, refused, tx);
        throw new PosError('InvalidInput', 'refused after writing', 'test');
      });
      const d = sellGrouped(queue, t2, { cashier: alice2, ...line('SKU-0000004') });
      const e = sellGrouped(queue, t1, { cashier: alice1, ...line('SKU-0000005') });
      // Priced, queued, and nothing written before the event loop turns; then one commit.
      expect(queue.pending).toBe(5);
      expect(node.db.prepare('SELECT count(*) FROM sale').pluck().get()).toBe(3);
      const settled = await Promise.allSettled([a, b, c, d, e]);
      expect(groups).toEqual([{ size: 5, failed: 1 }]);
      expect(timings).toEqual([5]);
      const values = settled.map((s) =>
        s.status === 'fulfilled' ? [s.value.invoice_no, s.value.seq] : String(s.reason),
      );
      expect(values).toEqual([
        ['STORE-NORTH-T1-2026-000004', 9],
        ['STORE-NORTH-T2-2026-000001', 12],
        'PosError: refused after writing',
        // The refused sale's number was never issued: T2's series goes on from 1 to 2.
        ['STORE-NORTH-T2-2026-000002', 13],
        ['STORE-NORTH-T1-2026-000005', 14],
      ]);
      expect(
        node.db
          .prepare('SELECT seq, terminal, chain_seq, type FROM journal WHERE seq > 7 ORDER BY seq')
          .raw()
          .all(),
      ).toEqual([
        [8, 'T1', 8, 'override'], // the manager's approval of the pairing, at T1
        [9, 'T1', 9, 'sale'],
        // T2's first sale logs its cashier in and opens its shift, in the sale's savepoint.
        [10, 'T2', 1, 'login'],
        [11, 'T2', 2, 'shift_open'],
        [12, 'T2', 3, 'sale'],
        [13, 'T2', 4, 'sale'],
        [14, 'T1', 10, 'sale'],
      ]);
      expect(
        node.db.prepare('SELECT seq FROM outbox WHERE seq > 7 ORDER BY seq').pluck().all(),
      ).toEqual([9, 11, 12, 13, 14]);
      // The old store's sales took one of each of SKU-1..3; the refused sale's unit is back.
      expect(
        node.db.prepare('SELECT item_code, qty FROM stock_pending ORDER BY item_code').raw().all(),
      ).toEqual([
        ['SKU-0000001', '2'],
        ['SKU-0000002', '2'],
        ['SKU-0000003', '1'],
        ['SKU-0000004', '1'],
        ['SKU-0000005', '1'],
      ]);
      // Each terminal's head.json moved once, after the commit, to its last record.
      expect(headSeq(join(dir, 'head.json'))).toBe(10);
      expect(headSeq(join(dir, 'terminals', 'T2', 'head.json'))).toBe(4);
    } finally {
      node.close();
    }
    const v = await cli(['verify', '--data', dir, '--json']);
    expect(v.code, v.out + v.err).toBe(0);
    expect(
      ((JSON.parse(v.out) as Json)['terminals'] as Json[]).map((t) => [
        t['terminal'],
        t['ok'],
        t['count'],
      ]),
    ).toEqual([
      ['T1', true, 10],
      ['T2', true, 4],
    ]);
  });

  it('prices a sale again inside the commit when a pull published a new snapshot meanwhile', async () => {
    const { node, t1 } = twoTerminals();
    const queue = new CommitQueue();
    try {
      const alice = authenticate(t1, CASHIER.id, CASHIER.pin);
      const cart = { lines: [{ item_code: 'SKU-0000004', qty: '2' }] };
      const before = priceCart(t1, cart);
      const pending = sellGrouped(queue, t1, { cashier: alice, ...cart });
      // What a pull does between the pricing and the commit: new prices, a new snapshot.
      node.db
        .prepare("UPDATE item_price SET price_list_rate = 12.5 WHERE item_code = 'SKU-0000004'")
        .run();
      node.db.prepare("UPDATE meta SET value = '2' WHERE key = 'snapshot_version'").run();
      const sale = await pending;
      const after = priceCart(t1, cart);
      expect([before.snapshot, before.quote.doc.grand_total.toFixed(2)]).toEqual([1, '17.32']);
      // Sold at the new snapshot's price, exactly what pricing the cart now gives.
      expect([sale.snapshot_version, sale.grand_total]).toEqual([2, '22.44']);
      expect([after.snapshot, after.quote.doc.grand_total.toFixed(2)]).toEqual([2, '22.44']);
    } finally {
      node.close();
    }
  });

  it('commits at most maxGroup writes at once; the rest go in the next commit', async () => {
    const { node, t1, t2 } = twoTerminals();
    const groups: { size: number; failed: number }[] = [];
    const queue = new CommitQueue({ maxGroup: 2, onCommit: (g) => groups.push(g) });
    try {
      const alice1 = authenticate(t1, CASHIER.id, CASHIER.pin);
      const alice2 = authenticate(t2, CASHIER.id, CASHIER.pin);
      const sales = await Promise.all(
        [t1, t2, t1, t2, t1].map((t) =>
          sellGrouped(queue, t, {
            cashier: t === t1 ? alice1 : alice2,
            lines: [{ item_code: 'SKU-0000007', qty: '1' }],
          }),
        ),
      );
      expect(groups).toEqual([
        { size: 2, failed: 0 },
        { size: 2, failed: 0 },
        { size: 1, failed: 0 },
      ]);
      expect(sales.map((s) => s.invoice_no)).toEqual([
        'STORE-NORTH-T1-2026-000004',
        'STORE-NORTH-T2-2026-000001',
        'STORE-NORTH-T1-2026-000005',
        'STORE-NORTH-T2-2026-000002',
        'STORE-NORTH-T1-2026-000006',
      ]);
    } finally {
      node.close();
    }
  });
  it('commits without an fsync on the event loop; answers once a flush made the group durable', async () => {
    const { dir, node, t1, t2 } = twoTerminals();
    const flushes: ((error: Error | null) => void)[] = [];
    const queue = new CommitQueue({ flush: (_db, done) => flushes.push(done) });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const sales = () => node.db.prepare('SELECT count(*) FROM sale').pluck().get();
    try {
      const alice1 = authenticate(t1, CASHIER.id, CASHIER.pin);
      const alice2 = authenticate(t2, CASHIER.id, CASHIER.pin);
      const line = { lines: [{ item_code: 'SKU-0000007', qty: '1' }] };
      const answered: string[] = [];
      const durable: string[] = [];
      const nothingYet = queue.durable().then(() => durable.push('before any sale'));
      await nothingYet;
      const a = sellGrouped(queue, t1, { cashier: alice1, ...line }).then((r) => {
        answered.push(r.invoice_no);
      });
      await turn();
      // What the push reads waits for the flush: the first sale is visible, not yet durable.
      const first = queue.durable().then(() => durable.push('first'));
      // Committed (the next group may go on), not yet answered; the connection is back at FULL.
      expect([sales(), flushes.length, answered]).toEqual([4, 1, []]);
      expect(node.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(headSeq(join(dir, 'head.json'))).toBe(8);
      const b = sellGrouped(queue, t2, { cashier: alice2, ...line }).then((r) => {
        answered.push(r.invoice_no);
      });
      await turn();
      // Committed too; its flush waits for the one running, then serves every group since.
      expect([sales(), flushes.length]).toEqual([5, 1]);
      const second = queue.durable().then(() => durable.push('second'));
      expect(durable).toEqual(['before any sale']);
      flushes[0]?.(null);
      await a;
      await first;
      expect(durable).toEqual(['before any sale', 'first']);
      expect(answered).toEqual(['STORE-NORTH-T1-2026-000004']);
      expect(headSeq(join(dir, 'head.json'))).toBe(9);
      expect(flushes.length).toBe(2);
      expect(existsSync(join(dir, 'terminals', 'T2', 'head.json'))).toBe(false);
      flushes[1]?.(null);
      await b;
      await second;
      expect(durable).toEqual(['before any sale', 'first', 'second']);
      expect(answered).toEqual(['STORE-NORTH-T1-2026-000004', 'STORE-NORTH-T2-2026-000001']);
      expect(headSeq(join(dir, 'terminals', 'T2', 'head.json'))).toBe(3);
      // A flush that fails: the caller hears it and head.json stays where it was.
      const c = sellGrouped(queue, t1, { cashier: alice1, ...line });
      await turn();
      flushes[2]?.(new Error('EIO: fsync failed'));
      await expect(c).rejects.toThrow('EIO: fsync failed');
      expect(headSeq(join(dir, 'head.json'))).toBe(9);
    } finally {
      node.close();
    }
  });

  it('flushes on the event loop while the sync is cheap, in the thread pool once it is not, and measures it again later', async () => {
    const { dir, node, t1 } = twoTerminals();
    const sell = (queue: CommitQueue) =>
      sellGrouped(queue, t1, {
        cashier: authenticate(t1, CASHIER.id, CASHIER.pin),
        lines: [{ item_code: 'SKU-0000007', qty: '1' }],
      });
    const wal = join(dir, 'store.db-wal');
    try {
      const sqliteOwn = openDescriptorsOf(wal);
      // Any sync is cheap enough: every group is durable before its turn ends.
      const cheap = new CommitQueue({ inlineFlushMaxMs: Number.POSITIVE_INFINITY });
      const first = await sell(cheap);
      await sell(cheap);
      expect(cheap.flushes).toEqual({ inline: 2, pooled: 0 });
      expect(headSeq(join(dir, 'head.json'))).toBe(first.seq + 1);
      // No sync is cheap enough: the first three groups measured it, the next ones go to the pool.
      const dear = new CommitQueue({ inlineFlushMaxMs: 0 });
      for (let i = 0; i < 3; i += 1) await sell(dear);
      const last = await sell(dear);
      await sell(dear);
      expect(dear.flushes).toEqual({ inline: 3, pooled: 2 });
      expect(headSeq(join(dir, 'head.json'))).toBe(last.seq + 1);
      await dear.durable();
      expect(node.db.pragma('synchronous', { simple: true })).toBe(2);
      // Each queue syncs through one descriptor of the WAL, kept open until it is closed.
      expect(openDescriptorsOf(wal)).toBe(sqliteOwn + 2);
      cheap.close();
      dear.close();
      expect(openDescriptorsOf(wal)).toBe(sqliteOwn);
      await sell(dear);
      expect(openDescriptorsOf(wal)).toBe(sqliteOwn + 1);
      dear.close();
    } finally {
      node.close();
    }
  });

  it('prices a sale again inside the commit when a sale of the same customer booked points first', async () => {
    const { node, t1, t2 } = twoTerminals();
    const queue = new CommitQueue();
    try {
      const cart = (t: Terminal) => ({
        cashier: authenticate(t, CASHIER.id, CASHIER.pin),
        customer: 'James Smith',
        lines: [{ item_code: 'SKU-0000004', qty: '10' }],
      });
      // Both priced on the same balance; the second commits after the first booked its points.
      const [a, b] = await Promise.all([
        sellGrouped(queue, t1, cart(t1)),
        sellGrouped(queue, t2, cart(t2)),
      ]);
      const balance = (seq: number | undefined) =>
        (
          JSON.parse(
            node.db.prepare('SELECT body FROM journal WHERE seq = ?').pluck().get(seq) as string,
          ) as { loyalty: { points_balance_after: number } }
        ).loyalty.points_balance_after;
      expect([a?.loyalty_points_earned, b?.loyalty_points_earned]).toEqual([EARNED, EARNED]);
      expect([balance(a?.seq), balance(b?.seq)]).toEqual([EARNED, 2 * EARNED]);
    } finally {
      node.close();
    }
  });
});
