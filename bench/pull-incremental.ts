/**
 * The pull at chain scale (issue 15): the first pull of N items (with their prices, barcodes and
 * bins) from the simulator over HTTP on loopback into a fresh store, as `outpost init` runs it
 * (bench/pull-first.ts's set-up: the simulator in a child process, the built CLI); then CHANGES
 * Items edited in ERPNext (renamed over the REST API, as a back office does) and the incremental
 * pull that brings them in, as the node's pull loop runs it (no lookback window: see below). The
 * control for the incremental rate is the first pull's, same run, same simulator.
 *
 *   npm run build && node --import tsx bench/pull-incremental.ts [N=100000] [CHANGES=1000] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { parseJsonWith } from '../src/core/index.js';
import { HttpErpClient } from '../src/erpnext/client.js';
import { openStore } from '../src/store/db.js';
import { Puller } from '../src/sync/pull.js';
import { seededRandom } from '../src/sim/faults.js';
import { jsonArg, report } from './figures.js';
import { MAIN, load1 } from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const N = Number(args[0] ?? 100_000);
const CHANGES = Number(args[1] ?? 1000);
const rand = seededRandom(15);
const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-pullinc-'));

const load0 = load1();
const t0 = performance.now();
const sim = spawn(
  process.execPath,
  [MAIN, 'sim', '--port', '0', '--data', join(dir, 'sim'), '--items', String(N), '--quiet'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const simReady = z.object({ url: z.string(), api_key: z.string(), api_secret: z.string() });
const { url, api_key, api_secret } = parseJsonWith(
  simReady,
  await new Promise<string>((resolve) =>
    createInterface({ input: sim.stdout }).once('line', resolve),
  ),
  'outpost sim',
);
const seedSeconds = (performance.now() - t0) / 1000;
const auth = { authorization: `token ${api_key}:${api_secret}` };

try {
  const db = openStore(join(dir, 'store.db'));
  const erp = new HttpErpClient({
    baseUrl: url,
    apiKey: api_key,
    apiSecret: api_secret,
    timeoutMs: 120_000,
  });
  // The incremental pull reads again what changed up to `lookbackSeconds` (120) before the last
  // pull started; a catalog seeded a minute ago is all inside that window, one loaded days ago
  // (a real store's) is not. Lookback 0 measures the latter without waiting two minutes.
  const pull = async (lookbackSeconds?: number) => {
    const s = performance.now();
    const opts = { posProfile: 'Store North - Till 1' };
    const r = await new Puller(
      db,
      erp,
      lookbackSeconds === undefined ? opts : { ...opts, lookbackSeconds },
    ).run();
    const seconds = (performance.now() - s) / 1000;
    const records = Object.values(r.counts).reduce((a, b) => a + b, 0);
    return { seconds, records, counts: r.counts };
  };
  const first = await pull();

  // CHANGES Items renamed in ERPNext, picked at random.
  const listed = await fetch(
    `${url}/api/resource/Item?fields=${encodeURIComponent('["name"]')}&limit_page_length=0`,
    { headers: auth },
  );
  const names = parseJsonWith(
    z.object({ data: z.array(z.object({ name: z.string() })) }),
    await listed.text(),
    'Item list',
  ).data.map((d) => d.name);
  const picked = new Set<string>();
  while (picked.size < Math.min(CHANGES, names.length)) {
    picked.add(names[Math.floor(rand() * names.length)] ?? '');
  }
  const e0 = performance.now();
  for (const name of picked) {
    const r = await fetch(`${url}/api/resource/Item/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ item_name: `${name} renamed by the bench` }),
    });
    if (r.status !== 200) throw new Error(`PUT Item ${name}: ${r.status} ${await r.text()}`);
  }
  const editSeconds = (performance.now() - e0) / 1000;
  const inc = await pull(0);
  const renamed = db
    .prepare("SELECT count(*) FROM item WHERE item_name LIKE '% renamed by the bench'")
    .pluck()
    .get() as number;
  db.close();
  if (renamed !== picked.size) throw new Error(`${renamed} of ${picked.size} renames in the store`);

  const rate = (p: { records: number; seconds: number }) => p.records / p.seconds;
  report(json, {
    bench: 'pull-incremental',
    figures: [
      {
        figure: `first pull of ${N.toLocaleString('en')} items (${first.records.toLocaleString('en')} records)`,
        measured: `${first.seconds.toFixed(1)} s = ${rate(first).toFixed(0)} records/s`,
        goal: '≤ 60 s',
        ok: first.seconds <= 60,
      },
      {
        figure: `incremental pull of ${picked.size.toLocaleString('en')} changed Items (${inc.records.toLocaleString('en')} records)`,
        measured: `${inc.seconds.toFixed(2)} s = ${rate(inc).toFixed(0)} records/s`,
        control: `first pull ${rate(first).toFixed(0)} records/s`,
        ratio: `${(rate(inc) / rate(first)).toFixed(2)} ×`,
      },
    ],
    notes: [
      `simulator seeded in ${seedSeconds.toFixed(1)} s; ${picked.size} Items renamed over the REST API in ${editSeconds.toFixed(1)} s; incremental counts ${JSON.stringify(Object.fromEntries(Object.entries(inc.counts).filter(([, n]) => n > 0)))}; load average ${load0} → ${load1()}`,
    ],
  });
} finally {
  sim.kill('SIGTERM');
  await new Promise((resolve) => sim.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
