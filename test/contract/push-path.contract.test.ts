/**
 * The push path's contract: what a real ERPNext v15.71 did with pushed sales (recordings
 * 210–249, "Push path findings" facts 1–3 and 5–9 of the recordings' README), asserted over
 * HTTP against the simulator, or against a real site with OUTPOST_CONTRACT_URL / _KEY / _SECRET
 * / _POS_PROFILE set (see erpnext.contract.test.ts). Without a POS Profile the suite is skipped
 * on a remote site. It creates its own uniquely named Custom Fields (unique Data, the same
 * fieldname on POS Invoice and Sales Invoice), an Item with a price and a 10 % Pricing Rule, a
 * POS Opening Entry, customers and invoices, and closes the session it opened; afterwards it
 * cancels and deletes what it made. A stock item already stocked in the profile's warehouse is
 * sold once and the sale cancelled (net stock unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, expectError, message, rows, serverMessages, type Row } from './frappe-body.js';
import {
  loyaltyBalance,
  loyaltyEntries,
  posInvoice,
  removeAll,
  sell,
  setUpPushSite,
  uuid,
  type PushSite,
} from './push-site.js';
import { Frappe, openTarget, type Target } from './target.js';

let target: Target;
let api: Frappe;
let site: PushSite | undefined;
let skipWhy: string | undefined;
const created: { doctype: string; name: string }[] = [];

beforeAll(async () => {
  target = await openTarget();
  api = new Frappe(target);
  const user = String(message(await api.call('GET', '/api/method/frappe.auth.get_logged_user')));
  let profile = target.posProfile;
  if (!profile && !target.remote) {
    const first = rows(await api.list('POS Profile', { order_by: 'name asc', limit: 1 }))[0];
    profile = first ? String(first['name']) : undefined;
  }
  if (!profile) {
    skipWhy = 'OUTPOST_CONTRACT_POS_PROFILE is not set';
    return;
  }
  site = await setUpPushSite(api, profile, user, created);
}, 120_000);

afterAll(async () => {
  try {
    if (api) await removeAll(api, created);
  } finally {
    await target?.close();
  }
}, 120_000);

function need(skip: (why: string) => void): PushSite {
  if (skipWhy || !site) {
    skip(skipWhy ?? 'no push site');
    throw new Error('unreachable');
  }
  return site;
}

/** One explicit row at 20 less 50 %: what a till that printed 10 pushes. */
const explicitRow = (s: PushSite, qty = 1): Row => ({
  item_code: s.item,
  qty,
  uom: 'Nos',
  price_list_rate: 20,
  discount_percentage: 50,
  rate: 10,
});

describe('push path: a unique custom field is the idempotency key (fact 1: 218, 219, 223, 245)', () => {
  it('a second insert with the same uuid is 417 UniqueValidationError and stores nothing', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const first = await sell(
      api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
      created,
    );
    const dup = await api.insert(
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: key,
        items: [{ item_code: s.item, qty: 1 }],
        payments: [{ mode_of_payment: s.mode, amount: first['grand_total'] }],
        docstatus: 0,
      }),
    );
    const messages = expectError(dup, 417, 'UniqueValidationError', { text: 'must be unique' });
    expect(messages.map((m) => m['message'])).toEqual([
      `Outpost CT ${s.run} Sale UUID must be unique`,
    ]);
    // The name the refused insert had drawn goes to the next insert (the series is not used up).
    const refused = /\('POS Invoice', '([^']+)'/.exec(String((dup.body as Row)['exception']))?.[1];
    const found = rows(
      await api.list('POS Invoice', {
        fields: ['name', 'docstatus', s.saleField],
        filters: [[s.saleField, '=', key]],
      }),
    );
    expect(found).toEqual([{ name: first['name'], docstatus: 1, [s.saleField]: key }]);
    const next = data(
      await api.insert(
        'POS Invoice',
        posInvoice(s, { [s.saleField]: uuid(s.run), items: [{ item_code: s.item, qty: 1 }] }),
      ),
    );
    created.push({ doctype: 'POS Invoice', name: String(next['name']) });
    // Another user of a real site may take the name in between.
    if (!target.remote) expect(next['name']).toBe(refused);
  });

  it('the same holds for a direct Sales Invoice (245)', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const body = {
      company: s.company,
      customer: s.customer,
      pos_profile: s.profile['name'],
      is_pos: 1,
      update_stock: 0,
      [s.saleField]: key,
      items: [{ item_code: s.item, qty: 1 }],
      payments: [{ mode_of_payment: s.mode, amount: 0 }],
    };
    await sell(api, 'Sales Invoice', body, created);
    const dup = await api.insert('Sales Invoice', { ...body, docstatus: 0 });
    expectError(dup, 417, 'UniqueValidationError', { text: 'must be unique' });
    const found = rows(await api.list('Sales Invoice', { filters: [[s.saleField, '=', key]] }));
    expect(found).toHaveLength(1);
  });
});

