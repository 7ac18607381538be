import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SALE_FIELDS } from '../../src/erpnext/custom-fields.js';
import { listen } from '../../src/sim/server.js';
import { makeTemplate } from '../pos/till-fixture.js';
import { list, pointAt, simWithFields } from '../sync/push-fixture.js';
import type { RunningSim } from '../sync/sim-site.js';
import { fastTimers, serve, type Served } from './node-fixture.js';

type Json = Record<string, unknown>;

let template: Awaited<ReturnType<typeof makeTemplate>>;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  template = await makeTemplate();
}, 180_000);

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const stopServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Waits (polling the API, as a terminal's screen would not need to) until `ok` holds. */
async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 90_000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const RECEIPT_NO = SALE_FIELDS['POS Invoice'].receiptNo;
const SALE = { items: [{ item_code: 'SKU-0000003', qty: '1' }] };

describe('outpost serve: the loops run in the node', () => {
  it('sells through an outage and drains the outbox to 0 once ERPNext is back, with no command', async () => {
    const dir = template.copy();
    const sim: RunningSim = await simWithFields();
    cleanup.push(() => sim.close());
    pointAt(dir, sim, 'pos_invoice');
    const port = Number(new URL(sim.url).port);
    // The loops' waits (probe every 15 s, offline after two failures, push backoff) run 10× faster.
    const s: Served = await serve(dir, { timers: fastTimers(10) });
    cleanup.push(() => s.close());
    // What the terminals' event streams carry, heard in process.
    const heard: string[] = [];
    s.node.events.subscribe(
      (type, data) => {
        if (type === 'connectivity') heard.push(`${String(data['from'])}→${String(data['to'])}`);
        if (type === 'push' && data['pending'] === 0 && data['pushed'] !== 0) heard.push('drained');
      },
      () => {},
    );
    // A second till, paired over the API: its documents go out with the store's push.
    const t2 = await s.pairDevice();
    // After the pairing: the manager's session on the node's till is replaced by alice's.
    const session = await s.login();
    const at2 = await s.login('alice', '1234', t2.token);
    const status = async () =>
      (await (await s.api('GET', '/api/sync/status', { session })).json()) as {
        connectivity: string;
        push: { pending: number; in_review: number; customers_pending: number };
      };

    const first = await s.api('POST', '/api/sales', { session, body: SALE });
    expect(first.status).toBe(201);
    await until('the first sale pushed', async () => (await status()).push.pending === 0);
    expect(s.node.loops.connectivity()).toBe('online');

    // The simulator stops mid-shift: the node notices, and sales go on.
    await stopServer(sim.server);
    await until('offline', () => s.node.loops.connectivity() === 'offline');
    const offline: Json[] = [];
    for (let i = 0; i < 2; i += 1) {
      const r = await s.api('POST', '/api/sales', { session, body: SALE });
      expect(r.status).toBe(201);
      offline.push((await r.json()) as Json);
    }
    // T2 opens its own shift with its float (a shift opened by a sale has no opening balance,
    // which ERPNext's POS Opening Entry refuses).
    const opened = await s.api('POST', '/api/shifts', {
      device: t2.token,
      session: at2,
      body: { balance_details: [{ mode_of_payment: 'Cash', opening_amount: '50' }] },
    });
    expect(opened.status).toBe(201);
    const atT2 = await s.api('POST', '/api/sales', { device: t2.token, session: at2, body: SALE });
    expect(atT2.status).toBe(201);
    const customer = await s.api('POST', '/api/customers', {
      device: t2.token,
      session: at2,
      body: { customer_name: 'Tess Two', mobile_no: '555-0102' },
    });
    expect(customer.status).toBe(201);
    // T1's two sales, T2's shift opening and sale; T2's customer.
    expect((await status()).push).toMatchObject({ pending: 4, customers_pending: 1 });

    // Back on the same address: the monitor sees it, the push wakes and drains the outbox.
    const back = await listen(sim.app, { port });
    cleanup.push(() => stopServer(back.server));
    await until('the outbox drained', async () => (await status()).push.pending === 0);
    await until('the customer pushed', async () => (await status()).push.customers_pending === 0);
    const after = await status();
    expect(after).toMatchObject({
      connectivity: 'online',
      push: { pending: 0, in_review: 0, customers_pending: 0 },
    });
    const invoices = list(sim, 'POS Invoice', [['docstatus', '=', 1]], [RECEIPT_NO])
      .map((d) => d[RECEIPT_NO])
      .sort();
    expect(invoices).toEqual([
      'STORE-NORTH-T1-2026-000001',
      'STORE-NORTH-T1-2026-000002',
      'STORE-NORTH-T1-2026-000003',
      'STORE-NORTH-T2-2026-000001',
    ]);
    expect(list(sim, 'Customer', [['customer_name', '=', 'Tess Two']], ['mobile_no'])).toEqual([
      { mobile_no: '555-0102' },
    ]);
    expect(heard.filter((h) => h !== 'drained')).toEqual([
      'unknown→online',
      'online→offline',
      'offline→online',
    ]);
    expect(heard.at(-1)).toBe('drained');
    expect(offline.map((o) => o['invoice_no'])).toEqual([
      'STORE-NORTH-T1-2026-000002',
      'STORE-NORTH-T1-2026-000003',
    ]);
  }, 180_000);

  it('announces a pull that changed prices, and not one that only read rows again', async () => {
    const dir = template.copy();
    const sim: RunningSim = await simWithFields();
    cleanup.push(() => sim.close());
    pointAt(dir, sim, 'pos_invoice');
    const file = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
    // Every 12 s, 1.2 s with the loops' time compressed.
    writeFileSync(file, JSON.stringify({ ...config, pull_interval_minutes: 0.2 }));
    const s = await serve(dir, { timers: fastTimers(10) });
    cleanup.push(() => s.close());
    const pulls: boolean[] = [];
    s.node.events.subscribe(
      (type, data) => {
        if (type === 'pull') pulls.push(data['prices_changed'] === true);
      },
      () => {},
    );
    await until('a pull that changed nothing', () => pulls.includes(false));
    const [price] = list(
      sim,
      'Item Price',
      [
        ['item_code', '=', 'SKU-0000001'],
        ['price_list', '=', 'Standard Selling'],
      ],
      ['name', 'price_list_rate'],
    );
    expect(price?.['price_list_rate']).toBe(4.29);
    const put = sim.call('PUT', `/api/resource/Item Price/${String(price?.['name'])}`, {
      price_list_rate: 4.59,
    });
    expect(put.status).toBe(200);
    const seen = pulls.length;
    await until('a pull that changed a price', () => pulls.slice(seen).includes(true));
    const session = await s.login();
    const item = (await (
      await s.api('GET', '/api/items?item_code=SKU-0000001', { session })
    ).json()) as { items: { price: Json }[] };
    expect(item.items[0]?.price['price_list_rate']).toBe(4.59);
  }, 180_000);
});
