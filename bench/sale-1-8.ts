/**
 * Sales through the store node from 1 terminal and from 8 (issue 15), on the shared 1M-item
 * store (bench/node-store.ts), next to the raw durable-commit rate of the same disk measured in
 * the same run, before and after the sales (bench/node.ts's control; the ratio uses the higher).
 * Each terminal sells 3-line carts of demo items that price (POST /api/sales, exact cash) for
 * SECONDS; the node's Server-Timing gives each sale's group commit (BEGIN IMMEDIATE → durable
 * COMMIT) and group size.
 *
 *   npm run build && node --import tsx bench/sale-1-8.ts [ITEMS=1000000] [SECONDS=10] [CACHE] [--json FILE]
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/sim/faults.js';
import { jsonArg, report, type Figure } from './figures.js';
import { ensureStore } from './node-store.js';
import {
  agent,
  call,
  load1,
  pairTerminals,
  pct,
  rawCommitRate,
  startServe,
  timing,
} from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const ITEMS = Number(args[0] ?? 1_000_000);
const SECONDS = Number(args[1] ?? 10);
const CACHE = args[2] ?? join(homedir(), '.cache', 'outpost-bench', `run-${ITEMS}`);
const rand = seededRandom(15);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;

interface Run {
  readonly terminals: number;
  readonly rate: number;
  readonly commit: number[];
  readonly latency: number[];
  readonly groups: number[];
  readonly refused: number;
}

async function sell(
  url: string,
  headers: Record<string, string>[],
  catalog: readonly string[],
): Promise<Run> {
  const latency: number[] = [];
  const commit: number[] = [];
  const groups: number[] = [];
  let refused = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    headers.map(async (h) => {
      while (performance.now() < end) {
        const items = Array.from({ length: 3 }, () => ({ item_code: pick(catalog), qty: '1' }));
        const s = performance.now();
        const r = await call(`${url}/api/sales`, 'POST', h, { items });
        if (r.status !== 201) {
          refused += 1;
          if (refused === 1) console.log(`refused: ${r.status} ${r.text.slice(0, 200)}`);
          continue;
        }
        latency.push(performance.now() - s);
        commit.push(timing(r.timing)['commit'] ?? NaN);
        groups.push(Number(/desc="(\d+) sales"/.exec(r.timing)?.[1]));
      }
    }),
  );
  const rate = latency.length / ((performance.now() - t0) / 1000);
  return { terminals: headers.length, rate, commit, latency, groups, refused };
}

const load0 = load1();
await ensureStore(CACHE, ITEMS);
const db = new Database(join(CACHE, 'store.db'), { readonly: true });
const candidates = db
  .prepare(
    "SELECT item_code FROM item WHERE disabled = 0 AND has_variants = 0 AND item_code NOT LIKE 'ITM-%' LIMIT 200",
  )
  .pluck()
  .all() as string[];
db.close();

const serve = await startServe(CACHE);
const runs: Run[] = [];
let rawBefore = 0;
let rawAfter = 0;
try {
  const paired = await pairTerminals(serve.url, CACHE, 8);
  try {
    const first = paired.headers[0] ?? {};
    const catalog: string[] = [];
    for (const code of candidates) {
      const r = await call(`${serve.url}/api/cart/price`, 'POST', first, {
        items: [{ item_code: code, qty: '1' }],
      });
      if (r.status === 200) catalog.push(code);
    }
    if (catalog.length < 3) throw new Error(`only ${catalog.length} items price`);
    rawBefore = rawCommitRate(CACHE, 3);
    runs.push(await sell(serve.url, paired.headers.slice(0, 1), catalog));
    runs.push(await sell(serve.url, paired.headers, catalog));
    rawAfter = rawCommitRate(CACHE, 3);
  } finally {
    await paired.release();
  }
} finally {
  agent.destroy();
  await serve.stop();
}

const raw = Math.max(rawBefore, rawAfter);
const figures: Figure[] = [];
for (const r of runs) {
  const t = `${r.terminals} terminal${r.terminals > 1 ? 's' : ''}`;
  const mean = r.groups.reduce((a, b) => a + b, 0) / r.groups.length;
  figures.push({
    figure: `${t}, 3-line carts: sales/s (${r.latency.length} sales in ${SECONDS} s, ${r.refused} refused)`,
    measured: r.rate.toFixed(0),
    control: `raw commits/s ${rawBefore.toFixed(0)} before / ${rawAfter.toFixed(0)} after`,
    ratio: `${(r.rate / raw).toFixed(2)} × the higher`,
    goal: r.terminals === 8 ? '≥ 0.5 × raw' : '–',
    ok: r.terminals === 8 ? r.rate >= 0.5 * raw : null,
  });
  figures.push({
    figure: `${t}: commit (group transaction) p50 / p99; sales per commit mean / max`,
    measured: `${pct(r.commit, 0.5).toFixed(2)} / ${pct(r.commit, 0.99).toFixed(2)} ms; ${mean.toFixed(1)} / ${Math.max(...r.groups)}`,
    control: `raw commit ${(1000 / raw).toFixed(2)} ms mean`,
    goal: 'p99 ≤ 10 ms',
    ok: pct(r.commit, 0.99) <= 10,
  });
  figures.push({
    figure: `${t}: POST /api/sales round trip p50 / p99`,
    measured: `${pct(r.latency, 0.5).toFixed(2)} / ${pct(r.latency, 0.99).toFixed(2)} ms`,
  });
}
report(json, {
  bench: 'sale-1-8',
  figures,
  notes: [`load average ${load0} → ${load1()}`],
});
