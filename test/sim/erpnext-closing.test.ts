import { describe, expect, it } from 'vitest';
import { CUSTOMER, ITEM, PROFILE, RULED, WAREHOUSE, cash, makePosSite } from './erpnext-site.js';
import { data, rows } from './site.js';

const GET_INVOICES =
  '/api/method/erpnext.accounts.doctype.pos_closing_entry.pos_closing_entry.get_pos_invoices';

describe('POS Closing Entry consolidation (ERPNext v15)', () => {
  it('merges the session into a Sales Invoice that posts stock, ledger and Bin', () => {
    const site = makePosSite();
    const opening = data(site.open());
    const a = data(site.sell([{ item_code: ITEM, qty: 2 }], cash(5)));
    const b = data(site.sell([{ item_code: RULED, qty: 1 }], cash(18)));
    site.clock.advance(1000);
    const now = site.app.time.peek().slice(0, 19);
    const invoices = (
      site.post(GET_INVOICES, {
        start: '2026-11-27 01:00:00',
        end: now,
        pos_profile: PROFILE,
        user: 'Administrator',
      }).body as { message: Record<string, unknown>[] }
    ).message;
    expect(invoices.map((i) => i['name'])).toEqual([a['name'], b['name']]);
    site.clock.advance(1000);
    const closing = site.post('/api/resource/POS Closing Entry', {
      pos_opening_entry: opening['name'],
      period_start_date: '2026-11-27 01:00:00',
      period_end_date: now,
      pos_profile: PROFILE,
      user: 'Administrator',
      company: 'Outpost Demo Retail',
      pos_transactions: invoices.map((i) => ({
        pos_invoice: i['name'],
        posting_date: i['posting_date'],
        grand_total: i['grand_total'],
        customer: i['customer'],
      })),
      payment_reconciliation: [
        { mode_of_payment: 'Cash', opening_amount: 0, expected_amount: 23, closing_amount: 23 },
      ],
      docstatus: 1,
    });
    expect(closing.status).toBe(200);
    expect(data(closing)['status']).toBe('Submitted');
    const opened = data(site.get(`/api/resource/POS Opening Entry/${String(opening['name'])}`));
    expect(opened['status']).toBe('Closed');

    const after = data(site.get(`/api/resource/POS Invoice/${String(a['name'])}`));
    expect(after['status']).toBe('Consolidated');
    const siName = String(after['consolidated_invoice']);
    const si = data(site.get(`/api/resource/Sales Invoice/${siName}`));
    expect(si).toMatchObject({
      is_consolidated: 1,
      customer: CUSTOMER,
      grand_total: 23,
      docstatus: 1,
    });
    // Rows carry net rates and point back at their POS Invoice rows. The row a pricing rule
    // priced loses its rate on submit (ignore_pricing_rule removes the rule) but keeps its
    // amounts, as the real consolidated invoice in recording 237 shows.
    const items = si['items'] as Record<string, unknown>[];
    expect(
      items.map((i) => [i['item_code'], i['rate'], i['net_rate'], i['amount'], i['pos_invoice']]),
    ).toEqual([
      [ITEM, 2.5, 2.5, 5, a['name']],
      [RULED, 0, 18, 18, b['name']],
    ]);

    const sle = rows(
      site.get('/api/resource/Stock Ledger Entry', {
        fields: '["item_code","actual_qty","voucher_type","voucher_no"]',
        filters: `[["voucher_no","=","${siName}"]]`,
      }),
    );
    expect(sle).toEqual([
      { item_code: ITEM, actual_qty: -2, voucher_type: 'Sales Invoice', voucher_no: siName },
      { item_code: RULED, actual_qty: -1, voucher_type: 'Sales Invoice', voucher_no: siName },
    ]);
    const bin = rows(
      site.get('/api/resource/Bin', {
        fields: '["item_code","actual_qty"]',
        filters: `[["warehouse","=","${WAREHOUSE}"]]`,
        order_by: 'item_code asc',
      }),
    );
    expect(bin).toEqual([
      { item_code: ITEM, actual_qty: 8 },
      { item_code: RULED, actual_qty: 9 },
    ]);
    const gl = rows(
      site.get('/api/resource/GL Entry', {
        fields: '["account","debit","credit"]',
        filters: `[["voucher_no","=","${siName}"]]`,
      }),
    );
    // Sales 2 x 2.50 + 1 x 18 = 23 to the debtor, settled in cash; stock out at valuation rate
    // 1: (2 + 1) x 1 = 3 from Stock In Hand to Cost of Goods Sold. Debits 23 + 23 + 3 = 49 =
    // credits 23 + 23 + 3.
    expect(gl).toEqual([
      { account: 'Debtors - ODR', debit: 23, credit: 0 },
      { account: 'Sales - ODR', debit: 0, credit: 23 },
      { account: 'Debtors - ODR', debit: 0, credit: 23 },
      { account: 'Cash - ODR', debit: 23, credit: 0 },
      { account: 'Cost of Goods Sold - ODR', debit: 3, credit: 0 },
      { account: 'Stock In Hand - ODR', debit: 0, credit: 3 },
    ]);
  });
});
