import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, RULED, cash, makePosSite } from './erpnext-site.js';
import { data, serverMessages } from './site.js';

describe('POS Invoice validation (ERPNext v15)', () => {
  it('refuses a sale without an open POS Opening Entry for the profile', () => {
    const site = makePosSite();
    const r = site.sell([{ item_code: ITEM, qty: 1 }], cash(2.5));
    expect(r.status).toBe(417);
    expect(serverMessages(r)).toEqual([
      `No open POS Opening Entry found for POS Profile <strong>${PROFILE}</strong>.`,
    ]);
    expect(site.open().status).toBe(200);
    expect(site.sell([{ item_code: ITEM, qty: 1 }], cash(2.5)).status).toBe(200);
  });

  it('re-prices the lines itself: a client rate is overwritten by price list and rules', () => {
    const site = makePosSite();
    site.open();
    const body = {
      company: 'Outpost Demo Retail',
      pos_profile: PROFILE,
      customer: CUSTOMER,
      is_pos: 1,
      posting_date: site.app.time.today(),
      docstatus: 0,
      items: [
        { item_code: RULED, qty: 2, rate: 99 },
        { item_code: ITEM, qty: 3 },
      ],
      ...cash(43.5),
    };
    const doc = data(site.post('/api/resource/POS Invoice', body));
    // Worked by hand: TEA 20.00 less the 10 % rule = 18.00 (the client's 99 is ignored),
    // x 2 = 36.00; SOAP 2.50 x 3 = 7.50, no rule; no taxes on the profile: 36 + 7.5 = 43.50.
    expect(doc).toMatchObject({ total: 43.5, net_total: 43.5, grand_total: 43.5 });
    const items = doc['items'] as Record<string, unknown>[];
    expect(
      items.map((i) => [i['item_code'], i['rate'], i['discount_percentage'], i['amount']]),
    ).toEqual([
      [RULED, 18, 10, 36],
      [ITEM, 2.5, 0, 7.5],
    ]);
  });

  it('resets the posting date to now unless set_posting_time', () => {
    const site = makePosSite();
    site.open();
    const moved = data(
      site.sell([{ item_code: ITEM, qty: 1 }], { ...cash(2.5), posting_date: '2026-11-01' }),
    );
    expect(moved['posting_date']).toBe(site.app.time.today());
    const kept = data(
      site.sell([{ item_code: ITEM, qty: 1 }], {
        ...cash(2.5),
        posting_date: '2026-11-01',
        posting_time: '10:00:00',
        set_posting_time: 1,
      }),
    );
    expect(kept['posting_date']).toBe('2026-11-01');
  });

  it('refuses partial payment and missing payments on submit; 500 without paid_amount', () => {
    const site = makePosSite();
    site.open();
    const partial = site.sell([{ item_code: ITEM, qty: 2 }], cash(1));
    expect(partial.status).toBe(417);
    expect((partial.body as { exc_type: string }).exc_type).toBe('PartialPaymentValidationError');
    const none = site.sell([{ item_code: ITEM, qty: 1 }], { payments: [], paid_amount: 0 });
    expect(serverMessages(none)).toEqual([
      'At least one mode of payment is required for POS invoice.',
    ]);
    const typeError = site.sell([{ item_code: ITEM, qty: 1 }], {
      payments: [{ mode_of_payment: 'Cash', amount: 2.5 }],
    });
    expect(typeError.status).toBe(500);
    expect((typeError.body as { exc_type: string }).exc_type).toBe('TypeError');
  });
});
