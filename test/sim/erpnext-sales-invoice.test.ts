import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, WAREHOUSE } from './erpnext-site.js';
import { makePosSite } from './erpnext-site.js';
import { data, rows } from './site.js';

describe('Sales Invoice with is_pos and update_stock (ERPNext v15)', () => {
  it('posts its Stock Ledger Entry and moves the Bin at once, without an opening entry', () => {
    const site = makePosSite({ SOAP: 10 });
    const draft = site.post('/api/resource/Sales Invoice', {
      customer: CUSTOMER,
      company: 'Outpost Demo Retail',
      is_pos: 1,
      pos_profile: PROFILE,
      update_stock: 1,
      items: [{ item_code: ITEM, qty: 3 }],
      payments: [{ mode_of_payment: 'Cash', amount: 7.5 }],
    });
    expect(draft.status).toBe(200);
    const name = String(data(draft)['name']);
    const submitted = data(site.put(`/api/resource/Sales Invoice/${name}`, { docstatus: 1 }));
    expect(submitted).toMatchObject({ status: 'Paid', grand_total: 7.5, outstanding_amount: 0 });
    const sle = rows(
      site.get('/api/resource/Stock Ledger Entry', {
        fields: '["actual_qty","qty_after_transaction","voucher_type"]',
        filters: `[["voucher_no","=","${name}"]]`,
      }),
    );
    expect(sle).toEqual([
      { actual_qty: -3, qty_after_transaction: 7, voucher_type: 'Sales Invoice' },
    ]);
    const bin = rows(
      site.get('/api/resource/Bin', {
        fields: '["actual_qty"]',
        filters: `[["item_code","=","${ITEM}"],["warehouse","=","${WAREHOUSE}"]]`,
      }),
    );
    expect(bin).toEqual([{ actual_qty: 7 }]);
  });
});
