/**
 * Push (issue 11), against the simulator in this process, the store in a temp directory,
 * posting_mode sales_invoice (one Sales Invoice per sale, inserted as a draft then submitted):
 *
 *  (a) latency while online: `outpost sync --push` (the continuous loop, the built CLI in a
 *      child process) runs while LATENCY_SALES sales are sold in this process, one every
 *      PACE_MS ± 50 %; for each sale, the time from `outpost sell` returning (its commit) to its
 *      Sales Invoice being seen submitted in the simulator (polled in process every 20 ms);
 *      p50 / p95 / max. Goal: p95 ≤ 5 s.
 *  (b) backlog: N sales sold offline, in chunks of 2,000, each drained by `outpost sync --push
 *      --once` (built CLI, child process), against the control: the same documents (the push's
 *      own draft bodies, built from the signed records) inserted then submitted by a bare fetch
 *      client in a child process, one after the other, into a second, identically seeded
 *      simulator in this process; control and push interleaved chunk by chunk. Goal: drain rate
 *      ≥ 0.8 × control rate.
 *
 *   npm run build && node --import tsx bench/push.ts [N=10000] [LATENCY_SALES=100] [PACE_MS=1000] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTill } from '../src/cli/till.js';
import { invoiceBody } from '../src/erpnext/push-invoice.js';
import { authenticate, outboxEntry, sell } from '../src/pos/index.js';
import { CASHIER, cli, makeTemplate, sellArgs } from '../test/pos/till-fixture.js';
import { POOL } from '../test/scenario/day.js';
import { pointStore } from '../test/scenario/store.js';
import { simWithFields } from '../test/sync/push-fixture.js';
import { KEY, SECRET, type RunningSim } from '../test/sync/sim-site.js';
import { jsonArg, report } from './figures.js';

const { json: JSON_OUT, args: ARGS } = jsonArg(process.argv.slice(2));
const N = Number(ARGS[0] ?? 10_000);
const LATENCY_SALES = Number(ARGS[1] ?? 100);
const PACE_MS = Number(ARGS[2] ?? 1_000);
const CHUNK = Number(process.env['OUTPOST_BENCH_CHUNK'] ?? 2_000);
/** OUTPOST_BENCH_BIN: a private copy of the built CLI, so a rebuild during a long run is harmless. */
const BIN =
  process.env['OUTPOST_BENCH_BIN'] ?? join(import.meta.dirname, '../dist/src/cli/main.js');
/** OUTPOST_BENCH_PROF=DIR: a CPU profile of each backlog push run, written to DIR. */
const PROF_DIR = process.env['OUTPOST_BENCH_PROF'];
const PROF = PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROF_DIR] : [];

type Json = Record<string, unknown>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Enough stock of every pool item that N sales never run a Bin short. */
function stockUp(sim: RunningSim): void {
  const r = sim.call('GET', '/api/resource/Bin', undefined, {
    filters: JSON.stringify([['item_code', 'in', POOL]]),
    fields: JSON.stringify(['name']),
    limit_page_length: '0',
  });
  for (const b of (r.body as { data: Json[] }).data) {
    sim.call('PUT', `/api/resource/Bin/${String(b['name'])}`, { actual_qty: 1_000_000 });
  }
}

async function sellOne(dir: string, i: number): Promise<string> {
  const r = await cli(sellArgs(dir, '--item', `${POOL[i % POOL.length]}:1`));
  if (r.code !== 0) throw new Error(`sell ${i}: ${r.out}${r.err}`);
  return String((JSON.parse(r.out) as Json)['uuid']);
}

function submitted(sim: RunningSim): Set<string> {
  const r = sim.call('GET', '/api/resource/Sales Invoice', undefined, {
    filters: JSON.stringify([
      ['outpost_si_uuid', 'is', 'set'],
      ['docstatus', '=', 1],
    ]),
    fields: JSON.stringify(['outpost_si_uuid']),
    limit_page_length: '0',
  });
  return new Set((r.body as { data: Json[] }).data.map((d) => String(d['outpost_si_uuid'])));
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

function child(args: string[]): { done: Promise<number | null>; kill(): void } {
  const c = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    done: new Promise((resolve) => c.on('exit', (code) => resolve(code))),
    kill: () => c.kill('SIGTERM'),
  };
}

