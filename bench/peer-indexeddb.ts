/**
 * The peer approach, side by side (issue 15): the same N-item catalog (items, 1–2 EAN-13 barcodes
 * each, a price) loaded
 *
 *  A. into IndexedDB with Dexie 4 in headless Chromium (a fresh profile on disk, as the offline
 *     fork of POS Awesome caches it: `items: 'item_code, *barcodes'`, `bulkAdd` in chunks of
 *     10,000), and looked up by barcode in the page (`where('barcodes').equals(code).first()`);
 *  B. into Outpost's store through the pull's `Catalog` (Item and Item Price documents, 10,000
 *     items per transaction, as the first pull writes), looked up in process
 *     (`Lookup.scanWithPrice`: item, UOM, list price, stock net of local sales);
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
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

const load0 = load1();
// 1,001: one bulk item, so the cache's record of sampled barcodes is not empty (its schema wants one).
await ensureStore(CACHE, 1001);
const root = mkdtempSync(join(tmpdir(), 'outpost-bench-peer-'));
const dir = join(root, 'store');
cpSync(CACHE, dir, { recursive: true });

// B. Outpost's load, through the pull's Catalog.
const stamp = '2026-11-27 08:00:00.000000';
const outpostLoad = ((): number => {
  const db = openStore(join(dir, 'store.db'), { mustExist: true });
  const cat = new Catalog(db);
  const t0 = performance.now();
  db.pragma('synchronous = NORMAL');
  for (let start = 0; start < N; start += CHUNK) {
    db.transaction(() => {
      for (const it of items.slice(start, start + CHUNK)) {
        cat.apply('Item', {
          ...{ name: it.item_code, item_code: it.item_code, item_name: it.item_name },
          ...{ item_group: it.item_group, stock_uom: it.stock_uom, is_stock_item: 1 },
          modified: stamp,
          barcodes: it.barcodes.map((b) => ({ barcode: b, barcode_type: 'EAN' })),
          uoms: [{ uom: it.stock_uom, conversion_factor: 1 }],
        });
        cat.apply('Item Price', {
          ...{ name: `IP-${it.item_code}`, item_code: it.item_code, price_list: PRICE_LIST },
          price_list_rate: it.price_list_rate,
          modified: stamp,
        });
      }
    })();
  }
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return seconds;
})();

// B'. The bare schema, same items, same chunks.
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
  window.pending = [];
</script>`;

const serve = await startServe(dir);
const profile = join(root, 'chromium');
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const times = { dexie: [] as number[], api: [] as number[], inProcess: [] as number[] };
let dexieLoad = 0;
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
    // A. The load, timed in the page.
    dexieLoad = z.number().parse(
      await tab.evaluate(`(async () => {
        await db.open();
        const t0 = performance.now();
        for (const chunk of pending) await db.items.bulkAdd(chunk);
        const ms = performance.now() - t0;
        pending = [];
        return ms;
      })()`),
    );
    const count = z.number().parse(await tab.evaluate('db.items.count()'));
    if (count !== N) throw new Error(`IndexedDB holds ${count} items, not ${N}`);

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
    try {
      const warm = queries.slice(0, BLOCK);
      await inPage(warm, 'dexie');
      await inPage(warm, 'api');
      inProcess(warm);
      for (let b = 0; b < LOOKUPS; b += BLOCK) {
        const codes = queries.slice(b, b + BLOCK);
        times.dexie.push(...(await inPage(codes, 'dexie')));
        times.api.push(...(await inPage(codes, 'api')));
        times.inProcess.push(...inProcess(codes));
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
const r50 = pct(times.dexie, 0.5) / pct(times.inProcess, 0.5);
const r99 = pct(times.dexie, 0.99) / pct(times.inProcess, 0.99);
report(json, {
  bench: 'peer-indexeddb',
  figures: [
    {
      figure: `load ${N.toLocaleString('en')} items + barcodes + prices: Outpost store (Catalog)`,
      measured: `${outpostLoad.toFixed(2)} s`,
      control: `IndexedDB (Dexie, Chromium) ${(dexieLoad / 1000).toFixed(2)} s`,
      ratio: `${loadRatio.toFixed(1)}× faster`,
      goal: '≥ 10× faster',
      ok: loadRatio >= 10,
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
      figure: 'barcode lookup, the same page → Outpost node API (price quoted) p50 / p99',
      measured: p(times.api),
      control: `IndexedDB in the page ${p(times.dexie)}`,
      ratio: `${(pct(times.dexie, 0.5) / pct(times.api, 0.5)).toFixed(2)}× / ${(pct(times.dexie, 0.99) / pct(times.api, 0.99)).toFixed(2)}×`,
    },
  ],
  notes: [
    `${LOOKUPS} lookups each, blocks of ${BLOCK} alternating; page cross-origin isolated: ${isolated}; load average ${load0} → ${load1()}`,
  ],
});
