/**
 * The store node's CPU per request, in process: `outpost serve`'s node (startStoreNode, its
 * pino logger writing to /dev/null as the bench's child does) answering Fastify `inject`
 * requests, so the figures are the node's own work without the client's or the sockets'.
 * Process CPU (user + system) per request, next to the wall time; a machine shared with other
 * work inflates both less than a round trip's latency. For profiles:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/node-cpu.ts [ITEMS=20000] [N=2000] [lookup|sale|all] [CACHE]
 *
 * The store is bench/node-store.ts's (own cache directory by default: bench/node.ts's is
 * not shared).
 */
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startStoreNode } from '../src/cli/serve.js';
import { seededRandom } from '../src/sim/faults.js';
import { CASHIER, cli, ensureStore } from './node-store.js';

const ITEMS = Number(process.argv[2] ?? 20_000);
const N = Number(process.argv[3] ?? 2000);
const ONLY = process.argv[4] ?? 'all';
const CACHE = process.argv[5] ?? join(homedir(), '.cache', 'outpost-bench', `node-cpu-${ITEMS}`);
const TERMINALS = 8;

const rand = seededRandom(7);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const barcodes = await ensureStore(CACHE, ITEMS);
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
const node = await startStoreNode(CACHE, '127.0.0.1', 0, { logger });
const { app } = node;

async function inject(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await app.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return { status: r.statusCode, json: r.json<Record<string, unknown>>() };
}

/** One device per terminal, approved by the CLI on the same directory, a cashier logged in. */
async function terminal(): Promise<{ headers: Record<string, string>; id: string }> {
  const p = await inject('POST', '/api/pairing', {}, { label: 'bench-cpu' });
  const token = String(p.json['device_token']);
  await cli([
    ...['terminal', 'approve', String(p.json['code']), '--data', CACHE],
    ...['--cashier', 'maya', '--pin', '9876'],
  ]);
  const s = await inject(
    'POST',
    '/api/session',
    { 'x-outpost-device': token },
    { cashier: CASHIER.id, pin: CASHIER.pin },
  );
  return {
    headers: { 'x-outpost-device': token, 'x-outpost-session': String(s.json['session_token']) },
    id: String(p.json['device_id']),
  };
}

const terms = [];
for (let k = 0; k < TERMINALS; k++) terms.push(await terminal());
const first = terms[0]?.headers ?? {};

/** `n` runs of `one`, sequential: CPU and wall per run, ms. */
async function measure(n: number, one: () => Promise<void>): Promise<[number, number]> {
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let k = 0; k < n; k++) await one();
  return [(cpuMs() - c0) / n, (performance.now() - t0) / n];
}

const lookup = async () => {
  const r = await inject('GET', `/api/items?barcode=${pick(barcodes)}`, first);
  if (r.status !== 200) throw new Error(`lookup ${r.status}`);
};
const lookups = ONLY === 'sale' ? 0 : N;
await measure(Math.min(200, lookups), lookup);
const [lookupCpu, lookupWall] = await measure(lookups, lookup);

const catalog = ['SKU-0000004', 'SKU-0000005', 'SKU-0000006', 'SKU-0000007', 'SKU-0000008'];
const sale = (h: Record<string, string>) => async () => {
  const items = Array.from({ length: 3 }, () => ({ item_code: pick(catalog), qty: '1' }));
  const r = await inject('POST', '/api/sales', h, { items });
  if (r.status !== 201) throw new Error(`sale ${r.status} ${JSON.stringify(r.json)}`);
};
const sales = ONLY === 'lookup' ? 0 : Math.round(N / 4);
await measure(Math.min(50, sales), sale(first));
const [saleCpu, saleWall] = await measure(sales, sale(first));
// The 8 terminals at once: each sends its next sale when its last one is answered.
const c0 = cpuMs();
const t0 = performance.now();
const per = Math.round(sales / TERMINALS);
await Promise.all(
  terms.map(async (t) => {
    for (let k = 0; k < per; k++) await sale(t.headers)();
  }),
);
const groupCpu = (cpuMs() - c0) / (per * TERMINALS);
const groupWall = (performance.now() - t0) / (per * TERMINALS);

for (const t of terms) {
  await cli(['terminal', 'revoke', t.id, '--data', CACHE, '--cashier', 'maya', '--pin', '9876']);
}
await node.close();
console.log(`bench/node-cpu.ts: ${ITEMS} items, N=${N}; load average ${load()}`);
console.log('| request (inject, in process) | CPU per request | wall per request |');
console.log('| --- | --- | --- |');
console.log(
  `| GET /api/items?barcode= | ${lookupCpu.toFixed(3)} ms | ${lookupWall.toFixed(3)} ms |`,
);
console.log(
  `| POST /api/sales, 1 terminal | ${saleCpu.toFixed(3)} ms | ${saleWall.toFixed(3)} ms |`,
);
console.log(
  `| POST /api/sales, ${TERMINALS} terminals at once | ${groupCpu.toFixed(3)} ms | ${groupWall.toFixed(3)} ms |`,
);
