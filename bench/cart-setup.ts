/**
 * The benches' store: the demo simulator in process, `outpost init` (first pull), the simulator
 * then stopped. Shared by the pricing benches so every figure is taken on the same catalog.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/run.js';
import { createApp } from '../src/sim/app.js';
import { systemClock } from '../src/sim/clock.js';
import { SimDb } from '../src/sim/db.js';
import { seedEmpty } from '../src/sim/seed-empty.js';
import { loadDemoSeed } from '../src/sim/seed/load.js';
import { listen } from '../src/sim/server.js';

const KEY = 'outpost-bench-key';
const SECRET = 'outpost-bench-secret';
export const PROFILE = 'Store North - Till 1';

async function cli(args: string[]): Promise<string> {
  let out = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  if (code !== 0) throw new Error(`outpost ${args.join(' ')} → ${code}\n${out}`);
  return out;
}

/** A fresh store directory pulled from a demo site of `items` items and 40 customers. */
export async function benchStore(items: number): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'outpost-bench-')), 'store');
  const db = SimDb.open(':memory:');
  seedEmpty(db, systemClock, { timeZone: 'America/New_York', apiKey: KEY, apiSecret: SECRET });
  const app = createApp({ db, clock: systemClock, config: { timeZone: 'America/New_York' } });
  loadDemoSeed(app, { items, customers: 40 });
  const { server, port } = await listen(app, 0);
  try {
    await cli([
      'init',
      '--data',
      dir,
      '--erpnext',
      `http://127.0.0.1:${port}`,
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--pos-profile',
      PROFILE,
    ]);
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  db.close();
  return dir;
}
