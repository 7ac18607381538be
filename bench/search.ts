/**
 * Search-as-you-type at chain scale (issue 15), on the 1M-item store bench/node-store.ts makes
 * (shared by `npm run bench` under ~/.cache/outpost-bench/run-ITEMS): names typed one character
 * at a time, each prefix one query, as the cashier's search box asks them.
 *
 *  1. in process: `Lookup.search` (top 20: exact code, names starting with the first word, any
 *     match) on the store; control, in alternate blocks: the bare FTS5 statement it is built on
 *     (the first 20 rowids matching, no join, no ordering passes);
 *  2. over the API: GET /api/items?search= against `outpost serve` (child process, one client,
 *     keep-alive); control, interleaved query by query: GET /healthz on the same connection
 *     (the HTTP floor: no auth, no store).
 *
 *   npm run build && node --import tsx bench/search.ts [ITEMS=1000000] [CACHE] [--quick] [--json FILE]
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openTill } from '../src/cli/till.js';
import { ftsQuery } from '../src/store/lookup.js';
import { seededRandom } from '../src/sim/faults.js';
import { jsonArg, ms, report, type Figure } from './figures.js';
import { ensureStore } from './node-store.js';
import { call, load1, pairTerminals, pct, startServe, agent } from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const QUICK = args.includes('--quick');
const pos = args.filter((a) => !a.startsWith('--'));
const ITEMS = Number(pos[0] ?? 1_000_000);
const CACHE = pos[1] ?? join(homedir(), '.cache', 'outpost-bench', `run-${ITEMS}`);
const NAMES = QUICK ? 10 : 16;
const MAX_TYPED = 12;
const rand = seededRandom(15);

const load0 = load1();
await ensureStore(CACHE, ITEMS);

// The names typed: half the demo catalog's (real product names), half the bulk items'.
const db = new Database(join(CACHE, 'store.db'), { readonly: true });
const demo = db
  .prepare("SELECT item_name FROM item WHERE item_code NOT LIKE 'ITM-%' ORDER BY item_code")
  .pluck()
  .all() as string[];
const total = db.prepare('SELECT count(*) FROM item').pluck().get() as number;
db.close();
const names = Array.from({ length: NAMES }, (_, i) =>
  i % 2 === 0
    ? (demo[Math.floor(rand() * demo.length)] ?? '')
    : `Bench item ${Math.floor(rand() * (ITEMS - 1000))}`,
);
const prefixes = names
  .flatMap((n) =>
    Array.from({ length: Math.min(MAX_TYPED, n.length) }, (_, k) => n.slice(0, k + 1)),
  )
  .filter((p) => p.trim().length > 0);

// 1. In process.
const till = openTill(CACHE);
const look = till.term.lookup;
const bare = till.db.prepare('SELECT rowid FROM item_fts WHERE item_fts MATCH ? LIMIT 20');
const inProc: number[] = [];
const control: number[] = [];
for (const p of prefixes.slice(0, 50)) look.search(p); // warm-up
const BLOCK = 25;
for (let b = 0; b < prefixes.length; b += BLOCK) {
  for (const p of prefixes.slice(b, b + BLOCK)) {
    const t0 = performance.now();
    look.search(p);
    inProc.push(performance.now() - t0);
  }
  for (const p of prefixes.slice(b, b + BLOCK)) {
    const q = ftsQuery(p);
    const t0 = performance.now();
    if (q) bare.all(q);
    control.push(performance.now() - t0);
  }
}
till.close();

// 2. Over the API.
const serve = await startServe(CACHE);
const api: number[] = [];
const floor: number[] = [];
let hits = 0;
try {
  const paired = await pairTerminals(serve.url, CACHE, 1);
  const h = paired.headers[0] ?? {};
  try {
    const get = async (p: string) => {
      const t0 = performance.now();
      const r = await call(`${serve.url}/api/items?search=${encodeURIComponent(p)}`, 'GET', h);
      const dt = performance.now() - t0;
      if (r.status !== 200) throw new Error(`search ${p}: ${r.status} ${r.text}`);
      hits += (JSON.parse(r.text) as { items: unknown[] }).items.length;
      return dt;
    };
    for (const p of prefixes.slice(0, 50)) await get(p); // warm-up
    hits = 0;
    for (const p of prefixes) {
      api.push(await get(p));
      const t0 = performance.now();
      await call(`${serve.url}/healthz`, 'GET', {});
      floor.push(performance.now() - t0);
    }
  } finally {
    await paired.release();
  }
} finally {
  agent.destroy();
  await serve.stop();
}

const p = (xs: number[]) => `${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.99))}`;
const figures: Figure[] = [
  {
    figure: `search-as-you-type over the API, ${total.toLocaleString('en')} items, p50 / p99`,
    measured: p(api),
    control: `${p(floor)} (GET /healthz, same connection)`,
    ratio: `${(pct(api, 0.99) / pct(floor, 0.99)).toFixed(1)}× (p99)`,
    goal: 'p99 ≤ 20 ms',
    ok: pct(api, 0.99) <= 20,
  },
  {
    figure: 'search-as-you-type in process (Lookup.search, top 20) p50 / p99',
    measured: p(inProc),
    control: `${p(control)} (bare FTS5 MATCH … LIMIT 20)`,
    ratio: `${(pct(inProc, 0.99) / pct(control, 0.99)).toFixed(1)}× (p99)`,
  },
];
report(json, {
  bench: 'search',
  figures,
  notes: [
    `${prefixes.length} prefixes of ${names.length} names typed one character at a time (up to ${MAX_TYPED}), ${(hits / prefixes.length).toFixed(1)} items per answer; load average ${load0} → ${load1()}`,
  ],
});
