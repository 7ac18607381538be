/**
 * The push path's contract, part 2 (facts 6–9 of the recordings' README, 225–249): customers,
 * returns, cancelling, and consolidation, against the simulator or a real site as in
 * push-path.contract.test.ts. The cancel test sells one unit of an item already in stock in the
 * profile's warehouse and cancels the sale (net stock unchanged); the consolidation test closes
 * the POS Opening Entry it opened.
 */
import { describe, expect, it } from 'vitest';
import { data, expectError, message, rows, serverMessages, type Row } from './frappe-body.js';
import { posInvoice, sell, uuid } from './push-site.js';
import { pushSuite } from './push-suite.js';

const suite = pushSuite();

describe('push path: a duplicate customer name is renamed, not refused (fact 6: 225-228)', () => {
  it('stores "<name> - 1" with a note; the unique uuid field stops a retry', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const customerName = `OCT-${s.run} Offline`;
    const body = (key: string): Row => ({
      customer_name: customerName,
      customer_type: 'Individual',
      [s.customerField]: key,
    });
    const k1 = uuid(s.run);
    const first = await suite.api.insert('Customer', body(k1));
    const one = data(first);
    suite.created.push({ doctype: 'Customer', name: String(one['name']) });
    if (one['name'] !== customerName) ctx.skip('the site names customers by naming series');
    const second = await suite.api.insert('Customer', body(uuid(s.run)));
    const two = data(second);
    suite.created.push({ doctype: 'Customer', name: String(two['name']) });
    expect(two['name']).toBe(`${customerName} - 1`);
    expect(two['customer_name']).toBe(customerName);
    expect(serverMessages(second.body)).toEqual([
      {
        message: `Changed customer name to '${customerName} - 1' as '${customerName}' already exists.`,
        title: 'Note',
        indicator: 'yellow',
      },
    ]);
    const retry = await suite.api.insert('Customer', body(k1));
    const messages = expectError(retry, 417, 'UniqueValidationError');
    expect(messages.map((m) => m['message'])).toEqual([
      `Changed customer name to '${customerName} - 2' as '${customerName}' already exists.`,
      `Outpost CT ${s.run} Customer UUID must be unique`,
    ]);
    const listed = rows(
      await suite.api.list('Customer', {
        fields: ['name', 'customer_name'],
        filters: [['customer_name', '=', customerName]],
        order_by: 'creation asc',
      }),
    );
    expect(listed.map((r) => r['name'])).toEqual([customerName, `${customerName} - 1`]);
  });
});

describe('push path: returns as draft then submit (fact 7: 229, 230)', () => {
  it('a row without pos_invoice_item is accepted with a message on every save', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const sale = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        ignore_pricing_rule: 1,
        items: [{ item_code: s.item, qty: 2, price_list_rate: 20, rate: 20 }],
      }),
      suite.created,
    );
    const total = Number(sale['rounded_total'] || sale['grand_total']);
    const draft = await suite.api.insert(
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        is_return: 1,
        return_against: sale['name'],
        ignore_pricing_rule: 1,
        items: [{ item_code: s.item, qty: -2, price_list_rate: 20, rate: 20 }],
        payments: [{ mode_of_payment: s.mode, amount: -total }],
        paid_amount: -total,
        base_paid_amount: -total,
        docstatus: 0,
      }),
    );
    const ret = data(draft);
    suite.created.push({ doctype: 'POS Invoice', name: String(ret['name']) });
    const note = `Row # 1: Returned Item ${s.item} does not exist in POS Invoice ${String(sale['name'])}`;
    expect(serverMessages(draft.body)).toEqual([{ message: note, title: 'Message' }]);
    const submitted = await suite.api.update('POS Invoice', String(ret['name']), { docstatus: 1 });
    expect(data(submitted)).toMatchObject({ docstatus: 1, status: 'Return', is_return: 1 });
    expect(serverMessages(submitted.body)).toEqual([{ message: note, title: 'Message' }]);
  });
});

describe("push path: a return at another store, against the original's name and rows", () => {
  // What pos/remote-return.ts relies on: ERPNext finds the original by return_against, counts
  // its submitted returns per original row (item_code, pos_invoice_item) and refuses more than
  // the row holds (erpnext/controllers/sales_and_purchase_return.py validate_return_against,
  // validate_returned_items, validate_quantity, get_already_returned_items).
  it('takes a linked row back up to what is left; refuses more (StockOverReturnError) and an unknown original (LinkValidationError)', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const sale = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        ignore_pricing_rule: 1,
        items: [{ item_code: s.item, qty: 2, price_list_rate: 20, rate: 20 }],
      }),
      suite.created,
    );
    const row = String((sale['items'] as Row[])[0]?.['name']);
    const ret = (qty: number, against = String(sale['name'])) =>
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        is_return: 1,
        return_against: against,
        ignore_pricing_rule: 1,
        items: [
          { item_code: s.item, qty: -qty, price_list_rate: 20, rate: 20, pos_invoice_item: row },
        ],
        payments: [{ mode_of_payment: s.mode, amount: -20 * qty }],
        paid_amount: -20 * qty,
        base_paid_amount: -20 * qty,
        docstatus: 0,
      });
    const first = await sell(suite.api, 'POS Invoice', ret(1), suite.created);
    expect(first).toMatchObject({ docstatus: 1, is_return: 1, return_against: sale['name'] });
    const over = await suite.api.insert('POS Invoice', ret(2));
    expectError(over, 417, 'StockOverReturnError', {
      text: `Row # 1: Cannot return more than 1.0 for Item ${s.item}`,
    });
    const unknown = await suite.api.insert('POS Invoice', ret(1, `NOPE-${s.run}`));
    // Frappe checks links before validate (frappe/model/document.py insert: _validate_links).
    expectError(unknown, 417, 'LinkValidationError', {
      text: `Could not find Return Against: NOPE-${s.run}`,
    });
  });
});

