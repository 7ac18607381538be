import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Faults } from '../../src/sim/faults.js';
import { openTill, type Till } from '../../src/cli/till.js';
import { HttpErpClient } from '../../src/erpnext/client.js';
import { CUSTOM_FIELDS } from '../../src/erpnext/custom-fields.js';
import { ANCHOR_DOCTYPE_DEFINITION } from '../../src/sync/setup-anchor.js';
import { KEY_DOCTYPE, KEY_DOCTYPE_DEFINITION } from '../../src/sync/setup-keys.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { outboxEntry } from '../../src/pos/index.js';
import type { PushClient, PushClock, PushSource } from '../../src/sync/push/types.js';
import { PushWorker } from '../../src/sync/push/worker.js';
import { afterEach, beforeAll, expect } from 'vitest';
import {
  cliJson,
  CASHIER,
  MANAGER,
  asCashier,
  makeTemplate,
  sellArgs,
  shiftArgs,
} from '../pos/till-fixture.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

type Json = Record<string, unknown>;

/** A clock whose sleeps pass at once (with a breath of real time for the server's jobs). */
export function fakeClock(start = Date.now()): PushClock & { slept: number[] } {
  let now = start;
  let seed = 7;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    },
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await new Promise((r) => setTimeout(r, Math.min(ms, 100)));
    },
  };
}

/**
 * ERPNext with Outpost's custom fields and the shift anchor DocType, as `outpost
 * erpnext-setup` leaves it (the key registry is left to each test). Its stock was
 * received a day ago: the till's sales, made before this simulator started, post at their own
 * (earlier) times, and ERPNext refuses stock leaving before it arrived (NegativeStockError).
 */
export async function simWithFields(faults?: Pick<Faults, 'decide'>): Promise<RunningSim> {
  let offset = 86_400_000;
  const clock = { now: () => Date.now() - offset };
  const sim = await startSim({
    items: 300,
    customers: 40,
    clock,
    ...(faults ? { decide: (req) => faults.decide(req) } : {}),
  });
  offset = 0;
  for (const spec of CUSTOM_FIELDS) {
    const r = sim.call('POST', '/api/resource/Custom Field', spec);
    if (r.status !== 200) throw new Error(`custom field ${spec.dt}-${spec.fieldname}: ${r.status}`);
  }
  const anchor = sim.call('POST', '/api/resource/DocType', ANCHOR_DOCTYPE_DEFINITION);
  if (anchor.status !== 200)
    throw new Error(`DocType ${ANCHOR_DOCTYPE_DEFINITION.name}: ${anchor.status}`);
  return sim;
}

/** Points the store at `sim` in `mode` (the template's simulator is gone). */
export function pointAt(dir: string, sim: RunningSim, mode: PostingMode): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  writeFileSync(file, JSON.stringify({ ...config, erpnext_url: sim.url, posting_mode: mode }));
}

export const client = (sim: RunningSim, timeoutMs = 5_000): HttpErpClient =>
  new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET, timeoutMs });

export const tillSource = (till: Till): PushSource => ({
  entry: (uuid) => outboxEntry(till.term, uuid),
});

export function worker(
  till: Till,
  erp: PushClient,
  mode: PostingMode,
  clock: PushClock = fakeClock(),
): PushWorker {
  return new PushWorker({
    db: till.db,
    client: erp,
    source: tillSource(till),
    mode,
    clock,
    pollMs: 500,
  });
}

export { openTill };