describe('push path: submitting twice does no harm (fact 2: 220, 221)', () => {
  it('PUT {docstatus: 1} on a submitted invoice is 200; only modified moves; no second points', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const done = await sell(
      api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: uuid(s.run), items: [{ item_code: s.item, qty: 1 }] }),
      created,
    );
    const name = String(done['name']);
    const before = await loyaltyEntries(api, name);
    const again = data(await api.update('POS Invoice', name, { docstatus: 1 }));
    expect(again['docstatus']).toBe(1);
    expect(again['status']).toBe(done['status']);
    expect(again['grand_total']).toBe(done['grand_total']);
    expect(String(again['modified']) > String(done['modified'])).toBe(true);
    expect(await loyaltyEntries(api, name)).toEqual(before);
  });
});

describe('push path: ignore_pricing_rule (fact 3: 215-217, 223, 224)', () => {
  it('with the flag, as Administrator, the rows stand as sent', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    if (s.user !== 'Administrator') {
      ctx.skip('ignore_pricing_rule is permlevel 1 on POS Invoice: this is Administrator only');
    }
    const taxes = s.taxAccount
      ? [{ charge_type: 'On Net Total', account_head: s.taxAccount, description: 'CT 6%', rate: 6 }]
      : [];
    const done = await sell(
      api,
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        ignore_pricing_rule: 1,
        items: [explicitRow(s, 5)],
        taxes,
      }),
      created,
    );
    const got = data(await api.get('POS Invoice', String(done['name'])));
    const row = (got['items'] as Row[])[0];
    expect(got['ignore_pricing_rule']).toBe(1);
    expect(row).toMatchObject({
      price_list_rate: 20,
      discount_percentage: 50,
      rate: 10,
      amount: 50,
    });
    expect(row?.['pricing_rules'] ?? '').toBe('');
    expect(got['net_total']).toBe(50);
    if (s.taxAccount) {
      expect((got['taxes'] as Row[])[0]).toMatchObject({
        charge_type: 'On Net Total',
        account_head: s.taxAccount,
        rate: 6,
        tax_amount: 3,
      });
    }
  });

  it('without it the server applies the Pricing Rule again over the sent row', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const draft = data(
      await api.insert(
        'POS Invoice',
        posInvoice(s, {
          [s.saleField]: uuid(s.run),
          items: [
            { item_code: s.item, qty: 1, price_list_rate: 20, discount_percentage: 0, rate: 20 },
          ],
          payments: [{ mode_of_payment: s.mode, amount: 20 }],
        }),
      ),
    );
    created.push({ doctype: 'POS Invoice', name: String(draft['name']) });
    const row = (draft['items'] as Row[])[0];
    expect(row).toMatchObject({ price_list_rate: 20, discount_percentage: 10, rate: 18 });
    expect(JSON.parse(String(row?.['pricing_rules']))).toEqual([s.rule]);
  });
});

describe('push path: loyalty redemption beyond the balance (fact 5: 222)', () => {
  it('is refused already on the draft insert', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const programs = rows(
      await api.list('Loyalty Program', { filters: [['company', '=', s.company]], limit: 1 }),
    );
    const program = programs[0] ? String(programs[0]['name']) : undefined;
    if (!program) ctx.skip(`no Loyalty Program of ${s.company} on the site`);
    const customer = data(
      await api.insert('Customer', {
        customer_name: `OCT-${s.run} Loyal`,
        customer_type: 'Individual',
        loyalty_program: program,
      }),
    );
    const name = String(customer['name']);
    created.push({ doctype: 'Customer', name });
    await sell(
      api,
      'POS Invoice',
      posInvoice(s, { customer: name, items: [{ item_code: s.item, qty: 5 }] }),
      created,
    );
    const balance = await loyaltyBalance(api, name, String(program), s.company);
    const over = balance + 1;
    const res = await api.insert(
      'POS Invoice',
      posInvoice(s, {
        customer: name,
        ignore_pricing_rule: 1,
        items: [{ item_code: s.item, qty: 10, price_list_rate: 20, rate: 20 }],
        redeem_loyalty_points: 1,
        loyalty_program: program,
        loyalty_points: over,
        loyalty_amount: over,
        payments: [{ mode_of_payment: s.mode, amount: 200 - over }],
        docstatus: 0,
      }),
    );
    expectError(res, 417, 'ValidationError', {
      text: "You don't have enough Loyalty Points to redeem",
    });
  });
});

