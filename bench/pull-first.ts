/**
 * First pull of N items (with their prices, barcodes and bins) from the simulator over HTTP on
 * loopback into a fresh store, as `outpost init` runs it. The simulator runs in a child process
 * so that it does not share this process's CPU time slices with the client.
 *
 *   npx tsx bench/pull-first.ts [N=100000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HttpErpClient } from '../src/erpnext/client.js';
import { openStore } from '../src/store/db.js';
import { Puller } from '../src/sync/pull.js';

const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'outpost-pullbench-'));
const bin = join(import.meta.dirname, '../dist/src/cli/main.js');
const sim = spawn(
  process.execPath,
  [
    bin,
    'sim',
    '--port',
    '0',
    '--data',
    join(dir, 'sim'),
    '--items',
    String(N),
    '--customers',
    '500',
    '--quiet',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const first = await new Promise<string>((resolve) =>
  createInterface({ input: sim.stdout }).once('line', resolve),
);
const { url, api_key, api_secret } = JSON.parse(first) as {
  url: string;
  api_key: string;
  api_secret: string;
};

const db = openStore(join(dir, 'store.db'));
const erp = new HttpErpClient({
  baseUrl: url,
  apiKey: api_key,
  apiSecret: api_secret,
  timeoutMs: 120_000,
});
/** CPU seconds a process has used (user + system), from /proc: the simulator's share. */
const procCpu = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
};
const simCpuBefore = procCpu(sim.pid ?? 0);
const cpuBefore = process.cpuUsage();
const started = performance.now();
let itemsDoneAt = 0;
const result = await new Puller(db, erp, {
  posProfile: 'Store North - Till 1',
  onProgress: (p) => {
    if (p.doctype === 'Item' && p.total !== null && p.done === p.total)
      itemsDoneAt = performance.now();
  },
}).run();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const simCpu = procCpu(sim.pid ?? 0) - simCpuBefore;
const records = Object.values(result.counts).reduce((a, b) => a + b, 0);
db.close();
sim.kill('SIGTERM');
console.log(
  JSON.stringify(
    {
      items: N,
      records,
      counts: result.counts,
      seconds: Number(seconds.toFixed(1)),
      records_per_s: Math.round(records / seconds),
      items_phase_seconds: itemsDoneAt ? Number(((itemsDoneAt - started) / 1000).toFixed(1)) : null,
      // CPU time, less sensitive than wall time to other load on a 2-core VM.
      client_cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      sim_cpu_seconds: Number(simCpu.toFixed(1)),
      load_average: loadavg().map((l) => Number(l.toFixed(2))),
    },
    null,
    2,
  ),
);
