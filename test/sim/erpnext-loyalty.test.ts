import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, RULED, cash, makePosSite } from './erpnext-site.js';
import { data, rows } from './site.js';

const entries = (site: ReturnType<typeof makePosSite>) =>
  rows(
    site.get('/api/resource/Loyalty Point Entry', {
      fields:
        '["name","invoice","loyalty_points","purchase_amount","redeem_against","expiry_date"]',
      filters: `[["customer","=","${CUSTOMER}"]]`,
      order_by: 'creation asc',
    }),
  );

describe('loyalty on POS Invoice submit (ERPNext v15)', () => {
  it('earns points on submit and removes them on cancel', () => {
    const site = makePosSite();
    site.open();
    const sale = data(site.sell([{ item_code: RULED, qty: 2 }], cash(36)));
    const earned = entries(site);
    expect(earned).toMatchObject([
      { invoice: sale['name'], loyalty_points: 36, purchase_amount: 36 },
    ]);
    expect(earned[0]?.['expiry_date']).toBe('2026-12-27');
    const r = site.post('/api/method/frappe.client.cancel', {
      doctype: 'POS Invoice',
      name: sale['name'],
    });
    expect(r.status).toBe(200);
    expect(entries(site)).toEqual([]);
  });

  it('redeems FIFO by expiry with negative entries against the earned ones', () => {
    const site = makePosSite();
    site.open();
    const first = data(site.sell([{ item_code: ITEM, qty: 2 }], cash(5)));
    const second = data(site.sell([{ item_code: RULED, qty: 1 }], cash(18)));
    const redeeming = data(
      site.sell([{ item_code: RULED, qty: 1 }], {
        // loyalty_amount counts as paid: the client sends paid_amount = payments + points.
        payments: [{ mode_of_payment: 'Cash', amount: 11 }],
        paid_amount: 18,
        base_paid_amount: 18,
        redeem_loyalty_points: 1,
        loyalty_points: 7,
        loyalty_amount: 7,
      }),
    );
    const redemptions = entries(site).filter((e) => e['invoice'] === redeeming['name']);
    const negative = redemptions.filter((e) => Number(e['loyalty_points']) < 0);
    expect(negative.map((e) => e['loyalty_points'])).toEqual([-5, -2]);
    const earnedBy = new Map(entries(site).map((e) => [e['name'], e['invoice']]));
    expect(negative.map((e) => earnedBy.get(String(e['redeem_against'])))).toEqual([
      first['name'],
      second['name'],
    ]);
  });
});