describe('push path: a duplicate customer name is renamed, not refused (fact 6: 225-228)', () => {
  it('stores "<name> - 1" with a note; the unique uuid field stops a retry', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const customerName = `OCT-${s.run} Offline`;
    const body = (key: string): Row => ({
      customer_name: customerName,
      customer_type: 'Individual',
      [s.customerField]: key,
    });
    const k1 = uuid(s.run);
    const first = await api.insert('Customer', body(k1));
    const one = data(first);
    created.push({ doctype: 'Customer', name: String(one['name']) });
    if (one['name'] !== customerName) ctx.skip('the site names customers by naming series');
    const second = await api.insert('Customer', body(uuid(s.run)));
    const two = data(second);
    created.push({ doctype: 'Customer', name: String(two['name']) });
    expect(two['name']).toBe(`${customerName} - 1`);
    expect(two['customer_name']).toBe(customerName);
    expect(serverMessages(second.body)).toEqual([
      {
        message: `Changed customer name to '${customerName} - 1' as '${customerName}' already exists.`,
        title: 'Note',
        indicator: 'yellow',
      },
    ]);
    const retry = await api.insert('Customer', body(k1));
    const messages = expectError(retry, 417, 'UniqueValidationError');
    expect(messages.map((m) => m['message'])).toEqual([
      `Changed customer name to '${customerName} - 2' as '${customerName}' already exists.`,
      `Outpost CT ${s.run} Customer UUID must be unique`,
    ]);
    const listed = rows(
      await api.list('Customer', {
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
    const s = need((w) => ctx.skip(w));
    const sale = await sell(
      api,
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        ignore_pricing_rule: 1,
        items: [{ item_code: s.item, qty: 2, price_list_rate: 20, rate: 20 }],
      }),
      created,
    );
    const total = Number(sale['rounded_total'] || sale['grand_total']);
    const draft = await api.insert(
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
    created.push({ doctype: 'POS Invoice', name: String(ret['name']) });
    const note = `Row # 1: Returned Item ${s.item} does not exist in POS Invoice ${String(sale['name'])}`;
    expect(serverMessages(draft.body)).toEqual([{ message: note, title: 'Message' }]);
    const submitted = await api.update('POS Invoice', String(ret['name']), { docstatus: 1 });
    expect(data(submitted)).toMatchObject({ docstatus: 1, status: 'Return', is_return: 1 });
    expect(serverMessages(submitted.body)).toEqual([{ message: note, title: 'Message' }]);
  });
});

describe('push path: cancelling before the session closes (fact 8: 231-234, 247-249)', () => {
  it('frappe.client.cancel cancels an unconsolidated POS Invoice; its uuid stays taken', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const sale = await sell(
      api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
      created,
    );
    const name = String(sale['name']);
    const cancelled = message(
      await api.method('frappe.client.cancel', { doctype: 'POS Invoice', name }),
    ) as Row;
    expect(cancelled).toMatchObject({ name, docstatus: 2, status: 'Cancelled' });
    expect(data(await api.get('POS Invoice', name))).toMatchObject({
      docstatus: 2,
      status: 'Cancelled',
      [s.saleField]: key,
    });
    const again = await api.insert(
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
    );
    expectError(again, 417, 'UniqueValidationError', { text: 'must be unique' });
  });

  it('cancelling a direct Sales Invoice flags its stock entry and the reversal is_cancelled', async (ctx) => {
    const s = need((w) => ctx.skip(w));
    const bins = rows(
      await api.list('Bin', {
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
      api,
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
      created,
    );
    const name = String(sale['name']);
    const cancelled = message(
      await api.method('frappe.client.cancel', { doctype: 'Sales Invoice', name }),
    ) as Row;
    expect(cancelled).toMatchObject({ docstatus: 2, status: 'Cancelled' });
    const sle = rows(
      await api.list('Stock Ledger Entry', {
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
      await api.list('Bin', {
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
    const s = need((w) => ctx.skip(w));
    const [ka, kb] = [uuid(s.run), uuid(s.run)];
    const a = await sell(
      api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: ka, items: [{ item_code: s.item, qty: 1 }] }),
      created,
    );
    const b = await sell(
      api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: kb, items: [{ item_code: s.item, qty: 2 }] }),
      created,
    );
    const opening = data(await api.get('POS Opening Entry', s.opening));
    const now = new Date().toISOString().slice(0, 10);
    const paid = [a, b].reduce((sum, d) => sum + Number(d['paid_amount']), 0);
    const closing = data(
      await api.insert('POS Closing Entry', {
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
    created.push({ doctype: 'POS Closing Entry', name: String(closing['name']) });
    expect(closing['status']).toBe('Submitted');
    const merged = data(await api.get('POS Invoice', String(a['name'])));
    expect(merged['status']).toBe('Consolidated');
    const si = data(await api.get('Sales Invoice', String(merged['consolidated_invoice'])));
    expect(si).toMatchObject({ is_consolidated: 1, docstatus: 1, [s.saleField]: kb });
    const direct = await api.insert('Sales Invoice', {
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
