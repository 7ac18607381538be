import { describe, expect, it } from 'vitest';
import { PROFILE, query } from '../pos/till-fixture.js';
import {
  binQty,
  client,
  getDoc,
  list,
  openTill,
  pointAt,
  sellShift,
  worker,
  pushSuite,
} from './push-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();

const open = () => suite.open();

/** The signed invoice of a journal record, by uuid. */
const signed = (dir: string, uuid: unknown): Json => {
  const row = query<{ body: string }>(dir, 'SELECT body FROM journal WHERE uuid = ?', uuid)[0];
  return (JSON.parse(row?.body ?? '{}') as { invoice: Json }).invoice;
};

describe('push in sales_invoice mode', () => {
  it('one submitted Sales Invoice per sale, as signed; stock and points at once; again → nothing', async () => {
    const dir = suite.copy();
    const shift = await sellShift(dir);
    const sim = await open();
    pointAt(dir, sim, 'sales_invoice');
    const warehouse = String(getDoc(sim, 'POS Profile', PROFILE)['warehouse']);
    const before = Object.fromEntries(
      ['SKU-0000001', 'SKU-0000002', 'SKU-0000003', 'SKU-0000004', 'SKU-0000005'].map((c) => [
        c,
        binQty(sim, c, warehouse),
      ]),
    );
    const till = openTill(dir);
    try {
      const w = worker(till, client(sim), 'sales_invoice');
      const passes = await w.drain({ wait: true });
      const rejected = passes.flatMap((p) => p.rejected);
      expect(rejected).toEqual([]);
      const jobs = query<{ state: string; n: number }>(
        dir,
        'SELECT state, count(*) AS n FROM push_job GROUP BY state',
      );
      expect(jobs).toEqual([{ state: 'done', n: 11 }]);

      const invoices = list(sim, 'Sales Invoice', [['outpost_si_uuid', 'is', 'set']]);
      const redeemed = shift.sales[2];
      const sold = [...shift.sales, shift.returned, shift.exchange.return, shift.exchange.sale];
      expect(invoices).toHaveLength(sold.length);
      for (const s of sold) {
        const mine = invoices.filter((i) => i['outpost_si_uuid'] === s['uuid']);
        expect(mine).toHaveLength(1);
        const inv = mine[0] as Json;
        const sig = signed(dir, s['uuid']);
        const voided = s['uuid'] === shift.sales[4]?.['uuid'];
        expect(inv['docstatus']).toBe(voided ? 2 : 1);
        expect(inv['grand_total']).toBe(sig['grand_total']);
        expect(inv['rounded_total']).toBe(sig['rounded_total']);
        expect(inv['paid_amount']).toBe(sig['paid_amount']);
        expect(inv['outpost_si_receipt_no']).toBe(s['invoice_no']);
        expect(inv['posting_date']).toBe(sig['posting_date']);
      }
      // A redeeming sale's draft stores paid_amount as the payments alone (set_paid_amount in
      // before_save) and a bare submit would keep it (test/sim/erpnext-sales-invoice-loyalty);
      // the push submits with the signed paid_amount (payments + points), so nothing differs.
      expect(query(dir, 'SELECT uuid, field, signed, erpnext FROM push_conflict')).toEqual([]);
      // The points' value settles the rest of the receivable (its own ledger credit).
      const redeemedDoc = invoices.find((i) => i['outpost_si_uuid'] === redeemed?.['uuid']);
      expect(redeemedDoc).toMatchObject({
        loyalty_amount: 1.12,
        outstanding_amount: 0,
        status: 'Paid',
      });
      // Stock fell by exactly what was sold and not taken back (the void put its item back).
      const after = (c: string) => binQty(sim, c, warehouse);
      expect(after('SKU-0000001')).toBe(before['SKU-0000001']! - 1);
      expect(after('SKU-0000005')).toBe(Number((before['SKU-0000005']! - 1.234).toFixed(3)));
      // Sourdough: 20 + 20 sold, then 3 in the exchange plus its free loaf (buy 2 get 1).
      expect(after('SKU-0000002')).toBe(before['SKU-0000002']! - 44);
      expect(after('SKU-0000003')).toBe(before['SKU-0000003']! - 2);
      // SKU-0000004: 1 sold then voided. Cancelling the Sales Invoice reverses its Stock Ledger
      // Entry (recordings 247-249), so none is gone.
      expect(after('SKU-0000004')).toBe(before['SKU-0000004']!);
      // The exchange's free row stands at 0, as sent.
      const exchanged = invoices.find((i) => i['outpost_si_uuid'] === shift.exchange.sale['uuid']);
      const rows = getDoc(sim, 'Sales Invoice', String(exchanged?.['name']))['items'] as Json[];
      expect(rows.map((r) => [r['item_code'], r['qty'], r['rate'], r['is_free_item']])).toEqual([
        ['SKU-0000002', 3, 5.49, 0],
        ['SKU-0000002', 1, 0, 1],
      ]);
      // Loyalty: earned 112 on the first sale, then redeemed them all (a -112 entry against
      // the first sale's, apply_loyalty_points on submit) and earned again.
      const lpe = list(sim, 'Loyalty Point Entry', [['customer', '=', 'Aisha Jackson']]);
      const byInvoice = (uuid: unknown) =>
        lpe
          .filter(
            (e) => e['invoice'] === invoices.find((i) => i['outpost_si_uuid'] === uuid)?.['name'],
          )
          .map((e) => [e['loyalty_points'], e['redeem_against'] ?? null])
          .sort((a, b) => Number(b[0]) - Number(a[0]));
      const firstEntry = lpe.find(
        (e) =>
          e['invoice'] ===
          invoices.find((i) => i['outpost_si_uuid'] === shift.sales[1]?.['uuid'])?.['name'],
      )?.['name'];
      expect(byInvoice(shift.sales[1]?.['uuid'])).toEqual([[112, null]]);
      expect(byInvoice(redeemed?.['uuid'])).toEqual([
        [Number(redeemed?.['loyalty_points_earned']), null],
        [-112, firstEntry],
      ]);

      // Again: nothing new is sent.
      const again = await w.drain({ wait: true });
      expect(again.flatMap((p) => p.pushed)).toEqual([]);
      expect(list(sim, 'Sales Invoice', [['outpost_si_uuid', 'is', 'set']])).toHaveLength(
        sold.length,
      );
    } finally {
      till.close();
    }
  }, 120_000);
});

