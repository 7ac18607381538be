import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, RULED, makePosSite } from './erpnext-site.js';
import { data } from './site.js';

type Row = Record<string, unknown>;

/**
 * set_missing_item_details (erpnext/controllers/accounts_controller.py) writes what
 * get_item_details found only into fields that are None: a price_list_rate sent as 0 is kept,
 * and calculate_item_values leaves a rate alone when price_list_rate is 0. So a free row (the
 * "get 1 free" of a product rule, sent as printed with ignore_pricing_rule) stays free, while a
 * row sent without a price still gets the price list's.
 */
describe('a row sent at price_list_rate 0 with ignore_pricing_rule (ERPNext v15)', () => {
  for (const doctype of ['POS Invoice', 'Sales Invoice'] as const) {
    it(`${doctype}: the free row stays at 0 through the draft and the submit`, () => {
      const site = makePosSite();
      site.open();
      const draft = site.post(`/api/resource/${doctype}`, {
        company: 'Outpost Demo Retail',
        pos_profile: PROFILE,
        customer: CUSTOMER,
        is_pos: 1,
        update_stock: 1,
        ignore_pricing_rule: 1,
        items: [
          { item_code: RULED, qty: 2, price_list_rate: 20, rate: 20 },
          { item_code: ITEM, qty: 1, price_list_rate: 0, rate: 0, is_free_item: 1 },
          { item_code: ITEM, qty: 2 },
        ],
        payments: [{ mode_of_payment: 'Cash', amount: 45 }],
      });
      expect(draft.status).toBe(200);
      const name = String(data(draft)['name']);
      const submitted = site.put(`/api/resource/${doctype}/${name}`, { docstatus: 1 });
      expect(submitted.status).toBe(200);
      for (const doc of [data(draft), data(submitted)]) {
        const items = doc['items'] as Row[];
        // TEA 2 x 20 = 40 as sent; SOAP free; SOAP 2 x 2.50 (the price list's) = 5.
        expect(
          items.map((i) => [i['item_code'], i['price_list_rate'], i['rate'], i['amount']]),
        ).toEqual([
          [RULED, 20, 20, 40],
          [ITEM, 0, 0, 0],
          [ITEM, 2.5, 2.5, 5],
        ]);
        expect(doc).toMatchObject({ total: 45, grand_total: 45, paid_amount: 45 });
      }
    });
  }
});
