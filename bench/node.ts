/**
 * The store node (issue 12), over real HTTP against `outpost serve` in a child process, on a
 * store with a large catalog:
 *
 *  1. cold start: spawn `outpost serve` → first 200 from /healthz, and the server's RSS then
 *     (and its peak at the end);
 *  2. barcode lookup over the API (GET /api/items?barcode=), one client, random barcodes;
 *  3. control: the raw durable-commit rate of this disk — a bare SQLite database in the same
 *     directory, the store's settings (WAL, synchronous=FULL), one INSERT per IMMEDIATE
 *     transaction — measured just before and just after the sales;
 *  4. TERMINALS clients selling 3-line carts concurrently (POST /api/sales, exact cash) for
 *     SECONDS (after one terminal alone for SECONDS / 4): the store's sales rate, each request's
 *     latency, the node's own account of each sale (Server-Timing: price, queue, commit, group
 *     size), and the node's CPU per sale and per lookup (/proc/PID/stat, user + system).
 *
 * OUTPOST_BENCH_NODE_ARGS adds node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=DIR");
 * OUTPOST_BENCH_MAIN runs another build's dist/src/cli/main.js (a before/after in one sitting).
 *
 * The store is made once and kept in CACHE (default ~/.cache/outpost-bench/node-ITEMS) by
 * bench/node-store.ts; reruns add their sales to it.
 *
 *   npm run build && node --import tsx bench/node.ts [ITEMS=1000000] [SECONDS=10] [CACHE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/sim/faults.js';
import { CASHIER, MANAGER, cli, ensureStore } from './node-store.js';
import { agent, call, pct, rawCommits, timing } from './serve-client.js';

const ITEMS = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 10);
const CACHE = process.argv[4] ?? join(homedir(), '.cache', 'outpost-bench', `node-${ITEMS}`);
const TERMINALS = 8;
/** The 1-terminal run before the 8 (its CPU per sale is the node's cost without grouping). */
const ONE_SECONDS = Math.max(2, Math.round(SECONDS / 4));
// OUTPOST_BENCH_MAIN: another build's main.js (e.g. an older commit's, for a before/after run).
const MAIN =
  process.env['OUTPOST_BENCH_MAIN'] ??
  join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');

const rand = seededRandom(12);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** CPU seconds (user + system) the process `pid` has used so far (/proc/PID/stat, fields 14–15). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}
/** Linux's USER_HZ (`getconf CLK_TCK`): 100 on every mainstream kernel. */
const TICKS = 100;

const statusOf = (pid: number, field: 'VmRSS' | 'VmHWM'): number =>
  Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN,
  ) / 1024;

/** `outpost serve` in a child process; resolves once /healthz answers 200. */
async function startServe(dir: string): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    // OUTPOST_BENCH_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the node.
    [
      ...(process.env['OUTPOST_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
      MAIN,
      'serve',
      '--data',
      dir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    // Only the start is kept: the node's stderr is read for the whole run, and re-reading a
    // growing string on every chunk would cost the client's core more than the node's replies.
    let err = '';
    child.stderr?.on('data', (b: Buffer) => {
      if (err.length > 65_536) return;
      err += b.toString();
      const m = /listening on (\S+);/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`outpost serve exited ${code}:\n${err}`)));
  });
  for (;;) {
    const r = await fetch(`${url}/healthz`).catch(() => null);
    if (r?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, url, ms: performance.now() - t0 };
}

interface Terminal {
  readonly device_id: string;
  readonly terminal: string;
  readonly headers: Record<string, string>;
}

const json = (h: Record<string, string>) => ({ ...h, 'content-type': 'application/json' });

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const r = await fetch(url, {
    method: 'POST',
    headers: json(headers),
    body: JSON.stringify(body),
  });
  if (r.status !== 200 && r.status !== 201)
    throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

/**
 * The bench's terminals, paired as a shop pairs them: each device asks (POST /api/pairing) and
 * gets its own terminal (series, chain, key). The first is approved by `outpost terminal
 * approve` on the node's data directory (the CLI beside the running node); the others by the
 * manager from the first device (POST /api/pairing/approve). A cashier then logs in on each.
 * `release` revokes them, so a rerun's devices take the same terminals again.
 */
