import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/sim/faults.js';
import { INSERT_BATCH } from '../../src/sync/push/batch.js';
import { cliJson, makeTemplate, query, sellArgs } from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import {
  client,
  fakeClock,
  list,
  openTill,
  pointAt,
  simWithFields,
  worker,
} from './push-fixture.js';

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

/** Every request the simulator is asked, as "METHOD path"; `drop` decides one request's fate. */
function recorder(drop?: (line: string) => boolean) {
  const log: string[] = [];
  let dropped = false;
  return {
    log,
    decide: (req: { path: string; method?: string }): Decision => {
      const line = `${req.method ?? 'GET'} ${decodeURIComponent(req.path)}`;
      log.push(line);
      if (!dropped && drop?.(line)) {
        dropped = true;
        return { kind: 'commit-then-drop', delayMs: 0 };
      }
      return { kind: 'pass', delayMs: 0 };
    },
  };
}

async function sell(dir: string, n: number, item = 'SKU-0000001:1'): Promise<Json[]> {
  const sales: Json[] = [];
  for (let i = 0; i < n; i++) sales.push(await cliJson(sellArgs(dir, '--item', item)));
  return sales;
}

/** The submitted documents holding each uuid, by uuid. */
function submittedByUuid(sim: RunningSim, doctype: string, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of list(sim, doctype, [[field, 'is', 'set']], [field, 'docstatus'])) {
    expect(d['docstatus']).toBe(1);
    const uuid = String(d[field]);
    counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
  }
  return counts;
}

const INSERT_MANY = 'POST /api/method/frappe.client.insert_many';

describe('the push batches drafts', () => {
  it(`inserts a backlog ${INSERT_BATCH} drafts per insert_many, submits each once, in journal order`, async () => {
    const dir = template.copy();
    const sales = await sell(dir, INSERT_BATCH + 5);
    const rec = recorder();
    const sim = await simWithFields(rec);
    sims.push(sim);
    pointAt(dir, sim, 'sales_invoice');
    rec.log.length = 0;
    const till = openTill(dir);
    try {
      const passes = await worker(till, client(sim), 'sales_invoice').drain({ wait: true });
      expect(passes.flatMap((p) => p.rejected)).toEqual([]);
    } finally {
      till.close();
    }
    const names = query<{ remote_name: string }>(
      dir,
      "SELECT j.remote_name FROM push_job j JOIN outbox o ON o.uuid = j.uuid WHERE o.doctype = 'POS Invoice' ORDER BY o.seq",
    ).map((r) => r.remote_name);
    const expected = Array.from(
      { length: INSERT_BATCH + 5 },
      (_, i) => `ACC-SINV-2026-${String(i + 1).padStart(5, '0')}`,
    );
    // ERPNext's names follow the journal's order: the drafts went in that order.
    expect(names).toEqual(expected);
    expect(rec.log).toEqual([
      INSERT_MANY,
      ...expected.slice(0, INSERT_BATCH).map((n) => `PUT /api/resource/Sales Invoice/${n}`),
      INSERT_MANY,
      ...expected.slice(INSERT_BATCH).map((n) => `PUT /api/resource/Sales Invoice/${n}`),
    ]);
    const counts = submittedByUuid(sim, 'Sales Invoice', 'outpost_si_uuid');
    expect([...counts.keys()].sort()).toEqual(sales.map((s) => String(s['uuid'])).sort());
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  }, 120_000);

  it('a batch ERPNext refuses whole goes one by one: the short sale to review, the others once', async () => {
    const dir = template.copy();
    const before = await sell(dir, 2);
    // ERPNext's Bin holds 40 of SKU-0000006 in Store North: the till sells 45 offline.
    const [short] = await sell(dir, 1, 'SKU-0000006:45');
    const after = await sell(dir, 2);
    const rec = recorder();
    const sim = await simWithFields(rec);
    sims.push(sim);
    // With validate_stock_on_save, ERPNext checks stock when the draft is saved: the shortage
    // fails the insert_many, and with it the whole batch (one transaction).
    const profile = 'Store North - Till 1';
    expect(
      sim.call('PUT', `/api/resource/POS Profile/${profile}`, { validate_stock_on_save: 1 }).status,
    ).toBe(200);
    pointAt(dir, sim, 'pos_invoice');
    rec.log.length = 0;
    const till = openTill(dir);
    let rejected: unknown[];
    try {
      const passes = await worker(till, client(sim), 'pos_invoice', fakeClock()).drain({
        wait: true,
      });
      rejected = passes.flatMap((p) => p.rejected.map((r) => r.uuid));
    } finally {
      till.close();
    }
    expect(rejected).toEqual([short?.['uuid']]);
    const counts = submittedByUuid(sim, 'POS Invoice', 'outpost_uuid');
    expect([...counts.keys()].sort()).toEqual(
      [...before, ...after].map((s) => String(s['uuid'])).sort(),
    );
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // One insert_many, refused; then each alone. The refused batch rolled back whole, so no
    // sale looks its uuid up first (no GET of a list): their attempts were given back.
    const writes = rec.log.filter((l) => !l.startsWith('GET '));
    expect(writes.filter((l) => l === INSERT_MANY)).toHaveLength(1);
    expect(writes.filter((l) => l === 'POST /api/resource/POS Invoice')).toHaveLength(5);
    expect(rec.log.filter((l) => l === 'GET /api/resource/POS Invoice')).toEqual([]);
    expect(query(dir, 'SELECT reason FROM push_review WHERE uuid = ?', [short?.['uuid']])).toEqual([
      {
        reason:
          'ERPNext does not hold enough stock of an item of this sale: receive or transfer the stock in ERPNext, then retry',
      },
    ]);
    expect(list(sim, 'POS Invoice', [['docstatus', '=', 0]], ['name'])).toEqual([]);
  }, 120_000);

  it('an insert_many whose answer is lost after ERPNext committed it: each draft is found by its uuid and submitted, none doubled', async () => {
    const dir = template.copy();
    const sales = await sell(dir, 6);
    const rec = recorder((l) => l === INSERT_MANY);
    const sim = await simWithFields(rec);
    sims.push(sim);
    pointAt(dir, sim, 'sales_invoice');
    rec.log.length = 0;
    const till = openTill(dir);
    try {
      const passes = await worker(till, client(sim, 2_000), 'sales_invoice').drain({ wait: true });
      expect(passes.flatMap((p) => p.rejected)).toEqual([]);
    } finally {
      till.close();
    }
    const counts = submittedByUuid(sim, 'Sales Invoice', 'outpost_si_uuid');
    expect([...counts.keys()].sort()).toEqual(sales.map((s) => String(s['uuid'])).sort());
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(rec.log.filter((l) => l === INSERT_MANY)).toHaveLength(1);
    // Nothing inserted twice: every draft came from the lost batch.
    expect(rec.log.filter((l) => l === 'POST /api/resource/Sales Invoice')).toEqual([]);
    expect(rec.log.filter((l) => l.startsWith('PUT '))).toHaveLength(6);
  }, 120_000);
});
