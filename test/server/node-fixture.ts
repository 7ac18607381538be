import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { afterEach, beforeAll } from 'vitest';
import { nodeConfig } from '../../src/cli/till.js';
import { readStoreConfig } from '../../src/cli/config.js';
import { openNode, type StoreNode } from '../../src/pos/node.js';
import { erpClient } from '../../src/cli/store-context.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import type { LoopTimers } from '../../src/sync/push/loop.js';
import type { PushClock } from '../../src/sync/push/types.js';
import { CASHIER, MANAGER, makeTemplate, query } from '../pos/till-fixture.js';

export interface Served {
  readonly node: RunningNode;
  readonly store: StoreNode;
  readonly dir: string;
  /** The node's own till's device token (DIR/device-token). */
  readonly device: string;
  /** Moves the node's clock (sessions' idle time, pairing codes' expiry) forward. */
  advance(ms: number): void;
  /** A request with the device token (and a session when given). */
  api(method: string, path: string, o?: Req): Promise<Response>;
  /** Logs a cashier in (on the node's till, or on `device`); returns the session token. */
  login(id?: string, pin?: string, device?: string): Promise<string>;
  /**
   * A new device pairs over the API and a manager approves it from the node's till; returns
   * its token and the terminal it was bound to.
   */
  pairDevice(terminal?: string): Promise<{ token: string; terminal: string }>;
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

export interface ServeOptions {
  readonly timers?: LoopTimers & PushClock;
  readonly printer?: string;
  readonly logger?: Logger;
}

/**
 * For a test file whose tests each start store nodes: one template store made before them all,
 * and `start` serving a fresh copy of it (or `dir`), every node it started closed after each
 * test. Call it at the top of the file: it registers the file's hooks.
 */
export function nodesPerTest(): {
  start(o?: ServeOptions & { readonly dir?: string }): Promise<Served>;
  /** A fresh copy of the template store, for a test that changes it before serving. */
  copy(): string;
} {
  let template: Awaited<ReturnType<typeof makeTemplate>> | undefined;
  const served: Served[] = [];
  beforeAll(async () => {
    template = await makeTemplate();
  }, 180_000);
  afterEach(async () => {
    await Promise.all(served.splice(0).map((s) => s.close()));
  });
  const copy = (): string => {
    if (!template) throw new Error('nodesPerTest: the template store is made in beforeAll');
    return template.copy();
  };
  return {
    copy,
    start: async ({ dir, ...o } = {}) => {
      const s = await serve(dir ?? copy(), o);
      served.push(s);
      return s;
    },
  };
}

/** `outpost serve` in process on a free loopback port over the store in `dir`. */
export async function serve(dir: string, o: ServeOptions = {}): Promise<Served> {
  const config = readStoreConfig(dir);
  let offset = 0;
  const store = openNode({ ...nodeConfig(dir, config), clock: { now: () => Date.now() + offset } });
  const node = await startNode({
    node: store,
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
    logger: o.logger ?? pino({ level: 'silent' }),
    ...(o.printer !== undefined ? { printer: o.printer } : {}),
    ...(o.timers ? { timers: o.timers, pushClock: o.timers } : {}),
    onClosed: () => store.close(),
  });
  const device = node.deviceToken;
  if (device === null) throw new Error('the node did not pair its own till');
  const api = (method: string, path: string, r: Req = {}) => {
    const headers: Record<string, string> = {};
    const sent = r.device === undefined ? device : r.device;
    if (sent !== null) headers['x-outpost-device'] = sent;
    if (r.session !== undefined) headers['x-outpost-session'] = r.session;
    const body = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${node.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
  };
  const login = async (id = CASHIER.id, pin = CASHIER.pin, on = device) => {
    const r = await api('POST', '/api/session', { body: { cashier: id, pin }, device: on });
    if (r.status !== 201) throw new Error(`login ${id}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { session_token: string }).session_token;
  };
  return {
    node,
    store,
    dir,
    device,
    advance: (ms) => {
      offset += ms;
    },
    api,
    login,
    pairDevice: async (terminal) => {
      const asked = await api('POST', '/api/pairing', { body: {}, device: null });
      if (asked.status !== 201) throw new Error(`pairing: ${asked.status} ${await asked.text()}`);
      const { code, device_token } = (await asked.json()) as { code: string; device_token: string };
      const session = await login(MANAGER.id, MANAGER.pin);
      const approved = await api('POST', '/api/pairing/approve', {
        session,
        body: {
          code,
          manager: { id: MANAGER.id, pin: MANAGER.pin },
          ...(terminal !== undefined ? { terminal } : {}),
        },
      });
      if (approved.status !== 200) {
        throw new Error(`approve: ${approved.status} ${await approved.text()}`);
      }
      const body = (await approved.json()) as { approved: { terminal: string } };
      await api('DELETE', '/api/session', { session });
      return { token: device_token, terminal: body.approved.terminal };
    },
    close: () => node.close(),
  };
}

/** Rows the node has written: the journal, sales, the push queue, holds, customers, devices, sessions. */
export function written(dir: string): Record<string, number> {
  const n = (table: string) =>
    query<{ n: number }>(dir, `SELECT count(*) AS n FROM ${table}`)[0]?.n;
  return {
    journal: n('journal') ?? -1,
    sale: n('sale') ?? -1,
    push_job: n('push_job') ?? -1,
    held_cart: n('held_cart') ?? -1,
    customer_local: n('customer_local') ?? -1,
    device: n('device') ?? -1,
    cashier_session: n('cashier_session') ?? -1,
  };
}
