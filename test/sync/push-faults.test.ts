import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErpDoc } from '../../src/erpnext/client.js';
import { Faults } from '../../src/sim/faults.js';
import type { PushClient } from '../../src/sync/push/types.js';
import { makeTemplate, query } from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import {
  client,
  fakeClock,
  list,
  openTill,
  pointAt,
  sellShift,
  simWithFields,
  worker,
} from './push-fixture.js';

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

let sims: RunningSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

class Crash extends Error {}

describe('push survives crashes and faults', () => {
  it('a crash between the draft insert and its submit is completed next run, without a duplicate', async () => {
    const dir = template.copy();
    const shift = await sellShift(dir);
    const sim = await simWithFields();
    sims.push(sim);
    pointAt(dir, sim, 'sales_invoice');
    const http = client(sim);
    // The process dies right after ERPNext stored the first drafts (one batch: the first two
    // sales; the third redeems points, so it cannot join), before anything is recorded.
    const crashing: PushClient = Object.assign(Object.create(http) as PushClient, {
      insert: async (doctype: string, doc: ErpDoc) => {
        await http.insert(doctype, doc);
        throw new Crash('killed after the POST');
      },
      insertMany: async (docs: readonly ErpDoc[]) => {
        await http.insertMany(docs);
        throw new Crash('killed after the POST');
      },
    });
    const first = openTill(dir);
    await expect(worker(first, crashing, 'sales_invoice').pass()).rejects.toBeInstanceOf(Crash);
    first.close();
    const uuid = shift.sales[0]?.['uuid'];
    const drafts = list(
      sim,
      'Sales Invoice',
      [['outpost_si_uuid', 'is', 'set']],
      ['outpost_si_uuid', 'docstatus'],
    );
    const byUuid = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a['outpost_si_uuid']).localeCompare(String(b['outpost_si_uuid']));
    expect(drafts.sort(byUuid)).toEqual(
      [
        { outpost_si_uuid: uuid, docstatus: 0 },
        { outpost_si_uuid: shift.sales[1]?.['uuid'], docstatus: 0 },
      ].sort(byUuid),
    );
    const second = openTill(dir);
    try {
      await worker(second, http, 'sales_invoice').drain({ wait: true });
    } finally {
      second.close();
    }
    expect(list(sim, 'Sales Invoice', [['outpost_si_uuid', '=', uuid]], ['docstatus'])).toEqual([
      { docstatus: 1 },
    ]);
    expect(list(sim, 'Sales Invoice', [['outpost_si_uuid', 'is', 'set']])).toHaveLength(8);
  }, 120_000);

  it('with a quarter of requests failing or dropped after commit: zero duplicates, zero losses', async () => {
    const dir = template.copy();
    const shift = await sellShift(dir);
    const faults = new Faults();
    const sim = await simWithFields(faults);
    sims.push(sim);
    pointAt(dir, sim, 'pos_invoice');
    faults.set({ failRate: 0.1, resetRate: 0.05, commitThenDropRate: 0.1, seed: 11 });
    const till = openTill(dir);
    const clock = fakeClock();
    try {
      const w = worker(till, client(sim, 2_000), 'pos_invoice', clock);
      const passes = await w.drain({ wait: true, maxPasses: 500 });
      expect(passes.flatMap((p) => p.rejected)).toEqual([]);
      expect(passes.some((p) => p.retryAt !== null)).toBe(true);
    } finally {
      till.close();
    }
    const counted = faults.counters();
    faults.clear();
    expect(counted['commit-then-drop']).toBeGreaterThan(0);
    expect(query(dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'")).toEqual([
      { n: 0 },
    ]);
    const sold = [...shift.sales, shift.returned, shift.exchange.return, shift.exchange.sale];
    const invoices = list(sim, 'POS Invoice', [['outpost_uuid', 'is', 'set']], ['outpost_uuid']);
    expect(invoices.map((i) => i['outpost_uuid']).sort()).toEqual(
      sold.map((s) => s['uuid']).sort(),
    );
    expect(list(sim, 'POS Opening Entry', [['outpost_shift_uuid', 'is', 'set']])).toHaveLength(1);
    expect(list(sim, 'POS Closing Entry', [['outpost_shift_uuid', 'is', 'set']])).toHaveLength(1);
  }, 180_000);
});
