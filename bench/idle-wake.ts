/**
 * What a pause costs on this machine: the same work timed back to back and after a pause of
 * the length a till's scans are apart (bench/ui-scan.ts pauses 400 ms before each scan).
 *
 *  1. control, CPU alone in this process: a fixed loop over 20,000 small objects (no I/O);
 *  2. the store node's scan over its WebSocket (`GET /api/pricing/scan`, the screen's lookup),
 *     from a Node client on 127.0.0.1, on the screen bench's kept 1M store; and a bare message
 *     on the same socket (refused before any route), back to back and after the pause.
 *
 * Each is timed N times at each pause, alternating nothing else. A figure after a pause that is
 * several times the back-to-back one, for a loop that does no I/O, is the machine's (idle CPUs
 * losing their caches and clock), not the code's.
 *
 *   OUTPOST_BENCH_DIR=~/.cache/outpost-bench/ui-scan-1000000 node --import tsx bench/idle-wake.ts [N=60]
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { pino } from 'pino';
import WebSocket from 'ws';
import { z } from 'zod';
import { paths, readStoreConfig, writePrivate } from '../src/cli/config.js';
import { ensureDemoStore, startDemoSim } from '../src/cli/demo.js';
import { startStoreNode } from '../src/cli/serve.js';
import { query } from '../test/pos/till-fixture.js';

const N = Number(process.argv[2] ?? 60);
const PAUSES = [0, 50, 400];
const ITEMS = Number(process.env['OUTPOST_BENCH_ITEMS'] ?? 1_000_000);
const dir = process.env['OUTPOST_BENCH_DIR'];
if (!dir)
  throw new Error('set OUTPOST_BENCH_DIR to the screen bench’s kept store (see the header)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** p50, p95 and max, in ms to 0.01 (the loop takes under a tenth of one). */
function stats(xs: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0).toFixed(3));
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

// 1. The CPU alone.
const objects = Array.from({ length: 20_000 }, (_, i) => ({ k: `x${i}`, v: i }));
function loop(): number {
  let s = 0;
  for (let r = 0; r < 3; r++) for (const o of objects) s += o.v * 2 + o.k.length;
  return s;
}
const timeLoop = () => {
  const t = performance.now();
  loop();
  return performance.now() - t;
};
for (let i = 0; i < 200; i++) timeLoop();

// 2. The node, as the screen bench starts it.
const sim = await startDemoSim(join(dir, 'sim'), 0, ITEMS);
const store = await ensureDemoStore(dir, sim);
const config = readStoreConfig(store);
writePrivate(
  paths(store).config,
  `${JSON.stringify({ ...config, erpnext_url: sim.url }, null, 2)}\n`,
);
const node = await startStoreNode(store, '127.0.0.1', 0, { logger: pino({ level: 'warn' }) });
try {
  const device = node.deviceToken;
  if (device === null) throw new Error(`${store}: the till is bound to another device`);
  const login = await fetch(`${node.url}/api/session`, {
    method: 'POST',
    headers: { 'x-outpost-device': device, 'content-type': 'application/json' },
    body: JSON.stringify({ cashier: 'alice', pin: '1234' }),
  });
  const { session_token: session } = z
    .object({ session_token: z.string() })
    .parse(await login.json());
  const barcodes = query<{ barcode: string }>(
    store,
    `SELECT min(barcode) AS barcode FROM item_barcode WHERE uom = stock_uom AND barcode NOT GLOB '2[0-9]*'
     GROUP BY item_code ORDER BY item_code LIMIT ?`,
    N * PAUSES.length + 20,
  ).map((r) => r.barcode);

  const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/api/ws`);
  await new Promise((opened) => ws.once('open', opened));
  ws.send(JSON.stringify({ device, session }));
  let nextId = 1;
  const ask = (url: string) =>
    new Promise<number>((answered) => {
      const id = nextId++;
      const t = performance.now();
      const onMessage = (data: WebSocket.RawData) => {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a text frame
        if (!String(data).startsWith(`{"id":${id},`)) return;
        ws.off('message', onMessage);
        answered(performance.now() - t);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method: 'GET', url }));
    });
  // The node's start-up work (its first pull, the checkpointer) done; then warm: the
  // statements prepared, the code compiled.
  await sleep(5000);
  for (const b of barcodes.slice(0, 20)) await ask(`/api/pricing/scan?barcode=${b}`);

  const load = [loadavg()[0] ?? 0];
  let next = 20;
  const rows = [];
  for (const pause of PAUSES) {
    const cpu: number[] = [];
    const scan: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < N; i++) {
      if (pause > 0) await sleep(pause);
      cpu.push(timeLoop());
      if (pause > 0) await sleep(pause);
      scan.push(await ask(`/api/pricing/scan?barcode=${barcodes[next++] ?? ''}`));
      if (pause > 0) await sleep(pause);
      bare.push(await ask('/api/ws'));
    }
    rows.push({
      pause_ms: pause,
      cpu_loop_ms: stats(cpu),
      scan_over_socket_ms: stats(scan),
      bare_socket_message_ms: stats(bare),
    });
  }
  load.push(loadavg()[0] ?? 0);
  ws.close();
  console.log(
    JSON.stringify(
      { date: new Date().toISOString(), samples: N, load_avg_1m: load, rows },
      null,
      2,
    ),
  );
} finally {
  await node.close();
  await sim.stop();
}