async function pairTerminals(url: string, dir: string, n: number): Promise<Terminal[]> {
  const manager = { id: MANAGER.id, pin: MANAGER.pin };
  const ask = async () =>
    (await post(`${url}/api/pairing`, {}, { label: 'bench' })) as {
      device_id: string;
      code: string;
      device_token: string;
    };
  const login = async (device: string, who: { id: string; pin: string }) => {
    const s = (await post(
      `${url}/api/session`,
      { 'x-outpost-device': device },
      {
        cashier: who.id,
        pin: who.pin,
      },
    )) as { session_token: string };
    return { 'x-outpost-device': device, 'x-outpost-session': s.session_token };
  };
  const first = await ask();
  await cli([
    ...['terminal', 'approve', first.code, '--data', dir],
    ...['--cashier', manager.id, '--pin', manager.pin],
  ]);
  const mgr = await login(first.device_token, manager);
  const devices = [{ ...first, terminal: '' }];
  for (let k = 1; k < n; k++) {
    const d = await ask();
    await post(`${url}/api/pairing/approve`, mgr, { code: d.code, manager });
    devices.push({ ...d, terminal: '' });
  }
  const out: Terminal[] = [];
  for (const d of devices) {
    const state = (await (
      await fetch(`${url}/api/pairing`, { headers: { 'x-outpost-device': d.device_token } })
    ).json()) as { terminal: string };
    out.push({
      device_id: d.device_id,
      terminal: state.terminal,
      headers: json(await login(d.device_token, CASHIER)),
    });
  }
  release = async () => {
    // The cashier's login on the first device ended the manager's session there.
    const mgr = await login(first.device_token, manager);
    for (const d of out.slice(1)) {
      await post(`${url}/api/devices/${d.device_id}/revoke`, mgr, { manager });
    }
    await post(`${url}/api/devices/${first.device_id}/revoke`, mgr, { manager });
  };
  return out;
}
let release = async (): Promise<void> => {};

interface Selling {
  readonly latency: number[];
  readonly commit: number[];
  readonly sql: number[];
  readonly queue: number[];
  readonly price: number[];
  readonly meanGroup: number;
  readonly maxGroup: number;
  readonly elapsed: number;
  /** Sales per second. */
  readonly rate: number;
  /** The node's CPU (user + system) per sale, ms. */
  readonly cpuMs: number;
}