async function latency(template: { copy(): string }): Promise<number[]> {
  const sim = await simWithFields();
  stockUp(sim);
  const dir = template.copy();
  pointStore(dir, sim.url, 'sales_invoice');
  const loop = child([BIN, 'sync', '--data', dir, '--push']);
  const soldAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const now = Date.now();
      for (const u of submitted(sim)) if (!seenAt.has(u)) seenAt.set(u, now);
      await sleep(20);
    }
  })();
  let seed = 11;
  for (let i = 0; i < LATENCY_SALES; i++) {
    const uuid = await sellOne(dir, i);
    soldAt.set(uuid, Date.now());
    seed = (seed * 48271) % 2147483647;
    await sleep(PACE_MS * (0.5 + seed / 2147483647));
  }
  const deadline = Date.now() + 60_000;
  while ([...soldAt.keys()].some((u) => !seenAt.has(u)) && Date.now() < deadline) await sleep(50);
  polling = false;
  await poller;
  loop.kill();
  await loop.done;
  await sim.close();
  return [...soldAt].map(([u, t]) => (seenAt.get(u) ?? Infinity) - t);
}

const CONTROL = `
const [url, auth, file] = process.argv.slice(1);
const docs = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
const h = { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' };
(async () => {
  for (const d of docs) {
    const r = await fetch(url + '/api/resource/Sales%20Invoice', { method: 'POST', headers: h, body: JSON.stringify(d) });
    if (r.status !== 200) throw new Error('insert ' + r.status + ' ' + (await r.text()));
    const name = (await r.json()).data.name;
    const s = await fetch(url + '/api/resource/Sales%20Invoice/' + encodeURIComponent(name), { method: 'PUT', headers: h, body: JSON.stringify({ docstatus: 1 }) });
    if (s.status !== 200) throw new Error('submit ' + s.status + ' ' + (await s.text()));
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** The push's own draft bodies for `uuids`, from the signed records. */
function bodiesOf(dir: string, uuids: readonly string[]): Json[] {
  const till = openTill(dir);
  try {
    return uuids.map((u) => {
      const e = outboxEntry(till.term, u);
      const receiptNo = e.document['outpost_invoice_no'];
      return invoiceBody({
        invoice: e.document,
        receiptNo: typeof receiptNo === 'string' ? receiptNo : null,
        signed: e.signed,
        mode: 'sales_invoice',
        customer: String(e.document['customer']),
      });
    });
  } finally {
    till.close();
  }
}

/**
 * The backlog in chunks of CHUNK sales, the control and the push interleaved (the first of the
 * two alternating per chunk), so load from elsewhere on this noisy machine falls on both alike.
 * Each chunk is sold offline, then sent to the control simulator by the bare client and drained
 * into the push's simulator by `outpost sync --push --once`; both simulators grow alike.
 */
async function backlog(template: { copy(): string }) {
  const dir = template.copy();
  const control = await simWithFields();
  stockUp(control);
  const sim = await simWithFields();
  stockUp(sim);
  let sellS = 0;
  let controlS = 0;
  let drainS = 0;
  const runs: (number | null)[] = [];
  const chunks: string[] = [];
  for (let from = 0; from < N; from += CHUNK) {
    pointStore(dir, 'http://127.0.0.1:9', 'sales_invoice');
    const t = Date.now();
    // In process, the PIN checked once (bench/sale.ts measures the sale itself): the backlog
    // is what is measured here, not the CLI's start-up per sale.
    const till = openTill(dir);
    const cashier = authenticate(till.term, CASHIER.id, CASHIER.pin);
    const uuids: string[] = [];
    for (let i = from; i < Math.min(N, from + CHUNK); i++) {
      uuids.push(
        sell(till.term, { cashier, lines: [{ item_code: POOL[i % POOL.length] ?? '' }] }).uuid,
      );
    }
    till.close();
    sellS += (Date.now() - t) / 1000;
    const file = join(tmpdir(), `outpost-bench-push-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(bodiesOf(dir, uuids)));
    const runControl = async () => {
      const t0 = Date.now();
      const c = child(['-e', CONTROL, control.url, `token ${KEY}:${SECRET}`, file]);
      if ((await c.done) !== 0) throw new Error('control failed');
      return (Date.now() - t0) / 1000;
    };
    const runPush = async () => {
      pointStore(dir, sim.url, 'sales_invoice');
      const t0 = Date.now();
      for (let k = 0; ; k++) {
        const code = await child([...PROF, BIN, 'sync', '--data', dir, '--push', '--once']).done;
        runs.push(code);
        if (code === 0 || k > 20) break;
      }
      return (Date.now() - t0) / 1000;
    };
    const even = chunks.length % 2 === 0;
    const first = even ? await runControl() : await runPush();
    const second = even ? await runPush() : await runControl();
    const [c, p] = even ? [first, second] : [second, first];
    controlS += c;
    drainS += p;
    const n = uuids.length;
    chunks.push(`${n} sales: control ${(n / c).toFixed(1)}, push ${(n / p).toFixed(1)} docs/s`);
    // As it goes: a long run stopped midway still leaves its chunks' figures.
    console.log(`chunk ${chunks.length}: ${chunks[chunks.length - 1] ?? ''}`);
  }
  const controlCount = submitted(control).size;
  const drained = submitted(sim).size;
  await control.close();
  await sim.close();
  return { sellS, controlS, controlCount, drainS, drained, runs, chunks };
}

