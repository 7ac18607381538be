import { join } from 'node:path';
import pino from 'pino';
import { readStoreConfig } from '../../src/cli/config.js';
import { webDir } from '../../src/cli/serve.js';
import { erpClient } from '../../src/cli/store-context.js';
import { nodeConfig } from '../../src/cli/till.js';
import { openNode, type StoreNode } from '../../src/pos/node.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import { CASHIER, MANAGER } from './store-dir.js';

export interface Call {
  /** A JSON body (serialized here). */
  readonly body?: unknown;
  /** A raw body, sent as is. */
  readonly raw?: string;
  /** Default application/json when there is a body. */
  readonly contentType?: string;
  readonly session?: string;
  /** Default: the node's own till's token; null: none sent. */
  readonly device?: string | null;
}

export interface ServedNode {
  readonly node: RunningNode;
  readonly store: StoreNode;
  readonly dir: string;
  /** The node's own till's device token. */
  readonly device: string;
  /** Moves the node's clock forward (sessions' idle time, pairing codes' expiry). */
  advance(ms: number): void;
  call(method: string, path: string, c?: Call): Promise<Response>;
  /** A cashier's PIN login on a device: the session token. */
  login(id?: string, pin?: string, device?: string): Promise<string>;
  /** A new device asks to pair: its token and code (not yet approved). */
  askPairing(label?: string): Promise<{ token: string; code: string }>;
  /** A new device paired and approved by the manager; its token and terminal. */
  pairDevice(terminal?: string): Promise<{ token: string; terminal: string }>;
  close(): Promise<void>;
}

/**
 * `outpost serve` in this process (the same start-up as src/cli/serve.ts, the built screen
 * included when dist/web exists) on a free loopback port, with a clock the run can move.
 */
export async function serveStore(dir: string, o: { printer?: string } = {}): Promise<ServedNode> {
  const config = readStoreConfig(dir);
  let offset = 0;
  const store = openNode({ ...nodeConfig(dir, config), clock: { now: () => Date.now() + offset } });
  const web = webDir();
  let node: RunningNode;
  try {
    node = await startNode({
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
      version: 'torture',
      logger: pino({ level: 'silent' }),
      onClosed: () => store.close(),
      ...(o.printer !== undefined ? { printer: o.printer } : {}),
      ...(web !== undefined ? { webDir: web } : {}),
    });
  } catch (e) {
    store.close();
    throw e;
  }
  const device = node.deviceToken;
  if (device === null) throw new Error('the node did not pair its own till');
  const call = (method: string, path: string, c: Call = {}) => {
    const headers: Record<string, string> = {};
    const sent = c.device === undefined ? device : c.device;
    if (sent !== null) headers['x-outpost-device'] = sent;
    if (c.session !== undefined) headers['x-outpost-session'] = c.session;
    const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
    if (body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
    return fetch(`${node.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
  };
  const login = async (id = CASHIER.id, pin = CASHIER.pin, on = device) => {
    const r = await call('POST', '/api/session', { body: { cashier: id, pin }, device: on });
    if (r.status !== 201) throw new Error(`login ${id}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { session_token: string }).session_token;
  };
  const askPairing = async (label?: string) => {
    const r = await call('POST', '/api/pairing', {
      body: label === undefined ? {} : { label },
      device: null,
    });
    if (r.status !== 201) throw new Error(`pairing: ${r.status} ${await r.text()}`);
    const b = (await r.json()) as { code: string; device_token: string };
    return { token: b.device_token, code: b.code };
  };
  return {
    node,
    store,
    dir,
    device,
    advance: (ms) => {
      offset += ms;
    },
    call,
    login,
    askPairing,
    pairDevice: async (terminal) => {
      const { token, code } = await askPairing();
      const session = await login(MANAGER.id, MANAGER.pin);
      const approved = await call('POST', '/api/pairing/approve', {
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
      const b = (await approved.json()) as { approved: { terminal: string } };
      await call('DELETE', '/api/session', { session });
      return { token, terminal: b.approved.terminal };
    },
    close: () => node.close(),
  };
}
