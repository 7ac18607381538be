import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, RULED, makePosSite } from './erpnext-site.js';
import { data, rows } from './site.js';

type Site = ReturnType<typeof makePosSite>;
type Row = Record<string, unknown>;

/**
 * Loyalty on an is_pos Sales Invoice (erpnext/accounts/doctype/sales_invoice/sales_invoice.py):
 * on_submit earns (make_loyalty_point_entry), a return recomputes its original's entry, and a
 * redemption is booked as negative entries (apply_loyalty_points) and as a GL pair against the
 * program's expense account (make_loyalty_point_redemption_gle); the outstanding amount comes
 * from the ledger, where the redemption is a credit of its own.
 */
function loyalSite(): Site {
  const site = makePosSite({ [ITEM]: 20, [RULED]: 20 });
  const r = site.put('/api/resource/Loyalty Program/Stars', {
    expense_account: 'Write Off - ODR',
    cost_center: 'Main - ODR',
  });
  expect(r.status).toBe(200);
  return site;
}

/** Insert a draft, then submit it with a PUT of docstatus 1 (how the push posts a sale). */
function draftThenSubmit(site: Site, body: Row): Row {
  site.clock.advance(1000);
  const draft = site.post('/api/resource/Sales Invoice', {
    customer: CUSTOMER,
    company: 'Outpost Demo Retail',
    is_pos: 1,
    pos_profile: PROFILE,
    update_stock: 1,
    ...body,
  });
  expect(draft.status).toBe(200);
  const name = String(data(draft)['name']);
  const submitted = site.put(`/api/resource/Sales Invoice/${name}`, { docstatus: 1 });
  expect(submitted.status).toBe(200);
  return data(site.get(`/api/resource/Sales Invoice/${name}`));
}

const entries = (site: Site, invoice: unknown): Row[] =>
  rows(
    site.get('/api/resource/Loyalty Point Entry', {
      fields: '["loyalty_points","purchase_amount","redeem_against"]',
      filters: JSON.stringify([['invoice', '=', invoice]]),
      order_by: 'loyalty_points desc',
    }),
  );

const earnedName = (site: Site, invoice: unknown): unknown =>
  rows(
    site.get('/api/resource/Loyalty Point Entry', {
      fields: '["name"]',
      filters: JSON.stringify([['invoice', '=', invoice]]),
    }),
  )[0]?.['name'];

describe('loyalty on an is_pos Sales Invoice (ERPNext v15)', () => {
  it('a redemption makes a negative entry, a GL pair, and leaves nothing outstanding', () => {
    const site = loyalSite();
    // SOAP 2.50 x 4 = 10.00: 10 points at collection factor 1.
    const first = draftThenSubmit(site, {
      items: [{ item_code: ITEM, qty: 4 }],
      payments: [{ mode_of_payment: 'Cash', amount: 10 }],
    });
    expect(entries(site, first['name'])).toEqual([
      { loyalty_points: 10, purchase_amount: 10, redeem_against: null },
    ]);
    // TEA 20.00 less its 10 % rule = 18.00; 5 points (conversion factor 1) pay 5.00, cash 13.
    const redeeming = draftThenSubmit(site, {
      items: [{ item_code: RULED, qty: 1 }],
      payments: [{ mode_of_payment: 'Cash', amount: 13 }],
      paid_amount: 18,
      redeem_loyalty_points: 1,
      loyalty_points: 5,
      loyalty_amount: 5,
    });
    // The draft's before_save (set_paid_amount) stored Σ payments; a submit's validate does not
    // run calculate_paid_amount again (calculate_total_advance: drafts only), so 13 stays.
    expect(redeeming).toMatchObject({
      grand_total: 18,
      paid_amount: 13,
      loyalty_amount: 5,
      loyalty_redemption_account: 'Write Off - ODR',
      loyalty_redemption_cost_center: 'Main - ODR',
      outstanding_amount: 0,
      status: 'Paid',
    });
    // Earned on 18 - 5 = 13; the 5 redeemed against the first sale's entry.
    expect(entries(site, redeeming['name'])).toEqual([
      { loyalty_points: 13, purchase_amount: 13, redeem_against: null },
      { loyalty_points: -5, purchase_amount: 18, redeem_against: earnedName(site, first['name']) },
    ]);
    const gl = rows(
      site.get('/api/resource/GL Entry', {
        fields: '["account","debit","credit","against"]',
        filters: JSON.stringify([
          ['voucher_no', '=', redeeming['name']],
          ['account', 'in', ['Debtors - ODR', 'Write Off - ODR']],
        ]),
        order_by: 'creation asc, name asc',
        limit_page_length: '0',
      }),
    );
    expect(gl).toEqual(
      expect.arrayContaining([
        {
          account: 'Debtors - ODR',
          debit: 0,
          credit: 5,
          against: 'Expense account - Write Off - ODR for the Loyalty Program',
        },
        { account: 'Write Off - ODR', debit: 5, credit: 0, against: CUSTOMER },
      ]),
    );
    const debtors = gl.filter((g) => g['account'] === 'Debtors - ODR');
    const balance = debtors.reduce((s, g) => s + Number(g['debit']) - Number(g['credit']), 0);
    expect(balance).toBe(0);
  });

  it("a return recomputes its original's points on what is left (10 points, half returned: 5)", () => {
    const site = loyalSite();
    const sale = draftThenSubmit(site, {
      items: [{ item_code: ITEM, qty: 4 }],
      payments: [{ mode_of_payment: 'Cash', amount: 10 }],
    });
    const row = (sale['items'] as Row[])[0];
    draftThenSubmit(site, {
      is_return: 1,
      return_against: sale['name'],
      items: [{ item_code: ITEM, qty: -2, sales_invoice_item: row?.['name'] }],
      payments: [{ mode_of_payment: 'Cash', amount: -5 }],
    });
    // make_loyalty_point_entry again: 10.00 less the 5.00 returned.
    expect(entries(site, sale['name'])).toEqual([
      { loyalty_points: 5, purchase_amount: 5, redeem_against: null },
    ]);
  });
});
