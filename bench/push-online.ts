/**
 * An online sale → in ERPNext, through the store node (issue 15): `outpost serve` (the built
 * CLI, child process) with its pull and push loops running against the simulator in this
 * process (demo seed, 300 items, Outpost's Custom Fields, posting_mode sales_invoice); one
 * paired terminal sells SALES one-line sales over the API, one every PACE_MS ± 50 %; for each,
 * the time from its POST /api/sales answering 201 (committed) to its Sales Invoice being seen
 * submitted in the simulator (polled every 20 ms). bench/push.ts measures the same with
 * `outpost sync --push` beside a till; this is the node's own loop.
 *
 *   npm run build && node --import tsx bench/push-online.ts [SALES=30] [PACE_MS=1000] [--json FILE]
 */
import { z } from 'zod';
import { parseJsonWith } from '../src/core/index.js';
import { makeTemplate } from '../test/pos/till-fixture.js';
import { POOL } from '../test/scenario/day.js';
import { pointStore } from '../test/scenario/store.js';
import { simWithFields } from '../test/sync/push-fixture.js';
import type { RunningSim } from '../test/sync/sim-site.js';
import { jsonArg, report } from './figures.js';
import { agent, call, load1, pairTerminals, pct, startServe } from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const SALES = Number(args[0] ?? 30);
const PACE_MS = Number(args[1] ?? 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const listSchema = z.object({ data: z.array(z.record(z.string(), z.unknown())) });

/** Enough stock of every pool item that no sale runs a Bin short. */
function stockUp(sim: RunningSim): void {
  const r = sim.call('GET', '/api/resource/Bin', undefined, {
    filters: JSON.stringify([['item_code', 'in', POOL]]),
    fields: JSON.stringify(['name']),
    limit_page_length: '0',
  });
  for (const b of listSchema.parse(r.body).data) {
    sim.call('PUT', `/api/resource/Bin/${String(b['name'])}`, { actual_qty: 1_000_000 });
  }
}

/** The uuids of the Sales Invoices the simulator holds submitted. */
function submitted(sim: RunningSim): Set<string> {
  const r = sim.call('GET', '/api/resource/Sales Invoice', undefined, {
    filters: JSON.stringify([
      ['outpost_si_uuid', 'is', 'set'],
      ['docstatus', '=', 1],
    ]),
    fields: JSON.stringify(['outpost_si_uuid']),
    limit_page_length: '0',
  });
  return new Set(listSchema.parse(r.body).data.map((d) => String(d['outpost_si_uuid'])));
}

const load0 = load1();
const template = await makeTemplate();
const sim = await simWithFields();
stockUp(sim);
const dir = template.copy();
pointStore(dir, sim.url, 'sales_invoice');
const serve = await startServe(dir);
const soldAt = new Map<string, number>();
const seenAt = new Map<string, number>();
try {
  const paired = await pairTerminals(serve.url, dir, 1);
  try {
    const h = paired.headers[0] ?? {};
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const now = Date.now();
        for (const u of submitted(sim)) if (!seenAt.has(u)) seenAt.set(u, now);
        await sleep(20);
      }
    })();
    let seed = 11;
    for (let i = 0; i < SALES; i++) {
      const r = await call(`${serve.url}/api/sales`, 'POST', h, {
        items: [{ item_code: POOL[i % POOL.length], qty: '1' }],
      });
      if (r.status !== 201) throw new Error(`sale ${i}: ${r.status} ${r.text}`);
      soldAt.set(parseJsonWith(z.object({ uuid: z.string() }), r.text, 'sale').uuid, Date.now());
      seed = (seed * 48271) % 2147483647;
      await sleep(PACE_MS * (0.5 + seed / 2147483647));
    }
    const deadline = Date.now() + 60_000;
    while ([...soldAt.keys()].some((u) => !seenAt.has(u)) && Date.now() < deadline) {
      await sleep(50);
    }
    polling = false;
    await poller;
  } finally {
    await paired.release();
  }
} finally {
  agent.destroy();
  await serve.stop();
  await sim.close();
}

const lat = [...soldAt].map(([u, t]) => (seenAt.get(u) ?? Infinity) - t);
const missing = lat.filter((x) => x === Infinity).length;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
report(json, {
  bench: 'push-online',
  figures: [
    {
      figure: `online sale → submitted in ERPNext through the node's push loop, ${SALES} sales one every ${PACE_MS} ms ± 50 %, p50 / p95 / max${missing ? ` (${missing} never seen)` : ''}`,
      measured: `${s(pct(lat, 0.5))} / ${s(pct(lat, 0.95))} / ${s(Math.max(...lat))}`,
      goal: 'p95 ≤ 5 s',
      ok: missing === 0 && pct(lat, 0.95) <= 5000,
    },
  ],
  notes: [`load average ${load0} → ${load1()}`],
});
