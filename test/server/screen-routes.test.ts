import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTemplate } from '../pos/till-fixture.js';
import { serve, type Served } from './node-fixture.js';

let template: Awaited<ReturnType<typeof makeTemplate>>;
let served: Served | undefined;

beforeAll(async () => {
  template = await makeTemplate();
}, 180_000);

afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** What a pull would have stored: one Loyalty Point Entry ERPNext booked for Aisha Jackson. */
function pulledEntry(dir: string, company: string, today: string): void {
  const db = new Database(join(dir, 'store.db'));
  try {
    const doc = {
      name: 'LPE-00001',
      loyalty_program: 'Outpost Rewards',
      loyalty_program_tier: 'Member',
      customer: 'Aisha Jackson',
      invoice_type: 'Sales Invoice',
      invoice: 'ACC-SINV-2026-00001',
      loyalty_points: 250,
      purchase_amount: 250,
      posting_date: '2026-01-15',
      expiry_date: '2099-12-31',
      company,
    };
    db.prepare(`INSERT INTO doc (doctype, name, modified, data) VALUES (?, ?, ?, ?)`).run(
      'Loyalty Point Entry',
      doc.name,
      `${today} 00:00:00`,
      JSON.stringify(doc),
    );
  } finally {
    db.close();
  }
}

const companyOf = (dir: string): string => {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    const row = db.prepare(`SELECT name FROM doc WHERE doctype = 'Company'`).get() as {
      name: string;
    };
    return row.name;
  } finally {
    db.close();
  }
};

describe('GET /api/loyalty: a member’s points before any cart', () => {
  it('counts the points pulled from ERPNext and this store’s unpushed sales, and their value', async () => {
    const dir = template.copy();
    const today = new Date().toISOString().slice(0, 10);
    pulledEntry(dir, companyOf(dir), today);
    served = await serve(dir);
    const s = served;
    const session = await s.login();
    const ask = async (customer: string) => {
      const r = await s.api('GET', `/api/loyalty?customer=${encodeURIComponent(customer)}`, {
        session,
      });
      expect(r.status).toBe(200);
      return (await r.json()) as Record<string, unknown>;
    };
    const before = await ask('Aisha Jackson');
    expect(before).toEqual({
      customer: 'Aisha Jackson',
      customer_name: 'Aisha Jackson',
      as_of: before['as_of'],
      loyalty_program: 'Outpost Rewards',
      conversion_factor: '0.01',
      points: 250,
      points_value: '2.50',
      pulled_points: 250,
      unpushed_points: 0,
    });
    // Sourdough × 20: grand total 112.00, 112 points at 1 per 1.00 (test/server/price-loyalty).
    const sold = await s.api('POST', '/api/sales', {
      session,
      body: { items: [{ item_code: 'SKU-0000002', qty: '20' }], customer: 'Aisha Jackson' },
    });
    expect(sold.status).toBe(201);
    const after = await ask('Aisha Jackson');
    expect(after['points']).toBe(362);
    expect(after['points_value']).toBe('3.62');
    expect(after['pulled_points']).toBe(250);
    expect(after['unpushed_points']).toBe(112);
  });

  it('answers a customer in no program with no points, and refuses an unknown one', async () => {
    served = await serve(template.copy());
    const s = served;
    const session = await s.login();
    const r = await s.api(
      'GET',
      `/api/loyalty?customer=${encodeURIComponent('Walk-in Customer')}`,
      {
        session,
      },
    );
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body['loyalty_program']).toBeNull();
    expect(body['points']).toBe(0);
    expect(body['points_value']).toBe('0.00');
    const unknown = await s.api('GET', '/api/loyalty?customer=Nobody%20Here', { session });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { kind: 'NotFound', message: 'customer: no customer Nobody Here', field: 'customer' },
    });
  });
});

describe('GET /api/uoms: the quantity each unit takes', () => {
  it('gives Kg the site’s float precision and whole-number units none', async () => {
    served = await serve(template.copy());
    const s = served;
    const session = await s.login();
    const r = await s.api('GET', '/api/uoms', { session });
    expect(r.status).toBe(200);
    const { uoms } = (await r.json()) as { uoms: { uom: string }[] };
    expect([...uoms].sort((a, b) => a.uom.localeCompare(b.uom))).toEqual([
      { uom: 'Box', must_be_whole_number: true, precision: 0 },
      { uom: 'Gram', must_be_whole_number: false, precision: 3 },
      { uom: 'Kg', must_be_whole_number: false, precision: 3 },
      { uom: 'Litre', must_be_whole_number: false, precision: 3 },
      { uom: 'Nos', must_be_whole_number: true, precision: 0 },
      { uom: 'Unit', must_be_whole_number: true, precision: 0 },
    ]);
  });
});
