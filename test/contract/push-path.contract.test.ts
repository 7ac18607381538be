/**
 * The push path's contract, part 1: what a real ERPNext v15.71 did with pushed sales
 * (recordings 210–249; facts 1, 2, 3 and 5 of the "Push path findings" in the recordings'
 * README), asserted over HTTP against the simulator, or against a real site with
 * OUTPOST_CONTRACT_URL / _KEY / _SECRET / _POS_PROFILE set (see erpnext.contract.test.ts;
 * without a POS Profile the tests are skipped on a remote site). push-site.ts says what the
 * tests create; afterwards they cancel and delete it.
 */
import { describe, expect, it } from 'vitest';
import { data, expectError, message, rows, type Row } from './frappe-body.js';
import {
  loyaltyBalance,
  loyaltyEntries,
  posInvoice,
  sell,
  uuid,
  type PushSite,
} from './push-site.js';
import { pushSuite } from './push-suite.js';

const suite = pushSuite();

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
    const s = suite.need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const first = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] }),
      suite.created,
    );
    const dup = await suite.api.insert(
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
      await suite.api.list('POS Invoice', {
        fields: ['name', 'docstatus', s.saleField],
        filters: [[s.saleField, '=', key]],
      }),
    );
    expect(found).toEqual([{ name: first['name'], docstatus: 1, [s.saleField]: key }]);
    const next = data(
      await suite.api.insert(
        'POS Invoice',
        posInvoice(s, { [s.saleField]: uuid(s.run), items: [{ item_code: s.item, qty: 1 }] }),
      ),
    );
    suite.created.push({ doctype: 'POS Invoice', name: String(next['name']) });
    // Another user of a real site may take the name in between.
    if (!suite.target.remote) expect(next['name']).toBe(refused);
  });

  it('the same holds for a direct Sales Invoice (245)', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
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
    await sell(suite.api, 'Sales Invoice', body, suite.created);
    const dup = await suite.api.insert('Sales Invoice', { ...body, docstatus: 0 });
    expectError(dup, 417, 'UniqueValidationError', { text: 'must be unique' });
    const found = rows(
      await suite.api.list('Sales Invoice', { filters: [[s.saleField, '=', key]] }),
    );
    expect(found).toHaveLength(1);
  });
});

describe('push path: submitting twice does no harm (fact 2: 220, 221)', () => {
  it('PUT {docstatus: 1} on a submitted invoice is 200; only modified moves; no second points', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const done = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { [s.saleField]: uuid(s.run), items: [{ item_code: s.item, qty: 1 }] }),
      suite.created,
    );
    const name = String(done['name']);
    const before = await loyaltyEntries(suite.api, name);
    const again = data(await suite.api.update('POS Invoice', name, { docstatus: 1 }));
    expect(again['docstatus']).toBe(1);
    expect(again['status']).toBe(done['status']);
    expect(again['grand_total']).toBe(done['grand_total']);
    expect(String(again['modified']) > String(done['modified'])).toBe(true);
    expect(await loyaltyEntries(suite.api, name)).toEqual(before);
  });
});

describe('push path: ignore_pricing_rule (fact 3: 215-217, 223, 224)', () => {
  it('with the flag, as Administrator, the rows stand as sent', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    if (s.user !== 'Administrator') {
      ctx.skip('ignore_pricing_rule is permlevel 1 on POS Invoice: this is Administrator only');
    }
    const taxes = s.taxAccount
      ? [{ charge_type: 'On Net Total', account_head: s.taxAccount, description: 'CT 6%', rate: 6 }]
      : [];
    const done = await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, {
        [s.saleField]: uuid(s.run),
        ignore_pricing_rule: 1,
        items: [explicitRow(s, 5)],
        taxes,
      }),
      suite.created,
    );
    const got = data(await suite.api.get('POS Invoice', String(done['name'])));
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
    const s = suite.need((w) => ctx.skip(w));
    const draft = data(
      await suite.api.insert(
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
    suite.created.push({ doctype: 'POS Invoice', name: String(draft['name']) });
    const row = (draft['items'] as Row[])[0];
    expect(row).toMatchObject({ price_list_rate: 20, discount_percentage: 10, rate: 18 });
    expect(JSON.parse(String(row?.['pricing_rules']))).toEqual([s.rule]);
  });
});

