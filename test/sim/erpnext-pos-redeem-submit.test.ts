import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, RULED, cash, makePosSite } from './erpnext-site.js';
import { data } from './site.js';

/**
 * A redeeming POS Invoice posted as a draft, then submitted by PUT. ERPNext's server never adds
 * loyalty_amount to a POS Invoice's paid_amount: taxes_and_totals.calculate_paid_amount runs only
 * from calculate_total_advance, for Sales / Purchase Invoice drafts, and the draft's before_save
 * (SalesInvoice.set_paid_amount) stores Σ payments. The submit's validate (no before_save) keeps
 * what the document holds, so validate_full_payment refuses a bare {docstatus: 1} and accepts a
 * submit that carries paid_amount with the points in it, as the POS page's savesubmit does.
 */
function redeemingDraft() {
  const site = makePosSite();
  site.open();
  expect(site.sell([{ item_code: ITEM, qty: 4 }], cash(10)).status).toBe(200);
  const draft = site.post('/api/resource/POS Invoice', {
    company: 'Outpost Demo Retail',
    pos_profile: PROFILE,
    customer: CUSTOMER,
    is_pos: 1,
    update_stock: 1,
    // TEA 20.00 less 10 % = 18.00: 5 points (factor 1) and 13.00 in cash.
    items: [{ item_code: RULED, qty: 1 }],
    payments: [{ mode_of_payment: 'Cash', amount: 13 }],
    paid_amount: 18,
    redeem_loyalty_points: 1,
    loyalty_points: 5,
    loyalty_amount: 5,
  });
  expect(draft.status).toBe(200);
  expect(data(draft)).toMatchObject({ grand_total: 18, paid_amount: 13, loyalty_amount: 5 });
  return { site, name: String(data(draft)['name']) };
}

describe('submitting a redeeming POS Invoice draft (ERPNext v15)', () => {
  it('a bare {docstatus: 1} is a partial payment: refused', () => {
    const { site, name } = redeemingDraft();
    const r = site.put(`/api/resource/POS Invoice/${name}`, { docstatus: 1 });
    expect(r.status).toBe(417);
    expect((r.body as { exc_type: string }).exc_type).toBe('PartialPaymentValidationError');
  });

  it('a submit carrying paid_amount = payments + points is accepted and stored', () => {
    const { site, name } = redeemingDraft();
    const r = site.put(`/api/resource/POS Invoice/${name}`, {
      docstatus: 1,
      paid_amount: 18,
      base_paid_amount: 18,
    });
    expect(r.status).toBe(200);
    expect(data(site.get(`/api/resource/POS Invoice/${name}`))).toMatchObject({
      docstatus: 1,
      paid_amount: 18,
      base_paid_amount: 18,
      status: 'Paid',
    });
  });
});