describe('push path: cancelling before the session closes (fact 8: 231-234, 247-249)', () => {
  it('frappe.client.cancel cancels an unconsolidated POS Invoice; its uuid stays taken', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const sale = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
      suite.created,
    );
    const name = String(sale['name']);
    const cancelled = message(
      await suite.api.method('frappe.client.cancel', { doctype: 'POS Invoice', name }),
    ) as Row;
    expect(cancelled).toMatchObject({ name, docstatus: 2, status: 'Cancelled' });
    expect(data(await suite.api.get('POS Invoice', name))).toMatchObject({
      docstatus: 2,
      status: 'Cancelled',
      [s.saleField]: key,
    });
    const again = await suite.api.insert(
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
    );
    expectError(again, 417, 'UniqueValidationError', { text: 'must be unique' });
  });

  it('cancelling a direct Sales Invoice flags its stock entry and the reversal is_cancelled', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const bins = rows(
      await suite.api.list('Bin', {
        fields: ['item_code', 'actual_qty'],
        filters: [
          ['warehouse', '=', s.warehouse],
          ['actual_qty', '>', 5],
        ],
        order_by: 'item_code asc',
        limit: 1,
      }),
    );
    const stocked = bins[0];
    if (!stocked) ctx.skip(`no item in stock in ${s.warehouse}`);
    const code = String(stocked?.['item_code']);
    const sale = await sell(
      suite.api,
      'Sales Invoice',
      {
        company: s.company,
        customer: s.customer,
        pos_profile: s.profile['name'],
        is_pos: 1,
        update_stock: 1,
        [s.saleField]: uuid(s.run),
        items: [{ item_code: code, qty: 1, warehouse: s.warehouse }],
        payments: [{ mode_of_payment: s.mode, amount: 0 }],
      },
      suite.created,
    );
    const name = String(sale['name']);
    const cancelled = message(
      await suite.api.method('frappe.client.cancel', { doctype: 'Sales Invoice', name }),
    ) as Row;
    expect(cancelled).toMatchObject({ docstatus: 2, status: 'Cancelled' });
    const sle = rows(
      await suite.api.list('Stock Ledger Entry', {
        fields: ['voucher_no', 'actual_qty', 'is_cancelled'],
        filters: [['voucher_no', '=', name]],
        order_by: 'creation asc',
      }),
    );
    expect(sle).toEqual([
      { voucher_no: name, actual_qty: -1, is_cancelled: 1 },
      { voucher_no: name, actual_qty: 1, is_cancelled: 1 },
    ]);
    const bin = rows(
      await suite.api.list('Bin', {
        fields: ['actual_qty'],
        filters: [
          ['item_code', '=', code],
          ['warehouse', '=', s.warehouse],
        ],
      }),
    );
    expect(bin).toEqual([{ actual_qty: stocked?.['actual_qty'] }]);
  });
});

describe('push path: consolidation copies same-named custom fields (fact 9: 235-237, 246)', () => {
  it('the consolidated Sales Invoice takes the last POS Invoice’s uuid, which then blocks a direct push', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const [ka, kb] = [uuid(s.run), uuid(s.run)];
    const a = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: ka, items: [{ item_code: s.item, qty: 1 }] }),
      suite.created,
    );
    const b = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: kb, items: [{ item_code: s.item, qty: 2 }] }),
      suite.created,
    );
    const opening = data(await suite.api.get('POS Opening Entry', s.opening));
    const now = new Date().toISOString().slice(0, 10);
    const paid = [a, b].reduce((sum, d) => sum + Number(d['paid_amount']), 0);
    const closing = data(
      await suite.api.insert('POS Closing Entry', {
        pos_opening_entry: s.opening,
        period_start_date: opening['period_start_date'],
        period_end_date: `${String(b['posting_date'])} 23:59:59`,
        posting_date: b['posting_date'] ?? now,
        pos_profile: s.profile['name'],
        user: s.user,
        company: s.company,
        pos_transactions: [a, b].map((d) => ({
          pos_invoice: d['name'],
          posting_date: d['posting_date'],
          grand_total: d['grand_total'],
          customer: d['customer'],
        })),
        payment_reconciliation: [
          {
            mode_of_payment: s.mode,
            opening_amount: 0,
            expected_amount: paid,
            closing_amount: paid,
          },
        ],
        docstatus: 1,
      }),
    );
    suite.created.push({ doctype: 'POS Closing Entry', name: String(closing['name']) });
    expect(closing['status']).toBe('Submitted');
    const merged = data(await suite.api.get('POS Invoice', String(a['name'])));
    expect(merged['status']).toBe('Consolidated');
    const si = data(await suite.api.get('Sales Invoice', String(merged['consolidated_invoice'])));
    expect(si).toMatchObject({ is_consolidated: 1, docstatus: 1, [s.saleField]: kb });
    const direct = await suite.api.insert('Sales Invoice', {
      company: s.company,
      customer: s.customer,
      pos_profile: s.profile['name'],
      is_pos: 1,
      [s.saleField]: kb,
      items: [{ item_code: s.item, qty: 1 }],
      payments: [{ mode_of_payment: s.mode, amount: 20 }],
    });
    expectError(direct, 417, 'UniqueValidationError', { text: 'must be unique' });
  });
});