const template = await makeTemplate();
const load0 = loadavg();
const lat = await latency(template);
const b = await backlog(template);
const load1 = loadavg();
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const controlRate = b.controlCount / b.controlS;
const drainRate = b.drained / b.drainS;
console.log(
  [
    `cpus ${cpus().length}, load average before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${load1.map((l) => l.toFixed(2)).join(' ')}`,
    `(a) ${lat.length} sales, one every ${PACE_MS} ms ± 50 %, outpost sync --push (continuous):`,
    `    commit → submitted Sales Invoice: p50 ${fmt(pct(lat, 50))}, p95 ${fmt(pct(lat, 95))}, max ${fmt(Math.max(...lat))} (goal p95 ≤ 5 s: ${pct(lat, 95) <= 5_000 ? 'met' : 'MISSED'})`,
    `(b) backlog of ${N} sales (sold offline in ${b.sellS.toFixed(1)} s):`,
    `    control, bare fetch insert+submit: ${b.controlCount} in ${b.controlS.toFixed(1)} s = ${controlRate.toFixed(1)} docs/s`,
    `    outpost sync --push --once (${b.runs.length} run(s), exits ${b.runs.join(',')}): ${b.drained} in ${b.drainS.toFixed(1)} s = ${drainRate.toFixed(1)} docs/s`,
    `    per chunk (control and push interleaved): ${b.chunks.join('; ')}`,
    `    ratio ${(drainRate / controlRate).toFixed(2)} (goal ≥ 0.80: ${drainRate / controlRate >= 0.8 ? 'met' : 'MISSED'})`,
  ].join('\n'),
);
if (JSON_OUT) {
  report(JSON_OUT, {
    bench: 'push',
    figures: [
      {
        figure: `(a) online sale → submitted in ERPNext, ${lat.length} sales, one every ${PACE_MS} ms ± 50 %, p50 / p95`,
        measured: `${fmt(pct(lat, 50))} / ${fmt(pct(lat, 95))}`,
        goal: 'p95 ≤ 5 s',
        ok: pct(lat, 95) <= 5_000,
      },
      {
        figure: `(b) backlog of ${N.toLocaleString('en')} offline sales, \`outpost sync --push --once\``,
        measured: `${drainRate.toFixed(1)} documents/s (${b.drained} in ${b.drainS.toFixed(1)} s)`,
        control: `simulator's own insert + submit, bare client: ${controlRate.toFixed(1)} documents/s`,
        ratio: `${(drainRate / controlRate).toFixed(2)} ×`,
        goal: '≥ 0.8 × control',
        ok: drainRate / controlRate >= 0.8,
      },
    ],
  });
}
