/**
 * Store lookups at scale: loads N items (with a price, 1–2 EAN-13 barcodes and a bin each) into a
 * fresh store as the first pull does (store/first-load.ts: its Catalog, pages of 10,000, the
 * search index filled in the completing transaction), then measures store open time, barcode
 * → item + price + UOM + stock, and search-as-you-type, in process, and the process RSS.
 *
 * The load runs in a child process (this script with --load-only), as the first pull runs in
 * `outpost init`, a process of its own: the RSS measured is the till's, which opens a loaded store
 * and serves lookups, not what a million inserts leave behind in the allocator.
 *
 * A control runs alongside: the bare two-table schema of `../shared/docs/perf-baseline.md` (B:
 * `items` + `item_barcode`, WAL, synchronous=NORMAL, default page cache), loaded with the same
 * items and barcodes and timed the same way in the same process. The lookup goal was set
 * against that schema's figure on this machine, so the control says what the machine gives today.
 *
 *   node --expose-gc --import tsx bench/store-lookup.ts [N=1000000] [DIR]
 *
 * A DIR left by an earlier run (its load.json is written last) is measured again, not reloaded.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ean13CheckDigit } from '../src/core/index.js';
import { openStore } from '../src/store/db.js';
import { FirstLoad } from '../src/store/first-load.js';
import { Lookup } from '../src/store/lookup.js';
import { seededRandom } from '../src/sim/faults.js';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'outpost-bench-'));
const loadOnly = process.argv[4] === '--load-only';
const path = join(dir, 'store.db');
const controlPath = join(dir, 'control.db');

/** mulberry32, seeded: every run makes the same choices. */
const rng = seededRandom;
const rand = rng(42);
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
const ean = (n: number): string => {
  const body = `20${String(n).padStart(10, '0')}`.slice(-12).replace(/^2/, '4');
  return body + String(ean13CheckDigit(body));
};

const rssMib = (): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

