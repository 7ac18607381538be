import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, cash, makePosSite } from './erpnext-site.js';
import { data } from './site.js';

/**
 * Where ERPNext v15 reads disable_rounded_total (AccountsController.is_rounded_total_disabled):
 * POS Invoice has no such field, so Global Defaults decides (recorded on a real site: parity
 * case 300); Sales Invoice has its own field (default 0), which decides for it.
 */
describe('disable_rounded_total: Global Defaults for a POS Invoice, its own field for a Sales Invoice', () => {
  const siteWithGlobalDefault = () => {
    const site = makePosSite({ [ITEM]: 10 });
    const put = site.put('/api/resource/Global Defaults/Global Defaults', {
      disable_rounded_total: 1,
    });
    expect(put.status).toBe(200);
    expect(data(put)['disable_rounded_total']).toBe(1);
    return site;
  };

  it('a POS Invoice gets rounded_total and rounding_adjustment 0 when Global Defaults disables it', () => {
    const site = siteWithGlobalDefault();
    expect(site.open().status).toBe(200);
    const r = site.sell([{ item_code: ITEM, qty: 3 }], cash(7.5));
    expect(r.status).toBe(200);
    const doc = data(r);
    expect([doc['grand_total'], doc['rounded_total'], doc['rounding_adjustment']]).toEqual([
      7.5, 0, 0,
    ]);
  });

  it('a Sales Invoice follows its own flag, whatever Global Defaults says', () => {
    const site = siteWithGlobalDefault();
    const post = (flag: number | undefined) =>
      data(
        site.post('/api/resource/Sales Invoice', {
          customer: CUSTOMER,
          company: 'Outpost Demo Retail',
          is_pos: 1,
          pos_profile: PROFILE,
          items: [{ item_code: ITEM, qty: 3 }],
          payments: [{ mode_of_payment: 'Cash', amount: 7.5 }],
          ...(flag === undefined ? {} : { disable_rounded_total: flag }),
        }),
      );
    const unset = post(undefined);
    expect([unset['disable_rounded_total'], unset['rounded_total']]).toEqual([0, 7.5]);
    const set = post(1);
    expect([set['disable_rounded_total'], set['rounded_total']]).toEqual([1, 0]);
  });
});
