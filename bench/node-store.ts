/**
 * The store bench/node.ts serves, made once and kept in a cache directory: the simulator's demo
 * seed (1,000 items, first pull by `outpost init`, a cashier), then ITEMS − 1,000 more items
 * with 1–2 EAN-13 barcodes, a price and a bin each, through the pull's Catalog. Remade when
 * older than 48 h (the till sells offline for 72 h after its last contact with ERPNext).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ean13CheckDigit, parseJsonWith } from '../src/core/index.js';
import { run } from '../src/cli/run.js';
import { createApp } from '../src/sim/app.js';
import { systemClock } from '../src/sim/clock.js';
import { SimDb } from '../src/sim/db.js';
import { seededRandom } from '../src/sim/faults.js';
import { seedEmpty } from '../src/sim/seed-empty.js';
import { loadDemoSeed } from '../src/sim/seed/load.js';
import { listen } from '../src/sim/server.js';
import { openStore } from '../src/store/db.js';
import { Catalog } from '../src/store/catalog.js';

const DEMO_ITEMS = 1000;
const KEY = 'outpost-bench-key';
const SECRET = 'outpost-bench-secret';
const PROFILE = 'Store North - Till 1';
const WAREHOUSE = 'Store North - ODR';
export const CASHIER = { id: 'alice', name: 'Alice Martin', pin: '1234' };
export const MANAGER = { id: 'maya', name: 'Maya Manager', pin: '9876' };
const rand = seededRandom(12);

export async function cli(args: string[]): Promise<void> {
  let out = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  if (code !== 0) throw new Error(`outpost ${args.join(' ')} → ${code}\n${out}`);
}

const madeSchema = z.object({ made_at: z.string(), barcodes: z.array(z.string()).min(1) });

/** The cached store, made when missing or older than 48 h: its sampled barcodes. */
export async function ensureStore(dir: string, items: number): Promise<string[]> {
  const madePath = join(dir, 'made.json');
  if (existsSync(madePath)) {
    const made = parseJsonWith(madeSchema, readFileSync(madePath, 'utf8'), madePath);
    if (Date.now() - Date.parse(made.made_at) < 48 * 3_600_000) {
      await ensureManager(dir);
      return made.barcodes;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const sim = SimDb.open(':memory:');
  seedEmpty(sim, systemClock, { timeZone: 'America/New_York', apiKey: KEY, apiSecret: SECRET });
  const app = createApp({ db: sim, clock: systemClock, config: { timeZone: 'America/New_York' } });
  loadDemoSeed(app, { items: DEMO_ITEMS, customers: 40 });
  const { server, port } = await listen(app, 0);
  try {
    await cli([
      ...['init', '--data', dir, '--erpnext', `http://127.0.0.1:${port}`],
      ...['--api-key', KEY, '--api-secret', SECRET, '--pos-profile', PROFILE],
    ]);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await cli([
    ...['cashier', 'add', '--data', dir, '--id', CASHIER.id, '--name', CASHIER.name],
    ...['--pin', CASHIER.pin, '--role', 'cashier'],
  ]);
  await ensureManager(dir);
  const barcodes = bulkItems(join(dir, 'store.db'), items - DEMO_ITEMS);
  writeFileSync(madePath, JSON.stringify({ made_at: new Date().toISOString(), barcodes }));
  console.log(`store made in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}`);
  return barcodes;
}

/** The manager who approves the bench's terminals (stores made before pairing lack one). */
async function ensureManager(dir: string): Promise<void> {
  const db = openStore(join(dir, 'store.db'), { mustExist: true });
  const known = db.prepare('SELECT 1 FROM cashier WHERE id = ?').get(MANAGER.id) !== undefined;
  db.close();
  if (known) return;
  await cli([
    ...['cashier', 'add', '--data', dir, '--id', MANAGER.id, '--name', MANAGER.name],
    ...['--pin', MANAGER.pin, '--role', 'manager'],
  ]);
}

const ean = (n: number): string => {
  const body = `4${String(n).padStart(11, '0')}`;
  return body + String(ean13CheckDigit(body));
};

/** `n` more items (barcodes, price, bin) through the pull's Catalog; 1 in 100 barcodes kept. */
function bulkItems(path: string, n: number): string[] {
  const db = openStore(path, { mustExist: true });
  db.pragma('synchronous = NORMAL');
  const cat = new Catalog(db);
  const sample: string[] = [];
  for (let start = 0; start < n; start += 10_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + 10_000); i++) {
        const code = `ITM-${String(i + 1).padStart(7, '0')}`;
        const codes = rand() < 0.5 ? [ean(i * 2)] : [ean(i * 2), ean(i * 2 + 1)];
        if (i % 100 === 0) sample.push(...codes);
        cat.apply('Item', {
          ...{ name: code, item_code: code, item_name: `Bench item ${i}` },
          ...{ item_group: 'Products', stock_uom: 'Nos', is_stock_item: 1 },
          modified: '2026-11-27 08:00:00.000000',
          barcodes: codes.map((b) => ({ barcode: b, barcode_type: 'EAN' })),
          uoms: [{ uom: 'Nos', conversion_factor: 1 }],
        });
        cat.apply('Item Price', {
          ...{ name: `IP-BENCH-${i}`, item_code: code, price_list: 'Standard Selling' },
          price_list_rate: 1 + (i % 5000) / 100,
          modified: '2026-11-27 08:00:00.000000',
        });
        cat.apply('Bin', {
          ...{ name: `BIN-BENCH-${i}`, item_code: code, warehouse: WAREHOUSE },
          ...{ actual_qty: 50, reserved_qty: 0 },
        });
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return sample;
}