/** GET a list through the simulator, every row. */
export function list(sim: RunningSim, doctype: string, filters: unknown[], fields = ['*']): Json[] {
  const r = sim.call('GET', `/api/resource/${doctype}`, undefined, {
    filters: JSON.stringify(filters),
    fields: JSON.stringify(fields),
    limit_page_length: '0',
  });
  if (r.status !== 200) throw new Error(`${doctype} list: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { data: Json[] }).data;
}

export function getDoc(sim: RunningSim, doctype: string, name: string): Json {
  const r = sim.call('GET', `/api/resource/${doctype}/${encodeURIComponent(name)}`);
  if (r.status !== 200) throw new Error(`${doctype} ${name}: ${r.status}`);
  return (r.body as { data: Json }).data;
}

/** The Bin's actual_qty of an item in the till's warehouse. */
export function binQty(sim: RunningSim, item: string, warehouse: string): number {
  const rows = list(
    sim,
    'Bin',
    [
      ['item_code', '=', item],
      ['warehouse', '=', warehouse],
    ],
    ['actual_qty'],
  );
  return Number(rows[0]?.['actual_qty'] ?? 0);
}

export interface Shift {
  readonly sales: Json[];
  readonly returned: Json;
  readonly voided: Json;
  readonly exchange: { return: Json; sale: Json };
}

/**
 * A shift of the till, offline: a weighed item, a pricing rule (milk 10 % off 2 or more), a
 * customer earning and then redeeming loyalty points, a return, an exchange, a void, and the
 * closing with a cash count.
 */
export async function sellShift(dir: string, o: { redeem?: boolean } = {}): Promise<Shift> {
  const sales: Json[] = [];
  sales.push(
    await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2', '--item', 'SKU-0000005:1.234')),
  );
  sales.push(
    await cliJson(sellArgs(dir, '--item', 'SKU-0000002:20', '--customer', 'Aisha Jackson')),
  );
  sales.push(
    await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000002:20',
        '--customer',
        'Aisha Jackson',
        ...(o.redeem === false ? [] : ['--redeem', '112']),
      ),
    ),
  );
  sales.push(await cliJson(sellArgs(dir, '--item', 'SKU-0000003:3')));
  sales.push(await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1')));
  const returned = await cliJson(
    asCashier('return')(
      dir,
      '--invoice',
      String(sales[0]?.['invoice_no']),
      '--item',
      'SKU-0000001:1',
    ),
  );
  const exchange = await cliJson<{ return: Json; sale: Json }>(
    asCashier('exchange')(
      dir,
      '--invoice',
      String(sales[3]?.['invoice_no']),
      '--return',
      'SKU-0000003:1',
      // The sourdough's buy-2-get-1: its free row goes out at price_list_rate 0 with
      // ignore_pricing_rule, and ERPNext keeps a 0 sent (set_missing_item_details fills None).
      '--item',
      'SKU-0000002:3',
    ),
  );
  const voided = await cliJson(
    asCashier('void')(
      dir,
      '--invoice',
      String(sales[4]?.['invoice_no']),
      '--manager',
      MANAGER.id,
      '--manager-pin',
      MANAGER.pin,
      '--reason',
      'wrong item',
    ),
  );
  const x = (
    await cliJson<{ x_report: { expected: Record<string, string> } }>(['shift', 'x', '--data', dir])
  ).x_report;
  await cliJson(
    shiftArgs(
      dir,
      'close',
      ...Object.entries(x.expected).flatMap(([m, a]) => ['--count', `${m}:${a}`]),
    ),
  );
  return { sales, returned, voided, exchange };
}

export { CASHIER };

/**
 * The hooks a push test file shares: one till template per file (built once), and simulators
 * with Outpost's custom fields that each test opens and the file closes after it.
 */
export function pushSuite(): { copy: () => string; open: () => Promise<RunningSim> } {
  let template: Awaited<ReturnType<typeof makeTemplate>> | undefined;
  let sims: RunningSim[] = [];
  beforeAll(async () => {
    template = await makeTemplate();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
  });
  return {
    copy: () => {
      if (!template) throw new Error('pushSuite: the template is built in beforeAll');
      return template.copy();
    },
    open: async () => {
      const sim = await simWithFields();
      sims.push(sim);
      return sim;
    },
  };
}

/**
 * What `outpost erpnext-setup` does for the keys, on the simulator: the Outpost Terminal Key
 * DocType created and the till's key (`outpost terminal key --data dir`) registered.
 */
export async function registerTillKey(sim: RunningSim, dir: string): Promise<void> {
  expect(sim.call('POST', '/api/resource/DocType', KEY_DOCTYPE_DEFINITION).status).toBe(200);
  const key = await cliJson<{ key_id: string; raw_base64: string; terminal: string }>([
    ...['terminal', 'key', '--data', dir],
  ]);
  const registered = sim.call('POST', `/api/resource/${KEY_DOCTYPE}`, {
    key_id: key.key_id,
    terminal: key.terminal,
    alg: 'Ed25519',
    public_key: key.raw_base64,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(200);
}
