import { describe, expect, it } from 'vitest';
import { loyaltyBalance } from '../../src/core/index.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import type { Db } from '../../src/store/db.js';
import { loyaltyMismatches } from '../../src/store/loyalty-check.js';
import { StoreMaster } from '../../src/store/master.js';
import { Puller } from '../../src/sync/pull.js';
import { asCashier, cli, cliJson, PROFILE, sellArgs, shiftArgs } from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import {
  client,
  list,
  openTill,
  pointAt,
  sellShift,
  worker,
  type Shift,
  pushSuite,
} from './push-fixture.js';

type Json = Record<string, unknown>;
const CUSTOMER = 'Aisha Jackson';

const suite = pushSuite();

const open = () => suite.open();

/** The customer's points as the till counts them for a sale today (pulled + pending). */
function balance(db: Db): number {
  const { master } = new StoreMaster(db).forCart([], CUSTOMER);
  const program = db
    .prepare('SELECT loyalty_program FROM customer WHERE name = ?')
    .pluck()
    .get(CUSTOMER) as string;
  const today = new Date().toISOString().slice(0, 10);
  return loyaltyBalance(master, CUSTOMER, program, '', today).points.toNumber();
}

const pendingOf = (db: Db, invoiceNo: unknown): number[] =>
  db
    .prepare('SELECT loyalty_points FROM loyalty_pending WHERE invoice_no = ? ORDER BY id')
    .pluck()
    .all(invoiceNo) as number[];

const pull = (db: Db, sim: RunningSim) =>
  new Puller(db, client(sim), { posProfile: PROFILE, pageSize: 200 }).run();

/** The receipts' points: earned on sales[1]; sales[2] redeemed 112 and earned again. */
const earnedBy = (shift: Shift): [number, number] => [
  Number(shift.sales[1]?.['loyalty_points_earned']),
  Number(shift.sales[2]?.['loyalty_points_earned']),
];