describe('push path: loyalty redemption beyond the balance (fact 5: 222)', () => {
  it('is refused already on the draft insert', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const programs = rows(
      await suite.api.list('Loyalty Program', { filters: [['company', '=', s.company]], limit: 1 }),
    );
    const program = programs[0] ? String(programs[0]['name']) : undefined;
    if (!program) ctx.skip(`no Loyalty Program of ${s.company} on the site`);
    const customer = data(
      await suite.api.insert('Customer', {
        customer_name: `OCT-${s.run} Loyal`,
        customer_type: 'Individual',
        loyalty_program: program,
      }),
    );
    const name = String(customer['name']);
    suite.created.push({ doctype: 'Customer', name });
    await sell(
      suite.api,
      'POS Invoice',
      posInvoice(s, { customer: name, items: [{ item_code: s.item, qty: 5 }] }),
      suite.created,
    );
    const balance = await loyaltyBalance(suite.api, name, String(program), s.company);
    const over = balance + 1;
    const res = await suite.api.insert(
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

describe('push path: batched drafts and refused drafts (the push batch and its review)', () => {
  it('insert_many returns the drafts’ names in the order sent, each holding its uuid', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const keys = [uuid(s.run), uuid(s.run), uuid(s.run)];
    const names = message(
      await suite.api.method('frappe.client.insert_many', {
        docs: keys.map((k) => ({
          doctype: 'POS Invoice',
          ...posInvoice(s, { [s.saleField]: k, items: [{ item_code: s.item, qty: 1 }] }),
        })),
      }),
    ) as string[];
    for (const name of names) suite.created.push({ doctype: 'POS Invoice', name });
    expect(names).toHaveLength(3);
    for (const [i, name] of names.entries()) {
      const doc = data(await suite.api.get('POS Invoice', name));
      expect([doc[s.saleField], doc['docstatus']]).toEqual([keys[i], 0]);
    }
  });

  it('a redemption cannot share a batch with the sale that earns its points: the whole batch is refused', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const programs = rows(
      await suite.api.list('Loyalty Program', { filters: [['company', '=', s.company]], limit: 1 }),
    );
    const program = programs[0] ? String(programs[0]['name']) : undefined;
    if (!program) ctx.skip(`no Loyalty Program of ${s.company} on the site`);
    const customer = data(
      await suite.api.insert('Customer', {
        customer_name: `OCT-${s.run} Batch Loyal`,
        customer_type: 'Individual',
        loyalty_program: program,
      }),
    );
    const name = String(customer['name']);
    suite.created.push({ doctype: 'Customer', name });
    const earn = uuid(s.run);
    const res = await suite.api.method('frappe.client.insert_many', {
      docs: [
        {
          doctype: 'POS Invoice',
          ...posInvoice(s, {
            [s.saleField]: earn,
            customer: name,
            items: [{ item_code: s.item, qty: 5 }],
          }),
        },
        {
          doctype: 'POS Invoice',
          ...posInvoice(s, {
            [s.saleField]: uuid(s.run),
            customer: name,
            ignore_pricing_rule: 1,
            items: [{ item_code: s.item, qty: 1, price_list_rate: 20, rate: 20 }],
            redeem_loyalty_points: 1,
            loyalty_program: program,
            loyalty_points: 1,
            loyalty_amount: 1,
            payments: [{ mode_of_payment: s.mode, amount: 19 }],
          }),
        },
      ],
    });
    // The first draft earns nothing until it is submitted: the balance is 0 when the second
    // is validated, and the whole request rolls back.
    expectError(res, 417, 'ValidationError', {
      text: "You don't have enough Loyalty Points to redeem",
    });
    expect(
      rows(await suite.api.list('POS Invoice', { filters: [[s.saleField, '=', earn]] })),
    ).toEqual([]);
  });

  it('a draft is deleted with 202, and its uuid can then be inserted again (a retry after review)', async (ctx) => {
    const s = suite.need((w) => ctx.skip(w));
    const key = uuid(s.run);
    const body = posInvoice(s, { [s.saleField]: key, items: [{ item_code: s.item, qty: 1 }] });
    const first = data(await suite.api.insert('POS Invoice', { ...body, docstatus: 0 }));
    const del = await suite.api.delete('POS Invoice', String(first['name']));
    expect([del.status, del.body]).toEqual([202, { data: 'ok' }]);
    const again = data(await suite.api.insert('POS Invoice', { ...body, docstatus: 0 }));
    suite.created.push({ doctype: 'POS Invoice', name: String(again['name']) });
    expect([again[s.saleField], again['docstatus']]).toEqual([key, 0]);
    expect(
      rows(
        await suite.api.list('POS Invoice', {
          fields: ['name'],
          filters: [[s.saleField, '=', key]],
        }),
      ),
    ).toEqual([{ name: again['name'] }]);
  });
});
