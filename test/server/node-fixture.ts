import { join } from 'node:path';
import pino from 'pino';
import { openTill, type Till } from '../../src/cli/till.js';
import { readStoreConfig } from '../../src/cli/config.js';
import { erpClient } from '../../src/cli/store-context.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import type { LoopTimers } from '../../src/sync/push/loop.js';
import type { PushClock } from '../../src/sync/push/types.js';
import { CASHIER, query } from '../pos/till-fixture.js';

export interface Served {
  readonly node: RunningNode;
  readonly till: Till;
  readonly dir: string;
  /** A request with the device token (and a session when given). */
  api(method: string, path: string, o?: Req): Promise<Response>;
  /** Logs a cashier in; returns the session token. */
  login(id?: string, pin?: string): Promise<string>;
  close(): Promise<void>;
}

export interface Req {
  readonly body?: unknown;
  /** Raw body text (sent as JSON content). */
  readonly raw?: string;
  readonly session?: string;
  /** Default: the node's device token; null: none sent. */
  readonly device?: string | null;
}

/** Timers running `factor` times faster than the wall clock (the loops' waits compressed). */
export function fastTimers(factor: number): LoopTimers & PushClock {
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms / factor),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    random: () => 0.5,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms / factor);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}

/** `outpost serve` in process on a free loopback port over the store in `dir`. */
export async function serve(
  dir: string,
  o: { timers?: LoopTimers & PushClock; sessionIdleMs?: number; printer?: string } = {},
): Promise<Served> {
  const config = readStoreConfig(dir);
  const till = openTill(dir);
  const node = await startNode({
    term: till.term,
    erp: erpClient(dir, 2_000),
    config: {
      posProfile: config.pos_profile,
      postingMode: config.posting_mode,
      pullIntervalMinutes: config.pull_interval_minutes,
    },
    host: '127.0.0.1',
    port: 0,
    deviceTokenFile: join(dir, 'device-token'),
    version: 'test',
    logger: pino({ level: 'silent' }),
    ...(o.sessionIdleMs !== undefined ? { sessionIdleMs: o.sessionIdleMs } : {}),
    ...(o.printer !== undefined ? { printer: o.printer } : {}),
    ...(o.timers ? { timers: o.timers, pushClock: o.timers } : {}),
    onClosed: () => till.close(),
  });
  const api = (method: string, path: string, r: Req = {}) => {
    const headers: Record<string, string> = {};
    const device = r.device === undefined ? node.deviceToken : r.device;
    if (device !== null) headers['x-outpost-device'] = device;
    if (r.session !== undefined) headers['x-outpost-session'] = r.session;
    const body = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${node.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
  };
  return {
    node,
    till,
    dir,
    api,
    login: async (id = CASHIER.id, pin = CASHIER.pin) => {
      const r = await api('POST', '/api/session', { body: { cashier: id, pin } });
      if (r.status !== 201) throw new Error(`login ${id}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { session_token: string }).session_token;
    },
    close: () => node.close(),
  };
}

/** Rows the till has written: the journal, the sale index, the push queue, held carts, customers. */
export function written(dir: string): Record<string, number> {
  const n = (table: string) =>
    query<{ n: number }>(dir, `SELECT count(*) AS n FROM ${table}`)[0]?.n;
  return {
    journal: n('journal') ?? -1,
    sale: n('sale') ?? -1,
    push_job: n('push_job') ?? -1,
    held_cart: n('held_cart') ?? -1,
    customer_local: n('customer_local') ?? -1,
  };
}
