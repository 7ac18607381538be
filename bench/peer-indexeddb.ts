/**
 * The peer approach, side by side (issue 15): the same N-item catalog (items, 1–2 EAN-13 barcodes
 * each, a price) loaded
 *
 *  A. into IndexedDB with Dexie 4 in headless Chromium (a fresh profile on disk, as the offline
 *     fork of POS Awesome caches it: `items: 'item_code, *barcodes'`, `bulkAdd` in chunks of
 *     10,000), and looked up by barcode in the page (`where('barcodes').equals(code).first()`);
 *  A+. the same, with a search index as well (perf-baseline.md's `*name_words`, the lowercase
 *     words of the name): like for like with B, which indexes names, codes and barcodes for
 *     search-as-you-type;
 *  B. into Outpost's store as the first pull writes it (store/first-load.ts: Item and Item Price
 *     documents through its Catalog, 10,000 items per transaction, then the search index filled
 *     in the completing transaction and the WAL checkpointed), looked up in process
 *     (`Lookup.scanWithPrice`: item, UOM, list price, stock net of local sales; and `Lookup.scan`,
 *     item and UOM only: the peer's record, item and price, lies between the two);
 *  B'. for reference, the same items into ../shared/docs/perf-baseline.md's bare SQLite schema
 *     (items, barcode → item, FTS5 on the name; 10,000 per transaction): what the engine costs
 *     without Outpost's documents, projections and checks;
 *  C. from the same Chromium page over the API of `outpost serve` on that store
 *     (GET /api/items?barcode=, the price quoted), same origin, keep-alive.
 *
 * Lookups run in alternating blocks (A, C, B) so all three see the same background load. The
 * page is cross-origin isolated (COOP/COEP), so `performance.now()` there has 5 µs resolution.
 * Data generation and its transfer into the page are not timed. The base store (demo site,
 * first pull, cashier and manager) is made once under CACHE and copied for each run.
 *
 *   npm run build && node --import tsx bench/peer-indexeddb.ts [N=100000] [CACHE] [--quick] [--json FILE]
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { openTill } from '../src/cli/till.js';
import { ean13CheckDigit } from '../src/core/index.js';
import { seededRandom } from '../src/sim/faults.js';
import { Catalog } from '../src/store/catalog.js';
import { openStore } from '../src/store/db.js';
import { FirstLoad } from '../src/store/first-load.js';
import { jsonArg, ms, report } from './figures.js';
import { ensureStore } from './node-store.js';
import { agent, load1, pairTerminals, pct, startServe } from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const QUICK = args.includes('--quick');
const pos = args.filter((a) => !a.startsWith('--'));
const N = Number(pos[0] ?? 100_000);
const CACHE = pos[1] ?? join(homedir(), '.cache', 'outpost-bench', 'run-peer-base');
const LOOKUPS = QUICK ? 400 : 2000;
const BLOCK = 200;
const CHUNK = 10_000;
const WAREHOUSE = 'Store North - ODR';
const PRICE_LIST = 'Standard Selling';
const rand = seededRandom(15);

const words = Array.from({ length: 2000 }, (_, i) => {
  let w = '';
  let x = i * 7919 + 13;
  for (let k = 0; k < 4 + (i % 5); k++) {
    w += 'abcdefghijklmnopqrstuvwxyz'[x % 26];
    x = Math.floor(x / 26) + k * 31 + i;
  }
  return w;
});
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
/** EAN-13 in a range no demo item uses (prefix 5). */
const ean = (n: number): string => {
  const body = `5${String(n).padStart(11, '0')}`;
  return body + String(ean13CheckDigit(body));
};

interface PeerItem {
  item_code: string;
  item_name: string;
  item_group: string;
  stock_uom: string;
  barcodes: string[];
  price_list_rate: number;
}
const items: PeerItem[] = Array.from({ length: N }, (_, i) => ({
  item_code: `PEER-${String(i + 1).padStart(7, '0')}`,
  item_name: Array.from({ length: 3 + (i % 2) }, () => pick(words)).join(' '),
  item_group: 'Products',
  stock_uom: 'Nos',
  barcodes: rand() < 0.5 ? [ean(i * 2)] : [ean(i * 2), ean(i * 2 + 1)],
  price_list_rate: 1 + (i % 5000) / 100,
}));
const queries = Array.from({ length: LOOKUPS }, () => pick(pick(items).barcodes));

