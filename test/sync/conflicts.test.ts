import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_TRIGGERS } from '../../src/journal/index.js';
import { cli, cliJson, makeTemplate, query, sellArgs } from '../pos/till-fixture.js';
import { pointAt, simWithFields } from './push-fixture.js';
import type { RunningSim } from './sim-site.js';

type Json = Record<string, unknown>;

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

let sims: RunningSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

/** A change made in ERPNext through REST, as a back-office user would. */
function put(sim: RunningSim, doctype: string, name: string, patch: Json): void {
  const r = sim.call('PUT', `/api/resource/${doctype}/${encodeURIComponent(name)}`, patch);
  if (r.status !== 200)
    throw new Error(`PUT ${doctype} ${name}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** The sale's posting date and time, as its signed record carries them. */
function postedAt(dir: string, uuid: unknown): string {
  const row = query<{ body: string }>(dir, 'SELECT body FROM journal WHERE uuid = ?', uuid)[0];
  const inv = (JSON.parse(row?.body ?? '{}') as { invoice: Json }).invoice;
  return `${String(inv['posting_date'])} ${String(inv['posting_time'])}`;
}

const everything = (dir: string) => ({
  journal: query(dir, 'SELECT * FROM journal ORDER BY seq'),
  outbox: query(dir, 'SELECT uuid, payload FROM outbox ORDER BY seq'),
  sale: query(dir, 'SELECT * FROM sale ORDER BY seq'),
});

const ZERO_AT_SALE = 'State Sales Tax - ODR 0%, City Sales Tax - ODR 0%, VAT - ODR 0%';
const ZERO_NOW = 'State Sales Tax - ODR 2%, City Sales Tax - ODR 0%, VAT - ODR 0%';

describe('outpost conflicts', () => {
  it('lists exactly what changed in ERPNext since the offline sales, with the values at sale and now', async () => {
    const dir = template.copy();
    // Offline: the till sells on its pulled snapshot.
    const milk = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const bread = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000002:2',
        '--item',
        'SKU-0000005:1',
        '--customer',
        'Aisha Jackson',
      ),
    );
    const coffee = await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1'));
    const cola = await cliJson(sellArgs(dir, '--item', 'SKU-0000003:1'));

    // Meanwhile in ERPNext.
    const sim = await simWithFields();
    sims.push(sim);
    pointAt(dir, sim, 'sales_invoice');
    put(sim, 'Item Price', 'IP-SKU-0000001-STD', { price_list_rate: 4.59 });
    put(sim, 'Pricing Rule', 'PRLE-0001', { disable: 1 });
    put(sim, 'Item', 'SKU-0000004', { disabled: 1 });
    put(sim, 'Customer', 'Aisha Jackson', { customer_group: 'Gold' });
    // Bananas (SKU-0000005) are zero-rated; the other items sold are at the reduced rate.
    put(sim, 'Item Tax Template', 'Zero Rated - ODR', {
      taxes: [
        { tax_type: 'State Sales Tax - ODR', tax_rate: 2 },
        { tax_type: 'City Sales Tax - ODR', tax_rate: 0 },
        { tax_type: 'VAT - ODR', tax_rate: 0 },
      ],
    });

    const before = everything(dir);
    const pulled = await cli(['sync', '--data', dir, '--pull', '--once']);
    expect(pulled.code).toBe(0);
    const r = await cli(['conflicts', '--data', dir, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { conflicts: Json[] };
    const rows = (sale: Json) => ({
      invoice_no: sale['invoice_no'],
      uuid: sale['uuid'],
      posted_at: postedAt(dir, sale['uuid']),
    });
    expect(report.conflicts).toEqual([
      {
        ...rows(milk),
        kind: 'price',
        item_code: 'SKU-0000001',
        doctype: 'Item Price',
        name: 'Standard Selling',
        at_sale: '4.29',
        now: '4.59',
        message:
          "SKU-0000001 was sold at the list price 4.29 (Standard Selling); ERPNext's price is now 4.59",
      },
      {
        ...rows(milk),
        kind: 'pricing_rule',
        item_code: 'SKU-0000001',
        doctype: 'Pricing Rule',
        name: 'PRLE-0001',
        at_sale: 'applied',
        now: 'disabled',
        message:
          'Pricing rule PRLE-0001 (Milk: 10% off 2 or more) applied on SKU-0000001 at sale is now disabled in ERPNext',
      },
      {
        ...rows(bread),
        kind: 'customer',
        item_code: null,
        doctype: 'Customer',
        name: 'Aisha Jackson',
        at_sale: 'Members',
        now: 'Gold',
        message: "Customer Aisha Jackson's customer group was Members at sale; it is now Gold",
      },
      {
        ...rows(bread),
        kind: 'tax_template',
        item_code: 'SKU-0000005',
        doctype: 'Item Tax Template',
        name: 'Zero Rated - ODR',
        at_sale: ZERO_AT_SALE,
        now: ZERO_NOW,
        message: `Item tax template Zero Rated - ODR on SKU-0000005: rates were ${ZERO_AT_SALE} at sale; they are now ${ZERO_NOW}`,
      },
      {
        ...rows(coffee),
        kind: 'item_disabled',
        item_code: 'SKU-0000004',
        doctype: 'Item',
        name: 'SKU-0000004',
        at_sale: 'enabled',
        now: 'disabled',
        message: 'Item SKU-0000004 was on sale then; it is now disabled in ERPNext',
      },
    ]);
    // The cola sale saw no change: it is not listed.
    expect(report.conflicts.filter((c) => c['uuid'] === cola['uuid'])).toEqual([]);
    // The report changes no sale: journal (receipts are printed from it), outbox and index.
    expect(everything(dir)).toEqual(before);
  }, 60_000);

  it('lists the pricing rules ERPNext created after a sale whose scope takes in an item it sold', async () => {
    const dir = template.copy();
    const cola = await cliJson(sellArgs(dir, '--item', 'SKU-0000003:1'));
    const milk = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    const sim = await simWithFields();
    sims.push(sim);
    pointAt(dir, sim, 'sales_invoice');
    const rule = (fields: Json): { name: string; modified: string } => {
      const r = sim.call('POST', '/api/resource/Pricing Rule', {
        apply_on: 'Item Code',
        price_or_product_discount: 'Price',
        rate_or_discount: 'Discount Percentage',
        discount_percentage: 5,
        selling: 1,
        company: 'Outpost Demo Retail',
        currency: 'USD',
        ...fields,
      });
      if (r.status !== 200) throw new Error(`Pricing Rule: ${r.status} ${JSON.stringify(r.body)}`);
      const d = (r.body as { data: Json }).data;
      return { name: String(d['name']), modified: String(d['modified']) };
    };
    const onCola = rule({ title: 'Cola week', items: [{ item_code: 'SKU-0000003' }] });
    // Grocery is the parent of Beverages: a rule on it covers cola.
    const onGrocery = rule({
      title: 'Grocery days',
      apply_on: 'Item Group',
      item_groups: [{ item_group: 'Grocery' }],
    });
    const onBrand = rule({
      title: 'Sparkle promo',
      apply_on: 'Brand',
      brands: [{ brand: 'Sparkle' }],
    });
    // Not in scope: buying only, valid from next year, another item, another brand.
    rule({ title: 'Cola purchase', selling: 0, buying: 1, items: [{ item_code: 'SKU-0000003' }] });
    rule({
      title: 'Cola next year',
      valid_from: '2099-01-01',
      items: [{ item_code: 'SKU-0000003' }],
    });
    rule({ title: 'Coffee week', items: [{ item_code: 'SKU-0000004' }] });
    rule({ title: 'Other brand', apply_on: 'Brand', brands: [{ brand: 'Fresh Roast' }] });
    expect((await cli(['sync', '--data', dir, '--pull', '--once'])).code).toBe(0);
    const report = JSON.parse((await cli(['conflicts', '--data', dir, '--json'])).out) as {
      conflicts: Json[];
    };
    const found = (
      sale: Json,
      item: string,
      r: { name: string; modified: string },
      title: string,
    ) => ({
      invoice_no: sale['invoice_no'],
      uuid: sale['uuid'],
      posted_at: postedAt(dir, sale['uuid']),
      kind: 'pricing_rule',
      item_code: item,
      doctype: 'Pricing Rule',
      name: r.name,
      at_sale: 'not applied',
      now: `changed ${r.modified}`,
      message: `Pricing rule ${r.name} (${title}) covering ${item} was created or changed in ERPNext at ${r.modified}, after the sale, which did not apply it`,
    });
    // By sale, then rule name as the store lists them. Milk is Dairy, also under Grocery.
    expect(report.conflicts).toEqual([
      found(cola, 'SKU-0000003', onCola, 'Cola week'),
      found(cola, 'SKU-0000003', onGrocery, 'Grocery days'),
      found(cola, 'SKU-0000003', onBrand, 'Sparkle promo'),
      found(milk, 'SKU-0000001', onGrocery, 'Grocery days'),
    ]);
    expect([onCola.name, onGrocery.name, onBrand.name]).toEqual([
      'PRLE-0015',
      'PRLE-0016',
      'PRLE-0017',
    ]);
  }, 60_000);

  it('reports the totals conflicts the push recorded, in text by default, within --since', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1'));
    // What the push records when ERPNext's totals differ from the signed record.
    const db = new Database(join(dir, 'store.db'));
    try {
      db.prepare(
        `INSERT INTO push_conflict (uuid, remote_doctype, remote_name, field, signed, erpnext, found_at)
         VALUES (?, 'Sales Invoice', 'ACC-SINV-2026-00007', 'grand_total', ?, '10.95', '2026-12-01T00:00:00.000Z')`,
      ).run(sale['uuid'], sale['grand_total']);
    } finally {
      db.close();
    }
    const posted = postedAt(dir, sale['uuid']);
    const message = `ERPNext's grand_total on Sales Invoice ACC-SINV-2026-00007 is 10.95; the signed receipt says ${String(sale['grand_total'])}`;
    const json = await cliJson<{ since: string; conflicts: Json[] }>([
      'conflicts',
      '--data',
      dir,
      '--json',
      '--since',
      '2020-01-01',
    ]);
    expect(json).toEqual({
      since: '2020-01-01',
      conflicts: [
        {
          invoice_no: sale['invoice_no'],
          uuid: sale['uuid'],
          posted_at: posted,
          kind: 'totals',
          item_code: null,
          doctype: 'Sales Invoice',
          name: 'ACC-SINV-2026-00007',
          at_sale: sale['grand_total'],
          now: '10.95',
          message,
        },
      ],
    });
    const text = await cli(['conflicts', '--data', dir, '--since', '2020-01-01']);
    expect(text).toEqual({
      code: 0,
      out: `1 conflict(s) in the sales since 2020-01-01:\n\n${String(sale['invoice_no'])}  ${posted}\n  totals        ${message}\n`,
      err: '',
    });
    // Sales before the period are left out; a bad date is refused, naming the flag.
    expect(await cli(['conflicts', '--data', dir, '--since', '2999-01-01'])).toEqual({
      code: 0,
      out: 'No conflicts in the sales since 2999-01-01.\n',
      err: '',
    });
    const bad = await cli(['conflicts', '--data', dir, '--since', 'last week']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toEqual({
      error: {
        kind: 'InvalidInput',
        message: "--since: 'last week' is not a date (YYYY-MM-DD)",
        field: '--since',
      },
    });
  }, 60_000);

  it('refuses a sale record altered on disk instead of reporting from it', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1'));
    const db = new Database(join(dir, 'store.db'));
    try {
      for (const name of JOURNAL_TRIGGERS) db.exec(`DROP TRIGGER ${name}`);
      db.prepare(
        'UPDATE journal SET body = replace(body, \'"price_list_rate":9.99\', \'"price_list_rate":8.99\') WHERE uuid = ?',
      ).run(sale['uuid']);
    } finally {
      db.close();
    }
    const r = await cli(['conflicts', '--data', dir]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      error: {
        kind: 'Tampered',
        message: 'journal seq 5 fails verification: ALTERED: the body does not match body_hash',
        field: 'journal',
      },
    });
  }, 60_000);
});