describe.each<[PostingMode, string]>([
  ['sales_invoice', 'Sales Invoice'],
  ['pos_invoice', 'POS Invoice'],
])('loyalty reconciliation in %s mode', (mode, doctype) => {
  it('pending points give way to ERPNext entries once pulled, never counted twice; an unpushed sale keeps its own; an edited entry is a mismatch', async () => {
    const dir = suite.copy();
    const shift = await sellShift(dir);
    const [first, second] = earnedBy(shift);
    expect(first).toBe(112);
    const sim = await open();
    pointAt(dir, sim, mode);

    let till = openTill(dir);
    const base = balance(till.db) - (first - 112 + second);
    try {
      // Before the push: the pending rows of the two loyalty sales are what the till counts.
      expect(pendingOf(till.db, shift.sales[1]?.['invoice_no'])).toEqual([first]);
      expect(pendingOf(till.db, shift.sales[2]?.['invoice_no'])).toEqual([-112, second]);
      const passes = await worker(till, client(sim), mode).drain({ wait: true });
      expect(passes.flatMap((p) => p.rejected)).toEqual([]);
      // Pushed, not yet pulled: ERPNext's entries are not in the store, the pending rows stay.
      expect(balance(till.db)).toBe(base + first - 112 + second);
      expect(pendingOf(till.db, shift.sales[2]?.['invoice_no'])).toEqual([-112, second]);
    } finally {
      till.close();
    }

    // A sale made after the push: not in ERPNext, so its points stay pending through the pull.
    await cliJson(shiftArgs(dir, 'open', '--float', 'Cash:100'));
    const later = await cliJson(sellArgs(dir, '--item', 'SKU-0000002:10', '--customer', CUSTOMER));
    const third = Number(later['loyalty_points_earned']);
    expect(third).toBe(56);

    till = openTill(dir);
    try {
      await pull(till.db, sim);
      // ERPNext's entries for the pushed sales replaced the pending ones: the same balance.
      expect(balance(till.db)).toBe(base + first - 112 + second + third);
      const left = till.db
        .prepare('SELECT invoice_no, loyalty_points FROM loyalty_pending ORDER BY id')
        .all();
      expect(left).toEqual([{ invoice_no: later['invoice_no'], loyalty_points: third }]);
      const stored = till.db
        .prepare(
          `SELECT json_extract(data, '$.invoice') AS invoice, json_extract(data, '$.loyalty_points') AS points
           FROM doc WHERE doctype = 'Loyalty Point Entry' AND json_extract(data, '$.invoice_type') = ?
           ORDER BY points DESC`,
        )
        .all(doctype) as { invoice: string; points: number }[];
      expect(stored.map((s) => s.points)).toEqual([first, second, -112]);
      expect(loyaltyMismatches(till.db)).toEqual([]);
      expect(await cli(['loyalty', 'check', '--data', dir])).toEqual({
        code: 0,
        out: "Every pushed sale's points agree with ERPNext.\n",
        err: '',
      });

      // Someone changes the first sale's entry in ERPNext: reported with both figures.
      const entry = list(sim, 'Loyalty Point Entry', [
        ['invoice_type', '=', doctype],
        ['loyalty_points', '=', first],
      ])[0] as Json;
      const r = sim.call('PUT', `/api/resource/Loyalty Point Entry/${String(entry['name'])}`, {
        loyalty_points: first - 12,
      });
      expect(r.status).toBe(200);
      await pull(till.db, sim);
      expect(loyaltyMismatches(till.db)).toEqual([
        {
          invoice_no: shift.sales[1]?.['invoice_no'],
          uuid: shift.sales[1]?.['uuid'],
          erpnext_invoice: entry['invoice'],
          erpnext_doctype: doctype,
          signed_points: first,
          erpnext_points: first - 12,
          message: `receipt ${String(shift.sales[1]?.['invoice_no'])}: the signed receipts give ${first} points, ERPNext's Loyalty Point Entries for ${doctype} ${String(entry['invoice'])} sum to ${first - 12} (-12)`,
        },
      ]);
      const checked = await cli(['loyalty', 'check', '--data', dir, '--json']);
      expect(checked.code).toBe(1);
      expect(JSON.parse(checked.out)).toEqual({ mismatches: loyaltyMismatches(till.db) });
      // ERPNext's figure is the truth the balance follows; the pending row is still counted.
      expect(balance(till.db)).toBe(base + first - 12 - 112 + second + third);
    } finally {
      till.close();
    }
  }, 180_000);
});

describe.each<PostingMode>(['sales_invoice', 'pos_invoice'])(
  'a return against a pulled loyalty sale (%s)',
  (mode) => {
    it("ERPNext's re-made entries replace the deleted ones in the store: the balance is the till's", async () => {
      const dir = suite.copy();
      const shift = await sellShift(dir, { redeem: false });
      const sim = await open();
      pointAt(dir, sim, mode);
      const sale = shift.sales[2] as Json;
      let till = openTill(dir);
      let before: number;
      try {
        await worker(till, client(sim), mode).drain({ wait: true });
        await pull(till.db, sim);
        before = balance(till.db);
      } finally {
        till.close();
      }
      await cliJson(shiftArgs(dir, 'open', '--float', 'Cash:100'));
      const returned = await cliJson(
        asCashier('return')(
          dir,
          '--invoice',
          String(sale['invoice_no']),
          '--item',
          'SKU-0000002:10',
        ),
      );
      const reversed = Number(returned['loyalty_points_reversed']);
      till = openTill(dir);
      try {
        const after = balance(till.db);
        expect(after).toBe(before - reversed);
        await worker(till, client(sim), mode).drain({ wait: true });
        await pull(till.db, sim);
        expect(balance(till.db)).toBe(after);
        expect(till.db.prepare('SELECT count(*) FROM loyalty_pending').pluck().get()).toBe(0);
        expect(loyaltyMismatches(till.db)).toEqual([]);
      } finally {
        till.close();
      }
    }, 180_000);
  },
);