let barcodes: string[] = [];
/** perf-baseline.md's schema B, loaded alongside with the same items and barcodes. */
function openControl(): {
  item: (code: string, name: string, group: string, brand: string, rate: number) => void;
  barcode: (barcode: string, code: string) => void;
  db: ReturnType<typeof openStore>;
} {
  const db = new Database(controlPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE items (item_code TEXT PRIMARY KEY, item_name TEXT, item_group TEXT,
             brand TEXT, price_list_rate REAL);
           CREATE TABLE item_barcode (barcode TEXT PRIMARY KEY, item_code TEXT) WITHOUT ROWID;`);
  const item = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
  const barcode = db.prepare('INSERT INTO item_barcode VALUES (?, ?)');
  return {
    item: (c, n, g, b, r) => void item.run(c, n, g, b, r),
    barcode: (b, c) => void barcode.run(b, c),
    db,
  };
}

function load(): number {
  const t0 = performance.now();
  const control = openControl();
  const db = openStore(path);
  const first = new FirstLoad(db);
  const cat = first.catalog;
  const batch = 10_000;
  const forControl: [string, string[]][] = [];
  let controlSecs = 0;
  for (let start = 0; start < N; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N, start + batch); i++) {
        const code = `ITM-${String(i + 1).padStart(7, '0')}`;
        const codes = [ean(i * 2)];
        if (rand() < 0.5) codes.push(ean(i * 2 + 1));
        if (i % 100 === 0) barcodes.push(...codes);
        forControl.push([code, codes]);
        const itemName = `${pick(words)} ${pick(words)} ${pick(words)}`;
        const rate = Math.round(rand() * 10000) / 100;
        cat.apply('Item', {
          name: code,
          item_code: code,
          item_name: itemName,
          item_group: `Group ${i % 50}`,
          brand: `Brand ${i % 200}`,
          stock_uom: 'Nos',
          is_stock_item: 1,
          modified: '2026-11-27 08:00:00.000000',
          barcodes: codes.map((b) => ({ barcode: b, barcode_type: 'EAN' })),
          uoms: [{ uom: 'Nos', conversion_factor: 1 }],
        });
        cat.apply('Item Price', {
          name: `IP-${i}`,
          item_code: code,
          price_list: 'Standard Selling',
          price_list_rate: rate,
          modified: '2026-11-27 08:00:00.000000',
        });
        cat.apply('Bin', {
          name: `BIN-${i}`,
          item_code: code,
          warehouse: 'Store - ODR',
          actual_qty: 50,
          reserved_qty: 0,
        });
      }
    })();
    const c0 = performance.now();
    control.db.transaction(() => {
      for (const [code, codes] of forControl) {
        control.item(code, `item ${code}`, 'Group', 'Brand', 1);
        for (const b of codes) control.barcode(b, code);
      }
    })();
    forControl.length = 0;
    controlSecs += (performance.now() - c0) / 1000;
  }
  first.end();
  db.transaction(() => {
    first.complete();
    cat.bumpSnapshot();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  control.db.pragma('wal_checkpoint(TRUNCATE)');
  control.db.close();
  return (performance.now() - t0) / 1000 - controlSecs;
}

if (loadOnly) {
  const seconds = load();
  global.gc?.();
  writeFileSync(join(dir, 'load.json'), JSON.stringify({ seconds, rss_mib: rssMib(), barcodes }));
  process.exit(0);
}
// A DIR that already holds a finished load (its load.json) is measured again without reloading.
if (!existsSync(join(dir, 'load.json'))) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, import.meta.filename, String(N), dir, '--load-only'],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`load failed: ${child.status ?? child.signal}`);
}
const loaded = JSON.parse(readFileSync(join(dir, 'load.json'), 'utf8')) as {
  seconds: number;
  rss_mib: number;
  barcodes: string[];
};
barcodes = loaded.barcodes;
const loadSecs = loaded.seconds;

// Both files read through once into the OS page cache, so the store (1 GiB) and the control
// (~120 MiB, still cached from its load) start the timed scans on the same footing: otherwise
// the store's p99 measures which of its pages other work on the machine evicted since the load.
function readThrough(file: string): void {
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  try {
    while (readSync(fd, chunk, 0, chunk.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}
const c0 = performance.now();
readThrough(path);
readThrough(controlPath);
const readThroughSecs = (performance.now() - c0) / 1000;

const o0 = performance.now();
const db = openStore(path);
const look = new Lookup(db);
const first = look.scanWithPrice(
  barcodes[0] ?? '',
  'Standard Selling',
  'Store - ODR',
  '2026-11-27',
);
const openMs = performance.now() - o0;
if (!first?.price_list_rate) throw new Error('first lookup found no price');

function percentiles(samples: number[]): { p50: number; p99: number } {
  samples.sort((a, b) => a - b);
  return {
    p50: samples[Math.floor(samples.length * 0.5)] ?? 0,
    p99: samples[Math.floor(samples.length * 0.99)] ?? 0,
  };
}
const scanTimes: number[] = [];
for (let k = 0; k < 10_000; k++) {
  const code = barcodes[Math.floor(rand() * barcodes.length)] ?? '';
  const s = process.hrtime.bigint();
  const r = look.scanWithPrice(code, 'Standard Selling', 'Store - ODR', '2026-11-27');
  scanTimes.push(Number(process.hrtime.bigint() - s) / 1000);
  if (!r) throw new Error(`barcode ${code} not found`);
}
// A till stays open all day: the same measure again, on new random codes, once the statement,
// the JIT and SQLite's interior pages are warm. The control, schema B's lookup (barcode → item
// row with its price, one join), runs in the same process in alternate blocks of 500 with the
// store's scan, so both see the same background load; 10,000 untimed control lookups first warm
// its statement and interior pages as the first 10,000 scans warmed the store's.
const controlDb = new Database(controlPath, { readonly: true });
const controlLookup = controlDb.prepare(
  'SELECT i.* FROM item_barcode b JOIN items i ON i.item_code = b.item_code WHERE b.barcode = ?',
);
for (let k = 0; k < 10_000; k++) {
  if (!controlLookup.get(barcodes[Math.floor(rand() * barcodes.length)] ?? '')) {
    throw new Error('control: a barcode was not found');
  }
}
const warmTimes: number[] = [];
const itemOnlyTimes: number[] = [];
const controlTimes: number[] = [];
for (let block = 0; block < 20; block++) {
  for (let k = 0; k < 500; k++) {
    const code = barcodes[Math.floor(rand() * barcodes.length)] ?? '';
    const s = process.hrtime.bigint();
    look.scanWithPrice(code, 'Standard Selling', 'Store - ODR', '2026-11-27');
    warmTimes.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  for (let k = 0; k < 500; k++) {
    const code = barcodes[Math.floor(rand() * barcodes.length)] ?? '';
    const s = process.hrtime.bigint();
    const r = controlLookup.get(code);
    controlTimes.push(Number(process.hrtime.bigint() - s) / 1000);
    if (!r) throw new Error(`control: barcode ${code} not found`);
  }
  // Like for like with the control's item row: the store's barcode → item alone.
  for (let k = 0; k < 500; k++) {
    const code = barcodes[Math.floor(rand() * barcodes.length)] ?? '';
    const s = process.hrtime.bigint();
    look.scan(code);
    itemOnlyTimes.push(Number(process.hrtime.bigint() - s) / 1000);
  }
}
controlDb.close();
const searchTimes: number[] = [];
for (let k = 0; k < 2_000; k++) {
  const prefix = pick(words).slice(0, 3);
  const s = process.hrtime.bigint();
  look.search(prefix, 20);
  searchTimes.push(Number(process.hrtime.bigint() - s) / 1000);
}
global.gc?.();
const rss = rssMib();
const size = ['', '-wal', '-shm'].reduce((s, ext) => {
  try {
    return s + statSync(path + ext).size;
  } catch {
    return s;
  }
}, 0);
const scan = percentiles(scanTimes);
const warm = percentiles(warmTimes);
const search = percentiles(searchTimes);
const control = percentiles(controlTimes);
const itemOnly = percentiles(itemOnlyTimes);
console.log(
  JSON.stringify(
    {
      items: N,
      load_seconds: Number(loadSecs.toFixed(1)),
      load_items_per_s: Math.round(N / loadSecs),
      size_mib: Number((size / 1048576).toFixed(0)),
      files_read_into_os_cache_first_s: Number(readThroughSecs.toFixed(1)),
      open_to_first_lookup_ms: Number(openMs.toFixed(1)),
      barcode_item_price_stock_us: {
        p50: Number(scan.p50.toFixed(1)),
        p99: Number(scan.p99.toFixed(1)),
      },
      barcode_warm_next_10000_us: {
        p50: Number(warm.p50.toFixed(1)),
        p99: Number(warm.p99.toFixed(1)),
      },
      control_bare_schema_warm_us: {
        p50: Number(control.p50.toFixed(1)),
        p99: Number(control.p99.toFixed(1)),
      },
      barcode_warm_over_control: {
        p50: Number((warm.p50 / control.p50).toFixed(2)),
        p99: Number((warm.p99 / control.p99).toFixed(2)),
      },
      barcode_to_item_only_warm_us: {
        p50: Number(itemOnly.p50.toFixed(1)),
        p99: Number(itemOnly.p99.toFixed(1)),
      },
      load_average: loadavg().map((x) => Number(x.toFixed(2))),
      search_top20_us: { p50: Number(search.p50.toFixed(1)), p99: Number(search.p99.toFixed(1)) },
      rss_mib_after_queries: Number(rss.toFixed(0)),
      rss_mib_of_the_load_process: Number(loaded.rss_mib.toFixed(0)),
    },
    null,
    2,
  ),
);
