import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { openStore } from '../../src/store/db.js';
import { Lookup } from '../../src/store/lookup.js';
import { Catalog } from '../../src/store/catalog.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

const PROFILE = 'Store North - Till 1';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const count = (sim: RunningSim, doctype: string, filters: unknown[] = []): number => {
  const r = sim.call('GET', '/api/method/frappe.client.get_count', undefined, {
    doctype,
    filters: JSON.stringify(filters),
  });
  return Number((r.body as { message: unknown }).message);
};

const localCounts = (dir: string): Record<string, number> => {
  const db = openStore(join(dir, 'store.db'));
  try {
    return new Catalog(db).counts();
  } finally {
    db.close();
  }
};

describe('outpost init and pull against the simulator', () => {
  let sim: RunningSim;
  const dir = mkdtempSync(join(tmpdir(), 'outpost-pull-'));

  beforeAll(async () => {
    sim = await startSim({ items: 300, customers: 40 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('init checks ERPNext and runs the first pull; counts equal the simulator exactly', async () => {
    const r = await cli([
      'init',
      '--data',
      dir,
      '--erpnext',
      sim.url,
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--pos-profile',
      PROFILE,
      '--terminal',
      'T1',
    ]);
    expect(r.err).toMatch(/First pull done/);
    expect(r.code).toBe(0);
    const local = localCounts(dir);
    const profile = (
      sim.call('GET', `/api/resource/POS Profile/${PROFILE}`).body as {
        data: Record<string, unknown>;
      }
    ).data;
    expect(local['Item']).toBe(count(sim, 'Item'));
    expect(local['Customer']).toBe(count(sim, 'Customer'));
    expect(local['Pricing Rule']).toBe(count(sim, 'Pricing Rule', [['selling', '=', 1]]));
    expect(local['Bin']).toBe(count(sim, 'Bin', [['warehouse', '=', profile['warehouse']]]));
    expect(local['Item Price']).toBe(
      count(sim, 'Item Price', [
        ['selling', '=', 1],
        ['price_list', 'in', ['Standard Selling', 'Member Selling']],
      ]),
    );
    expect(local['POS Profile']).toBe(1);
    expect(local['Item Group']).toBe(count(sim, 'Item Group'));
  });

  it('an edited item, a new item, a price change, a deleted item, a disabled customer and a new rule all arrive', async () => {
    const put = (path: string, body: unknown) =>
      expect(sim.call('PUT', path, body).status).toBe(200);
    put('/api/resource/Item/SKU-0000002', { item_name: 'Renamed by head office' });
    const created = sim.call('POST', '/api/resource/Item', {
      item_code: 'NEW-ITEM-1',
      item_name: 'Brand new thing',
      item_group: 'Products',
      stock_uom: 'Nos',
      barcodes: [{ barcode: '4006381333931', barcode_type: 'EAN' }],
    });
    expect(created.status).toBe(200);
    const doomed = sim.call('POST', '/api/resource/Item', {
      item_code: 'DOOMED-1',
      item_name: 'To be deleted',
      item_group: 'Products',
      stock_uom: 'Nos',
    });
    expect(doomed.status).toBe(200);
    const prices = sim.call('GET', '/api/resource/Item Price', undefined, {
      filters: JSON.stringify([
        ['item_code', '=', 'SKU-0000003'],
        ['price_list', '=', 'Standard Selling'],
      ]),
      fields: '["name"]',
    }).body as { data: { name: string }[] };
    const priceName = prices.data[0]?.name ?? '';
    put(`/api/resource/Item Price/${priceName}`, { price_list_rate: 123.45 });
    const customers = sim.call('GET', '/api/resource/Customer', undefined, {
      fields: '["name"]',
      limit_page_length: '2',
      order_by: 'name desc',
    }).body as { data: { name: string }[] };
    const customer = customers.data[0]?.name ?? '';
    put(`/api/resource/Customer/${customer}`, { disabled: 1 });
    const rule = sim.call('POST', '/api/resource/Pricing Rule', {
      title: 'Pulled rule',
      apply_on: 'Item Code',
      selling: 1,
      rate_or_discount: 'Discount Percentage',
      discount_percentage: 7,
      company: 'Outpost Demo Retail',
      currency: 'USD',
      items: [{ item_code: 'NEW-ITEM-1' }],
    });
    expect(rule.status).toBe(200);
    const ruleName = (rule.body as { data: { name: string } }).data.name;

    expect((await cli(['sync', '--data', dir, '--pull', '--once'])).code).toBe(0);
    expect(sim.call('DELETE', '/api/resource/Item/DOOMED-1').status).toBe(202);
    const second = await cli(['sync', '--data', dir, '--pull', '--once']);
    expect(second.code).toBe(0);

    const db = openStore(join(dir, 'store.db'));
    try {
      const look = new Lookup(db);
      expect(look.byCode('SKU-0000002')?.item_name).toBe('Renamed by head office');
      expect(look.scan('4006381333931')?.item.item_code).toBe('NEW-ITEM-1');
      expect(look.byCode('DOOMED-1')).toBeNull();
      expect(
        db
          .prepare("SELECT count(*) FROM doc WHERE doctype = 'Item' AND name = 'DOOMED-1'")
          .pluck()
          .get(),
      ).toBe(0);
      expect(
        db.prepare('SELECT price_list_rate FROM item_price WHERE name = ?').pluck().get(priceName),
      ).toBe('123.45');
      expect(db.prepare('SELECT disabled FROM customer WHERE name = ?').pluck().get(customer)).toBe(
        1,
      );
      expect(
        db
          .prepare("SELECT count(*) FROM doc WHERE doctype = 'Pricing Rule' AND name = ?")
          .pluck()
          .get(ruleName),
      ).toBe(1);
      expect(
        Number(db.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck().get()),
      ).toBe(3);
    } finally {
      db.close();
    }
    const local = localCounts(dir);
    expect(local['Item']).toBe(count(sim, 'Item'));
  });

  it('item lookups and status work offline from the store', async () => {
    const item = await cli(['item', '--data', dir, '--code', 'NEW-ITEM-1', '--json']);
    expect(item.code).toBe(0);
    expect(JSON.parse(item.out)).toMatchObject({ item_code: 'NEW-ITEM-1', uom: 'Nos' });
    const found = await cli(['item', '--data', dir, '--search', 'renamed head', '--json']);
    expect((JSON.parse(found.out) as { item_code: string }[])[0]?.item_code).toBe('SKU-0000002');
    const status = await cli(['status', '--data', dir, '--json']);
    const s = JSON.parse(status.out) as {
      online: boolean;
      counts: Record<string, number>;
      snapshot: number;
      pending_pushes: number;
    };
    expect(s).toMatchObject({ online: true, snapshot: 3, pending_pushes: 0 });
    expect(s.counts['Item']).toBe(count(sim, 'Item'));
  });
});

describe('init refuses bad setups with the problem and the fix', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ items: 20, customers: 5 });
  });
  afterAll(async () => {
    await sim.close();
  });
  const dir = () => mkdtempSync(join(tmpdir(), 'outpost-init-'));
  /** `outpost init` into a fresh directory with the given server, credentials and profile. */
  const initWith = (url: string, key: string, secret: string, profile: string) =>
    cli([
      'init',
      '--data',
      dir(),
      '--erpnext',
      url,
      '--api-key',
      key,
      '--api-secret',
      secret,
      '--pos-profile',
      profile,
    ]);

  it('bad URL', async () => {
    const r = await initWith('http://127.0.0.1:9', KEY, SECRET, PROFILE);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/does not answer at http:\/\/127\.0\.0\.1:9/);
    expect(r.err).toMatch(/fix: check --erpnext/);
  });

  it('bad key', async () => {
    const r = await initWith(sim.url, KEY, 'wrong', PROFILE);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/refused the API key and secret \(401/);
    expect(r.err).toMatch(/Generate Keys/);
  });

  it('missing role', async () => {
    const user = sim.call('POST', '/api/resource/User', {
      email: 'clerk@example.com',
      first_name: 'Clerk',
      send_welcome_email: 0,
      roles: [{ role: 'Stock User' }],
    });
    expect(user.status).toBe(200);
    // Frappe stores api_secret as a Password field: set through the API like an administrator would.
    expect(
      sim.call('PUT', '/api/resource/User/clerk@example.com', {
        api_key: 'clerk-key',
        api_secret: 'clerk-secret',
      }).status,
    ).toBe(200);
    const key = 'clerk-key';
    const secret = 'clerk-secret';
    const r = await initWith(sim.url, key, secret, PROFILE);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/may not read: .*Item Price/);
    expect(r.err).toMatch(/Role Permissions Manager|Outpost Sync/);
  });

  it('unknown POS Profile', async () => {
    const r = await initWith(sim.url, KEY, SECRET, 'No Such Till');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/POS Profile "No Such Till" does not exist/);
    expect(r.err).toMatch(/pass one of: .*Store North - Till 1/);
  });
});