describe('push in pos_invoice mode', () => {
  it('opening, one submitted POS Invoice per sale, the closing consolidates; again → nothing', async () => {
    const dir = suite.copy();
    // With a redemption: a bare {docstatus: 1} after the draft would be refused as a partial
    // payment (test/sim/erpnext-pos-redeem-submit.test.ts); the push submits with paid_amount.
    const shift = await sellShift(dir);
    const sim = await open();
    pointAt(dir, sim, 'pos_invoice');
    const warehouse = String(getDoc(sim, 'POS Profile', PROFILE)['warehouse']);
    const before = binQty(sim, 'SKU-0000003', warehouse);
    const till = openTill(dir);
    try {
      const w = worker(till, client(sim), 'pos_invoice');
      const passes = await w.drain({ wait: true });
      expect(passes.flatMap((p) => p.rejected)).toEqual([]);
      expect(query(dir, 'SELECT state, count(*) AS n FROM push_job GROUP BY state')).toEqual([
        { state: 'done', n: 11 },
      ]);
      const sold = [...shift.sales, shift.returned, shift.exchange.return, shift.exchange.sale];
      const invoices = list(sim, 'POS Invoice', [['outpost_uuid', 'is', 'set']]);
      expect(invoices).toHaveLength(sold.length);
      for (const s of sold) {
        const mine = invoices.filter((i) => i['outpost_uuid'] === s['uuid']);
        expect(mine).toHaveLength(1);
        const sig = signed(dir, s['uuid']);
        expect(mine[0]?.['grand_total']).toBe(sig['grand_total']);
        expect(mine[0]?.['docstatus']).toBe(s['uuid'] === shift.sales[4]?.['uuid'] ? 2 : 1);
      }
      const closings = list(sim, 'POS Closing Entry', [['outpost_shift_uuid', 'is', 'set']]);
      expect(closings).toHaveLength(1);
      expect(closings[0]?.['status']).toBe('Submitted');
      // Sparkle Cola: 3 sold, 1 taken back in the exchange; the Bin moves at the closing.
      expect(binQty(sim, 'SKU-0000003', warehouse)).toBe(before - 2);
      const again = await w.drain({ wait: true });
      expect(again.flatMap((p) => p.pushed)).toEqual([]);
    } finally {
      till.close();
    }
  }, 120_000);
});