/**
 * CPU seconds (user + system) used so far by the processes whose command line holds `marker`
 * and all their descendants (Linux /proc): Chromium's browser, zygotes, renderer, storage
 * service. On a loaded 2-core machine CPU time is the fairer yardstick: wall time there says
 * as much about how many threads each side can keep runnable as about the work done.
 */
function treeCpuSeconds(marker: string): number {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const cpu = (Number(f[11]) + Number(f[12])) / 100; // utime + stime, USER_HZ 100
        return [{ pid: Number(pid), ppid: Number(f[1]), cpu, marked: cmd.includes(marker) }];
      } catch {
        return []; // exited meanwhile
      }
    });
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const cpu = new Map(procs.map((p) => [p.pid, p.cpu]));
  const seen = new Set<number>();
  const stack = procs.filter((p) => p.marked).map((p) => p.pid);
  while (stack.length > 0) {
    const pid = stack.pop() ?? 0;
    if (seen.has(pid)) continue;
    seen.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return [...seen].reduce((sum, pid) => sum + (cpu.get(pid) ?? 0), 0);
}

const load0 = load1();
// 1,001: one bulk item, so the cache's record of sampled barcodes is not empty (its schema wants one).
await ensureStore(CACHE, 1001);
const root = mkdtempSync(join(tmpdir(), 'outpost-bench-peer-'));
const dir = join(root, 'store');
cpSync(CACHE, dir, { recursive: true });

// B. Outpost's load, as the first pull writes (its pages, its settings, its final transaction).
const stamp = '2026-11-27 08:00:00.000000';
/** The records as the first pull receives them: an Item document and an Item Price each. */
const itemDoc = (it: PeerItem) => ({
  ...{ name: it.item_code, item_code: it.item_code, item_name: it.item_name },
  ...{ item_group: it.item_group, stock_uom: it.stock_uom, is_stock_item: 1 },
  modified: stamp,
  barcodes: it.barcodes.map((b) => ({ barcode: b, barcode_type: 'EAN' })),
  uoms: [{ uom: it.stock_uom, conversion_factor: 1 }],
});
const priceDoc = (it: PeerItem) => ({
  ...{ name: `IP-${it.item_code}`, item_code: it.item_code, price_list: PRICE_LIST },
  price_list_rate: it.price_list_rate,
  modified: stamp,
});

/**
 * B0, the control for B: the first pull's load as it ran before store/first-load.ts (its
 * settings then: no fsync per page, 64 MiB checkpoints, the 16 MiB cache; the search index
 * written item by item), through today's Catalog, into a copy of the same base store.
 */