/** `terminals` selling random 3-line carts of `catalog` concurrently for `seconds`. */
async function sell(
  url: string,
  pid: number,
  terminals: readonly Record<string, string>[],
  catalog: readonly string[],
  seconds: number,
): Promise<Selling> {
  const latency: number[] = [];
  const commit: number[] = [];
  const sql: number[] = [];
  const queue: number[] = [];
  const price: number[] = [];
  const groups: number[] = [];
  const errors = new Map<string, number>();
  const cpu0 = cpuOf(pid);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    terminals.map(async (h) => {
      while (performance.now() < end) {
        const items = Array.from({ length: 3 }, () => ({ item_code: pick(catalog), qty: '1' }));
        const s = performance.now();
        const r = await call(`${url}/api/sales`, 'POST', h, { items });
        if (r.status !== 201) {
          const key = `${r.status} ${r.text.slice(0, 160)}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
          continue;
        }
        latency.push(performance.now() - s);
        const t = timing(r.timing);
        commit.push(t['commit'] ?? NaN);
        sql.push(t['sql'] ?? NaN);
        queue.push(t['queue'] ?? NaN);
        price.push(t['price'] ?? NaN);
        groups.push(Number(/desc="(\d+) sales"/.exec(r.timing)?.[1]));
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuOf(pid) - cpu0;
  for (const [e, n] of errors) console.log(`refused ×${n}: ${e}`);
  return {
    ...{ latency, commit, sql, queue, price, elapsed },
    meanGroup: groups.reduce((a, b) => a + b, 0) / groups.length,
    maxGroup: Math.max(...groups),
    rate: latency.length / elapsed,
    cpuMs: (cpu * 1000) / latency.length,
  };
}

const verdict = (ok: boolean) => (ok ? '✅' : '❌');

async function main(): Promise<void> {
  console.log(`bench/node.ts: ${ITEMS} items, ${TERMINALS} terminals × ${SECONDS} s; ${CACHE}`);
  const barcodes = await ensureStore(CACHE, ITEMS);
  const size = statSync(join(CACHE, 'store.db')).size / 2 ** 20;
  console.log(`store.db ${size.toFixed(0)} MiB; load average ${load()}`);

  const serve = await startServe(CACHE);
  const pid = serve.child.pid ?? 0;
  const rssStart = statusOf(pid, 'VmRSS');
  const rows: [string, string, string, boolean][] = [];
  rows.push([
    `cold start with ${ITEMS.toLocaleString('en')} items (spawn → /healthz 200)`,
    `${(serve.ms / 1000).toFixed(2)} s`,
    '≤ 3 s',
    serve.ms <= 3000,
  ]);
  rows.push([
    'RSS of `outpost serve` once ready',
    `${rssStart.toFixed(0)} MiB`,
    '≤ 300 MB',
    rssStart * 1.048576 <= 300,
  ]);
  try {
    const terminals = await pairTerminals(serve.url, CACHE, TERMINALS);
    console.log(`terminals: ${terminals.map((t) => t.terminal).join(', ')}`);
    const headers = terminals.map((t) => t.headers);
    const first = headers[0] ?? {};

    // Barcode lookups: warm-up, then measured.
    const lookups: number[] = [];
    let lookupCpu = 0;
    for (let k = 0; k < 2200; k++) {
      if (k === 200) lookupCpu = cpuOf(pid);
      const t0 = performance.now();
      const r = await call(`${serve.url}/api/items?barcode=${pick(barcodes)}`, 'GET', first);
      if (r.status !== 200) throw new Error(`barcode lookup: ${r.status}`);
      if (k >= 200) lookups.push(performance.now() - t0);
    }
    lookupCpu = ((cpuOf(pid) - lookupCpu) * 1000) / lookups.length;
    rows.push([
      'barcode lookup over the API, p50 / p99 (2,000, one client); node CPU per lookup',
      `${pct(lookups, 0.5).toFixed(2)} / ${pct(lookups, 0.99).toFixed(2)} ms; ${lookupCpu.toFixed(2)} ms`,
      'p99 ≤ 5 ms',
      pct(lookups, 0.99) <= 5,
    ]);

    // The carts: demo items that price (each priced once over the API: warm-up too).
    const db = new Database(join(CACHE, 'store.db'), { readonly: true });
    const candidates = db
      .prepare(
        "SELECT item_code FROM item WHERE disabled = 0 AND has_variants = 0 AND item_code NOT LIKE 'ITM-%' LIMIT 200",
      )
      .pluck()
      .all() as string[];
    db.close();
    const catalog: string[] = [];
    for (const code of candidates) {
      const r = await call(`${serve.url}/api/cart/price`, 'POST', first, {
        items: [{ item_code: code, qty: '1' }],
      });
      if (r.status === 200) catalog.push(code);
    }
    if (catalog.length < 3) throw new Error(`only ${catalog.length} items price`);

    // One terminal first (the node's CPU per sale with nothing to share a commit with), then
    // all of them; the server's CPU is read from /proc around each phase.
    const one = await sell(serve.url, pid, headers.slice(0, 1), catalog, ONE_SECONDS);
    const before = rawCommits(CACHE, 3);
    const all = await sell(serve.url, pid, headers, catalog, SECONDS);
    const after = rawCommits(CACHE, 3);
    const [rawBefore, rawAfter] = [before.rate, after.rate];
    const raw = Math.max(rawBefore, rawAfter);
    const rawMs = [...before.ms, ...after.ms];
    rows.push([
      'control: raw durable commits/s (WAL, synchronous=FULL; before / after)',
      `${rawBefore.toFixed(0)} / ${rawAfter.toFixed(0)}`,
      '–',
      true,
    ]);
    rows.push([
      `1 terminal selling 3-line carts (${ONE_SECONDS} s): sales/s; node CPU per sale`,
      `${one.rate.toFixed(0)}; ${one.cpuMs.toFixed(2)} ms`,
      '–',
      true,
    ]);
    rows.push([
      `${TERMINALS} terminals selling 3-line carts: sales/s (× the higher raw rate)`,
      `${all.rate.toFixed(0)} (${(all.rate / raw).toFixed(2)} ×)`,
      '≥ 0.5 ×',
      all.rate >= 0.5 * raw,
    ]);
    rows.push([
      `${TERMINALS} terminals: node CPU per sale (user + system, /proc); node cores busy`,
      `${all.cpuMs.toFixed(2)} ms; ${((all.cpuMs * all.rate) / 1000).toFixed(2)}`,
      '–',
      true,
    ]);
    rows.push([
      'commit (group transaction, BEGIN → durable COMMIT) p50 / p99',
      `${pct(all.commit, 0.5).toFixed(2)} / ${pct(all.commit, 0.99).toFixed(2)} ms`,
      'p99 ≤ 10 ms',
      pct(all.commit, 0.99) <= 10,
    ]);
    rows.push([
      '… of which the SQL (BEGIN → COMMIT returned, not yet synced) p50 / p99; control: a raw one-row durable commit p50 / p99 (before and after)',
      `${pct(all.sql, 0.5).toFixed(2)} / ${pct(all.sql, 0.99).toFixed(2)} ms; ${pct(rawMs, 0.5).toFixed(2)} / ${pct(rawMs, 0.99).toFixed(2)} ms`,
      '–',
      true,
    ]);
    rows.push([
      'sales per commit, mean / max',
      `${all.meanGroup.toFixed(1)} / ${all.maxGroup}`,
      '–',
      true,
    ]);
    rows.push([
      'per sale on the node: pricing p50 / p99; waiting for its commit p50 / p99',
      `${pct(all.price, 0.5).toFixed(2)} / ${pct(all.price, 0.99).toFixed(2)} ms; ${pct(all.queue, 0.5).toFixed(2)} / ${pct(all.queue, 0.99).toFixed(2)} ms`,
      '–',
      true,
    ]);
    rows.push([
      'POST /api/sales round trip p50 / p99 (client side)',
      `${pct(all.latency, 0.5).toFixed(2)} / ${pct(all.latency, 0.99).toFixed(2)} ms`,
      '–',
      true,
    ]);
    const m = await writeFigures(serve.url);
    rows.push([
      'group commits synced on the event loop / in the thread pool; WAL checkpoints by the worker / on the event loop (longest)',
      `${m.inline} / ${m.pooled}; ${m.worker} / ${m.own} (${m.ownMaxMs.toFixed(2)} ms)`,
      '–',
      true,
    ]);
    const peak = statusOf(pid, 'VmHWM');
    rows.push(['RSS peak of `outpost serve` at the end', `${peak.toFixed(0)} MiB`, '–', true]);
    console.log(
      `\n${all.latency.length} sales in ${all.elapsed.toFixed(1)} s; load average ${load()}`,
    );
  } finally {
    await release().catch((e: unknown) =>
      console.log(`revoking the bench's devices: ${String(e)}`),
    );
    agent.destroy();
    serve.child.kill('SIGTERM');
    await new Promise((resolve) => serve.child.once('exit', resolve));
  }
  console.log('\n| figure | measured | goal | |\n| --- | --- | --- | --- |');
  for (const [name, value, goal, ok] of rows) {
    console.log(`| ${name} | ${value} | ${goal} | ${goal === '–' ? '' : verdict(ok)} |`);
  }
}

/** The node's /metrics on how its commits were synced and its WAL checkpointed. */
async function writeFigures(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : NaN;
  };
  return {
    inline: value('outpost_commit_syncs_total{where="inline"}'),
    pooled: value('outpost_commit_syncs_total{where="pooled"}'),
    worker: value('outpost_wal_checkpoints_total{by="worker"}'),
    own: value('outpost_wal_checkpoints_total{by="node"}'),
    ownMaxMs: value('outpost_wal_checkpoint_node_max_seconds') * 1000,
  };
}

await main();
