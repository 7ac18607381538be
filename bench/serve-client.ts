/**
 * What the benches that talk to `outpost serve` share: starting it in a child process, pairing
 * terminals as a shop does, one HTTP request on kept connections, the raw durable-commit control,
 * percentiles and the load average. The same steps as bench/node.ts (owned elsewhere; not
 * imported from, since it runs on import).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CASHIER, MANAGER, cli } from './node-store.js';

export const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');

/** Nearest-rank percentile. */
export function pct(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
}

/** The 1-minute load average, two places. */
export const load1 = (): number => Number((loadavg()[0] ?? 0).toFixed(2));

/** A process's VmRSS or VmHWM in MiB. */
export const statusOf = (pid: number, field: 'VmRSS' | 'VmHWM'): number =>
  Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN,
  ) / 1024;

export interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly ms: number;
  stop(): Promise<void>;
}

/** `outpost serve` in a child process; resolves once /healthz answers 200. */
export async function startServe(dir: string): Promise<Serve> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [MAIN, 'serve', '--data', dir, '--port', '0', '--host', '127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (b: Buffer) => {
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
  const ms = performance.now() - t0;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { child, url, ms, stop };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly timing: string;
}

/** Keep-alive connections (node:http costs the client less CPU than fetch). */
export const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One HTTP request on the kept connections. */
export function call(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text,
          timing: String(res.headers['server-timing'] ?? ''),
        }),
      );
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Server-Timing `name;dur=X` values of one response. */
export function timing(h: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of h.split(',')) {
    const m = /^\s*(\w+);dur=([\d.]+)/.exec(part);
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]);
  }
  return out;
}

const json = (h: Record<string, string>) => ({ ...h, 'content-type': 'application/json' });

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const r = await call(url, 'POST', json(headers), body);
  if (r.status !== 200 && r.status !== 201) throw new Error(`${url}: ${r.status} ${r.text}`);
  return JSON.parse(r.text) as unknown;
}

export interface Paired {
  /** Each terminal's request headers (device token, cashier session, JSON body). */
  readonly headers: Record<string, string>[];
  readonly terminals: string[];
  /** Revokes the devices, so a rerun's devices take the same terminals again. */
  release(): Promise<void>;
}

/**
 * N terminals paired as a shop pairs them: the first approved by `outpost terminal approve` on
 * the node's data directory, the others by the manager from the first device; a cashier logs
 * in on each.
 */
export async function pairTerminals(url: string, dir: string, n: number): Promise<Paired> {
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
      { cashier: who.id, pin: who.pin },
    )) as { session_token: string };
    return { 'x-outpost-device': device, 'x-outpost-session': s.session_token };
  };
  const first = await ask();
  await cli([
    ...['terminal', 'approve', first.code, '--data', dir],
    ...['--cashier', manager.id, '--pin', manager.pin],
  ]);
  const approver = await login(first.device_token, manager);
  const devices = [first];
  for (let k = 1; k < n; k++) {
    const d = await ask();
    await post(`${url}/api/pairing/approve`, approver, { code: d.code, manager });
    devices.push(d);
  }
  const headers: Record<string, string>[] = [];
  const terminals: string[] = [];
  for (const d of devices) {
    const r = await call(`${url}/api/pairing`, 'GET', { 'x-outpost-device': d.device_token });
    terminals.push((JSON.parse(r.text) as { terminal: string }).terminal);
    headers.push(json(await login(d.device_token, CASHIER)));
  }
  const release = async (): Promise<void> => {
    // A device holds one session: the cashier's replaced the manager's on the first device.
    const mgr = await login(first.device_token, manager);
    for (const d of devices.slice(1)) {
      await post(`${url}/api/devices/${d.device_id}/revoke`, mgr, { manager });
    }
    await post(`${url}/api/devices/${first.device_id}/revoke`, mgr, { manager });
  };
  return { headers, terminals, release };
}

/** The raw durable-commit rate of this disk: one small INSERT per IMMEDIATE transaction. */
export function rawCommitRate(dir: string, seconds: number): number {
  return rawCommits(dir, seconds).rate;
}

/** rawCommitRate, with each commit's time (ms): the control for a commit's latency. */
export function rawCommits(dir: string, seconds: number): { rate: number; ms: number[] } {
  const path = join(dir, 'control-commit.db');
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const one = db.transaction((v: string) => insert.run(v));
  const ms: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const s = performance.now();
    one.immediate(`row ${ms.length}`);
    ms.push(performance.now() - s);
  }
  const rate = ms.length / ((performance.now() - t0) / 1000);
  db.close();
  return { rate, ms };
}