const before = ((): { seconds: number; cpu: number } => {
  const path = join(root, 'before', 'store.db');
  cpSync(CACHE, join(root, 'before'), { recursive: true });
  const db = openStore(path, { mustExist: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 16384');
  const cat = new Catalog(db);
  for (let start = 0; start < N; start += CHUNK) {
    db.transaction(() => {
      for (const it of items.slice(start, start + CHUNK)) {
        cat.apply('Item', itemDoc(it));
        cat.apply('Item Price', priceDoc(it));
      }
    })();
  }
  db.pragma('synchronous = FULL');
  db.transaction(() => cat.bumpSnapshot())();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  rmSync(join(root, 'before'), { recursive: true, force: true });
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
})();

/** Where B's time goes: the pages, the search fill, the checkpoint; and its CPU seconds. */
const outpostSplit = { pages: 0, fill: 0, checkpoint: 0, cpu: 0 };
const outpostLoad = ((): number => {
  const db = openStore(join(dir, 'store.db'), { mustExist: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const load = new FirstLoad(db);
  try {
    for (let start = 0; start < N; start += CHUNK) {
      db.transaction(() => {
        for (const it of items.slice(start, start + CHUNK)) {
          load.catalog.apply('Item', itemDoc(it));
          load.catalog.apply('Item Price', priceDoc(it));
        }
      })();
    }
  } finally {
    load.end();
  }
  const t1 = performance.now();
  db.transaction(() => {
    load.complete();
    load.catalog.bumpSnapshot();
  })();
  const t2 = performance.now();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  Object.assign(outpostSplit, {
    pages: (t1 - t0) / 1000,
    fill: (t2 - t1) / 1000,
    checkpoint: (t3 - t2) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
  });
  db.close();
  return (t3 - t0) / 1000;
})();

// B'. The bare schema, same items, same chunks.
let bareCpu = 0;
const bareLoad = ((): number => {
  const db = new Database(join(root, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE items (item_code TEXT PRIMARY KEY, item_name TEXT NOT NULL,
      item_group TEXT NOT NULL, stock_uom TEXT NOT NULL, price_list_rate REAL NOT NULL);
    CREATE TABLE item_barcode (barcode TEXT PRIMARY KEY, item_code TEXT NOT NULL) WITHOUT ROWID;
    CREATE VIRTUAL TABLE items_fts USING fts5(item_name, content='items');`);
  const item = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
  const fts = db.prepare('INSERT INTO items_fts (rowid, item_name) VALUES (?, ?)');
  const code = db.prepare('INSERT INTO item_barcode VALUES (?, ?)');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let start = 0; start < N; start += CHUNK) {
    db.transaction(() => {
      for (const it of items.slice(start, start + CHUNK)) {
        const { lastInsertRowid } = item.run(
          it.item_code,
          it.item_name,
          it.item_group,
          it.stock_uom,
          it.price_list_rate,
        );
        fts.run(lastInsertRowid, it.item_name);
        for (const b of it.barcodes) code.run(b, it.item_code);
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  bareCpu = (cpu.user + cpu.system) / 1e6;
  db.close();
  return seconds;
})();

const dexie = await build({
  stdin: { contents: "import Dexie from 'dexie'; globalThis.Dexie = Dexie;", resolveDir: '.' },
  bundle: true,
  format: 'iife',
  write: false,
  minify: true,
});
const dexieJs = dexie.outputFiles[0]?.text ?? '';
const page = `<!doctype html><meta charset="utf-8"><title>peer</title><script>${dexieJs}</script>
<script>
  window.db = new Dexie('peer');
  db.version(1).stores({ items: 'item_code, *barcodes' });
  window.dbSearch = new Dexie('peer-search');
  dbSearch.version(1).stores({ items: 'item_code, *barcodes, *name_words' });
  window.pending = [];
</script>`;

const serve = await startServe(dir);
const profile = join(root, 'chromium');
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const times = {
  dexie: [] as number[],
  api: [] as number[],
  inProcess: [] as number[],
  itemOnly: [] as number[],
};
let dexieLoad = 0;
let dexieSearchLoad = 0;
/** Chromium's CPU seconds (all its processes) during each Dexie load. */
const dexieCpu = { plain: 0, search: 0 };
let isolated = false;
try {
  const paired = await pairTerminals(serve.url, dir, 1);
  try {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    // The page is served at the node's origin (so its API calls are same-origin), by the bench.
    await tab.route(`${serve.url}/bench-peer.html`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: {
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        },
        body: page,
      }),
    );
    await tab.goto(`${serve.url}/bench-peer.html`);
    isolated = z.boolean().parse(await tab.evaluate('crossOriginIsolated'));
    for (let s = 0; s < N; s += CHUNK) {
      await tab.evaluate(`pending.push(${JSON.stringify(items.slice(s, s + CHUNK))})`);
    }
    // A. The load, timed in the page; then A+, the same records with the name-word index.
    const timedLoad = (into: string, words: boolean): Promise<unknown> =>
      tab.evaluate(`(async () => {
        await ${into}.open();
        const chunks = ${words}
          ? pending.map((c) => c.map((it) => ({
              ...it, name_words: [...new Set(it.item_name.toLowerCase().split(' '))] })))
          : pending;
        const t0 = performance.now();
        for (const chunk of chunks) await ${into}.items.bulkAdd(chunk);
        return performance.now() - t0;
      })()`);
    let cpu0 = treeCpuSeconds(profile);
    dexieLoad = z.number().parse(await timedLoad('db', false));
    dexieCpu.plain = treeCpuSeconds(profile) - cpu0;
    cpu0 = treeCpuSeconds(profile);
    dexieSearchLoad = z.number().parse(await timedLoad('dbSearch', true));
    dexieCpu.search = treeCpuSeconds(profile) - cpu0;
    await tab.evaluate('pending = []');
    for (const name of ['db', 'dbSearch']) {
      const count = z.number().parse(await tab.evaluate(`${name}.items.count()`));
      if (count !== N) throw new Error(`IndexedDB ${name} holds ${count} items, not ${N}`);
    }

    const headers = JSON.stringify(paired.headers[0] ?? {});
    const inPage = async (codes: readonly string[], how: 'dexie' | 'api'): Promise<number[]> => {
      const one =
        how === 'dexie'
          ? `const it = await db.items.where('barcodes').equals(code).first();
             if (!it) throw new Error('no item for ' + code);`
          : `const r = await fetch('/api/items?barcode=' + code, { headers: ${headers} });
             if (r.status !== 200) throw new Error(code + ': ' + r.status);
             await r.json();`;
      return z.array(z.number()).parse(
        await tab.evaluate(`(async () => {
          const out = [];
          for (const code of ${JSON.stringify(codes)}) {
            const t0 = performance.now();
            ${one}
            out.push(performance.now() - t0);
          }
          return out;
        })()`),
      );
    };
    // B. In process, on the store the node serves (WAL: readers do not block it).
    const till = openTill(dir);
    const date = till.term.localTime().date;
    const inProcess = (codes: readonly string[]): number[] =>
      codes.map((code) => {
        const t0 = performance.now();
        const hit = till.term.lookup.scanWithPrice(code, PRICE_LIST, WAREHOUSE, date);
        const dt = performance.now() - t0;
        if (!hit?.price_list_rate) throw new Error(`no priced item for ${code}`);
        return dt;
      });
    const itemOnly = (codes: readonly string[]): number[] =>
      codes.map((code) => {
        const t0 = performance.now();
        const hit = till.term.lookup.scan(code);
        const dt = performance.now() - t0;
        if (!hit) throw new Error(`no item for ${code}`);
        return dt;
      });
    try {
      const warm = queries.slice(0, BLOCK);
      await inPage(warm, 'dexie');
      await inPage(warm, 'api');
      inProcess(warm);
      itemOnly(warm);
      for (let b = 0; b < LOOKUPS; b += BLOCK) {
        const codes = queries.slice(b, b + BLOCK);
        times.dexie.push(...(await inPage(codes, 'dexie')));
        times.api.push(...(await inPage(codes, 'api')));
        times.inProcess.push(...inProcess(codes));
        times.itemOnly.push(...itemOnly(codes));
      }
    } finally {
      till.close();
    }
  } finally {
    await paired.release();
  }
} finally {
  await browser.close();
  agent.destroy();
  await serve.stop();
  rmSync(root, { recursive: true, force: true });
}

const p = (xs: number[]) => `${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.99))}`;
const loadRatio = dexieLoad / 1000 / outpostLoad;
const likeRatio = dexieSearchLoad / 1000 / outpostLoad;
const r50 = pct(times.dexie, 0.5) / pct(times.inProcess, 0.5);
const r99 = pct(times.dexie, 0.99) / pct(times.inProcess, 0.99);
report(json, {
  bench: 'peer-indexeddb',
  figures: [
    {
      figure: `load ${N.toLocaleString('en')} items + barcodes + prices + search index: Outpost store (the first pull's load) vs Dexie with a name-word index (like for like)`,
      measured: `${outpostLoad.toFixed(2)} s`,
      control: `IndexedDB (Dexie, Chromium, *name_words) ${(dexieSearchLoad / 1000).toFixed(2)} s`,
      ratio: `${likeRatio.toFixed(1)}× faster`,
      goal: '≥ 10× faster',
      ok: likeRatio >= 10,
    },
    {
      figure: `the same Outpost load vs Dexie with no search index (the peer does less)`,
      measured: `${outpostLoad.toFixed(2)} s`,
      control: `IndexedDB (Dexie, Chromium) ${(dexieLoad / 1000).toFixed(2)} s`,
      ratio: `${loadRatio.toFixed(1)}× faster`,
    },
    {
      figure: `control: the same Outpost load with the search index written item by item (the first pull before store/first-load.ts, today's Catalog otherwise), wall; CPU`,
      measured: `${outpostLoad.toFixed(2)} s; ${outpostSplit.cpu.toFixed(2)} s CPU`,
      control: `${before.seconds.toFixed(2)} s; ${before.cpu.toFixed(2)} s CPU`,
      ratio: `${(before.seconds / outpostLoad).toFixed(2)}× / ${(before.cpu / outpostSplit.cpu).toFixed(2)}× faster`,
    },
    {
      figure: `CPU seconds of the like-for-like load: Outpost's process vs all of Chromium's processes (Dexie, *name_words)`,
      measured: `${outpostSplit.cpu.toFixed(2)} s`,
      control: `${dexieCpu.search.toFixed(2)} s (${dexieCpu.plain.toFixed(2)} s with no search index)`,
      ratio: `${(dexieCpu.search / outpostSplit.cpu).toFixed(1)}× less CPU (${(dexieCpu.plain / outpostSplit.cpu).toFixed(1)}×)`,
    },
    {
      figure: `reference: the same load into the bare SQLite schema of perf-baseline.md (no Outpost)`,
      measured: `${bareLoad.toFixed(2)} s`,
      control: `IndexedDB (Dexie, Chromium) ${(dexieLoad / 1000).toFixed(2)} s`,
      ratio: `${(dexieLoad / 1000 / bareLoad).toFixed(1)}× faster`,
    },
    {
      figure: 'barcode lookup, Outpost in process (item, price, stock) p50 / p99',
      measured: p(times.inProcess),
      control: `IndexedDB in the page ${p(times.dexie)}`,
      ratio: `${r50.toFixed(0)}× / ${r99.toFixed(0)}× faster`,
      goal: '≥ 25× faster',
      ok: r50 >= 25 && r99 >= 25,
    },
    {
      figure: 'barcode lookup, Outpost in process, item and UOM only (Lookup.scan) p50 / p99',
      measured: p(times.itemOnly),
      control: `IndexedDB in the page ${p(times.dexie)}`,
      ratio: `${(pct(times.dexie, 0.5) / pct(times.itemOnly, 0.5)).toFixed(0)}× / ${(pct(times.dexie, 0.99) / pct(times.itemOnly, 0.99)).toFixed(0)}× faster`,
    },
    {
      figure: 'barcode lookup, the same page → Outpost node API (price quoted) p50 / p99',
      measured: p(times.api),
      control: `IndexedDB in the page ${p(times.dexie)}`,
      ratio: `${(pct(times.dexie, 0.5) / pct(times.api, 0.5)).toFixed(2)}× / ${(pct(times.dexie, 0.99) / pct(times.api, 0.99)).toFixed(2)}×`,
    },
  ],
  notes: [
    `Outpost's load: pages ${outpostSplit.pages.toFixed(2)} s, search index fill ${outpostSplit.fill.toFixed(2)} s, checkpoint ${outpostSplit.checkpoint.toFixed(2)} s; ${outpostSplit.cpu.toFixed(2)} s of CPU (the bare schema's: ${bareCpu.toFixed(2)} s)`,
    `${LOOKUPS} lookups each, blocks of ${BLOCK} alternating; page cross-origin isolated: ${isolated}; load average ${load0} → ${load1()}`,
  ],
});
