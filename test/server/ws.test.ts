import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Authenticator, Caller } from '../../src/server/auth.js';
import { installSocket, MAX_IN_FLIGHT } from '../../src/server/ws.js';
import { query } from '../pos/till-fixture.js';
import { nodesPerTest, type Served } from './node-fixture.js';

type Json = Record<string, unknown>;

const nodes = nodesPerTest();
const sockets: WebSocket[] = [];

// Registered after the nodes' hook: runs before it (hooks after a test run last first).
afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

const start = (): Promise<Served> => nodes.start();

/** A client socket that keeps every message it gets and how it closed. */
interface Client {
  readonly ws: WebSocket;
  /** The next message not read yet (waits for it). */
  next(): Promise<Json>;
  /** The close code, once closed. */
  closed(): Promise<number>;
  send(value: unknown): void;
}

async function open(s: Served): Promise<Client> {
  const ws = new WebSocket(`${s.node.url.replace('http', 'ws')}/api/ws`);
  sockets.push(ws);
  const inbox: Json[] = [];
  const waiters: ((m: Json) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString('utf8')) as Json;
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    next: () => {
      const m = inbox.shift();
      return m ? Promise.resolve(m) : new Promise((r) => waiters.push(r));
    },
    closed: () => closed,
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
  };
}

/** A socket authenticated with the node's till's device and `session`. */
async function authed(s: Served, session: string, device = s.device): Promise<Client> {
  const c = await open(s);
  c.send({ device, session });
  return c;
}

const barcodeOf = (s: Served) =>
  query<{ barcode: string }>(s.dir, 'SELECT min(barcode) AS barcode FROM item_barcode')[0]
    ?.barcode ?? '';

describe('the store node over a WebSocket (GET /api/ws)', () => {
  it('answers a scan exactly as the HTTP route does, each request matched by its id', async () => {
    const s = await start();
    const session = await s.login();
    const path = `/api/pricing/scan?barcode=${barcodeOf(s)}`;
    const http = await s.api('GET', path, { session });
    expect(http.status).toBe(200);
    const c = await authed(s, session);
    c.send({ id: 7, method: 'GET', url: path });
    c.send({ id: 8, method: 'GET', url: '/api/pricing/scan?barcode=0000000000000' });
    const answers = [await c.next(), await c.next()].sort(
      (a, b) => Number(a['id']) - Number(b['id']),
    );
    expect(answers[0]).toEqual({ id: 7, status: 200, body: await http.json() });
    const missing = await s.api('GET', '/api/pricing/scan?barcode=0000000000000', { session });
    expect(answers[1]).toEqual({ id: 8, status: missing.status, body: await missing.json() });
  });

  it('answers the scan without inject byte for byte as HTTP does: every query, refusals, a logout mid-socket', async () => {
    const s = await start();
    const session = await s.login();
    const barcode = barcodeOf(s);
    const itemCode =
      query<{ item_code: string }>(s.dir, 'SELECT item_code FROM item_barcode WHERE barcode = ?', [
        barcode,
      ])[0]?.item_code ?? '';
    const errorsOf = async (kind: string) => {
      const text = await (await fetch(`${s.node.url}/metrics`)).text();
      return Number(
        new RegExp(`outpost_errors_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
      );
    };
    const urls = [
      `/api/pricing/scan?barcode=${barcode}`,
      `/api/pricing/scan?item_code=${encodeURIComponent(itemCode)}`,
      `/api/pricing/scan?barcode=%20${barcode}`,
      `/api/pricing/scan?barcode=${barcode}&`,
      '/api/pricing/scan?barcode=0000000000000',
      '/api/pricing/scan?barcode=a+b',
      '/api/pricing/scan?barcode=',
      '/api/pricing/scan',
      '/api/pricing/scan?',
      `/api/pricing/scan?barcode=${barcode}&qty=2`,
      `/api/pricing/scan?barcode=${barcode}&barcode=${barcode}`,
      `/api/pricing/scan?barcode=${barcode}&item_code=${encodeURIComponent(itemCode)}`,
      '/api/pricing/scan?barcode=%E0%A4%A',
      '/api/pricing/scan?__proto__=1',
      `/api/pricing/scan/?barcode=${barcode}`,
      `/api/pricing/%73can?barcode=${barcode}`,
      `/api/Pricing/scan?barcode=${barcode}`,
    ];
    const notFoundBefore = await errorsOf('NotFound');
    const c = await authed(s, session);
    for (const [i, url] of urls.entries()) {
      c.send({ id: i, method: 'GET', url });
      const socket = await c.next();
      const http = await s.api('GET', url, { session });
      const text = await http.text();
      expect(socket['id'], url).toBe(i);
      expect([socket['status'], JSON.stringify(socket['body'])], url).toEqual([http.status, text]);
    }
    // Each refusal counted as HTTP's are: the unknown barcode over the socket and over HTTP.
    expect((await errorsOf('NotFound')) - notFoundBefore).toBeGreaterThanOrEqual(2);

    // The session is checked on each scan: logged out, the next scan is refused as over HTTP.
    expect((await s.api('DELETE', '/api/session', { session })).status).toBe(204);
    const scan = `/api/pricing/scan?barcode=${barcode}`;
    c.send({ id: 99, method: 'GET', url: scan });
    const refused = await c.next();
    const http = await s.api('GET', scan, { session });
    expect([refused['status'], JSON.stringify(refused['body'])]).toEqual([
      http.status,
      await http.text(),
    ]);
    expect(refused['status']).toBe(401);
  });

  it('refuses a socket whose first message is not good tokens: the envelope, then closed', async () => {
    const s = await start();
    const session = await s.login();
    const forged = await authed(s, session, 'forged-device-token');
    expect(await forged.next()).toEqual({
      error: {
        kind: 'DeviceUnknown',
        message: 'this device is not paired with the store',
        field: 'x-outpost-device',
      },
    });
    expect(await forged.closed()).toBe(1008);
    const wrongSession = await authed(s, 'not-a-session');
    expect(((await wrongSession.next())['error'] as Json)['kind']).toBe('SessionUnknown');
    expect(await wrongSession.closed()).toBe(1008);
    // A request before the tokens: refused naming the field the first message lacks.
    const early = await open(s);
    early.send({ id: 1, method: 'GET', url: '/api/till' });
    expect(await early.next()).toEqual({
      error: {
        kind: 'InvalidInput',
        message: 'message: device: Invalid input: expected string, received undefined',
        field: 'device',
      },
    });
    expect(await early.closed()).toBe(1008);
    // Nothing sent at all: closed after the wait.
    const silent = await open(s);
    const t0 = Date.now();
    expect(await silent.next()).toEqual({
      error: {
        kind: 'SessionRequired',
        message: 'send {"device", "session"} first',
        field: 'session',
      },
    });
    expect(await silent.closed()).toBe(1008);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('checks the session and the device on every message: a logout and a revocation refuse the next request', async () => {
    const s = await start();
    const session = await s.login();
    const c = await authed(s, session);
    c.send({ id: 1, method: 'GET', url: '/api/till' });
    expect((await c.next())['status']).toBe(200);
    expect((await s.api('DELETE', '/api/session', { session })).status).toBe(204);
    c.send({ id: 2, method: 'GET', url: '/api/till' });
    expect(await c.next()).toEqual({
      id: 2,
      status: 401,
      body: {
        error: {
          kind: 'SessionExpired',
          message: expect.any(String) as string,
          field: 'x-outpost-session',
        },
      },
    });

    const t2 = await s.pairDevice();
    const at2 = await s.login('alice', '1234', t2.token);
    const other = await authed(s, at2, t2.token);
    other.send({ id: 1, method: 'GET', url: '/api/till' });
    expect((await other.next())['status']).toBe(200);
    const deviceId = s.store.devices().find((d) => d.terminal === 'T2')?.id ?? '';
    const manager = await s.login('maya', '9876');
    const revoked = await s.api('POST', `/api/devices/${deviceId}/revoke`, {
      session: manager,
      body: { manager: { id: 'maya', pin: '9876' } },
    });
    expect(revoked.status).toBe(200);
    other.send({ id: 2, method: 'GET', url: '/api/till' });
    const refused = await other.next();
    expect([
      refused['id'],
      refused['status'],
      ((refused['body'] as Json)['error'] as Json)['kind'],
    ]).toEqual([2, 403, 'DeviceRevoked']);
  });

  it('answers a malformed message with the envelope naming the field and keeps the socket open', async () => {
    const s = await start();
    const session = await s.login();
    const c = await authed(s, session);
    c.send('{"id": 1, "method": ');
    expect(await c.next()).toEqual({
      error: { kind: 'InvalidInput', message: 'message: not JSON', field: 'message' },
    });
    c.send({ id: 2, method: 'PATCH', url: '/api/till' });
    const bad = await c.next();
    expect([bad['id'], bad['status'], (bad['body'] as Json)['error']]).toEqual([
      2,
      400,
      {
        kind: 'InvalidInput',
        message: 'message: method: Invalid option: expected one of "GET"|"POST"|"DELETE"',
        field: 'method',
      },
    ]);
    c.send({ id: 3, method: 'GET', url: '/api/till', headers: { 'x-outpost-session': 'x' } });
    expect(((await c.next())['body'] as Json)['error']).toEqual({
      kind: 'InvalidInput',
      message: 'message: headers: unknown field (expected one of the documented fields)',
      field: 'headers',
    });
    // The route's own validation, as over HTTP.
    c.send({ id: 4, method: 'GET', url: '/api/pricing/scan?barcode=1&item_code=x' });
    const route = await c.next();
    expect([route['status'], ((route['body'] as Json)['error'] as Json)['field']]).toEqual([
      400,
      'barcode',
    ]);
    c.send({ id: 5, method: 'GET', url: '/api/till' });
    expect((await c.next())['status']).toBe(200);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses /api/ws itself, the event stream and any url outside /api/', async () => {
    const s = await start();
    const session = await s.login();
    const c = await authed(s, session);
    const urls = ['/api/ws', '/api/events', '/healthz', '/api/../metrics', '//evil.test/api/till'];
    for (const [i, url] of urls.entries()) c.send({ id: i, method: 'GET', url });
    const answers: Json[] = [];
    while (answers.length < urls.length) answers.push(await c.next());
    expect(
      answers
        .sort((a, b) => Number(a['id']) - Number(b['id']))
        .map((a) => [a['status'], ((a['body'] as Json)['error'] as Json)['field']]),
    ).toEqual(urls.map(() => [400, 'url']));
    // Past the HTTP API's body limit (1 MiB): closed, Message Too Big.
    const big = await authed(s, session);
    big.send({
      id: 1,
      method: 'POST',
      url: '/api/cart/price',
      body: { note: 'x'.repeat(1_048_576) },
    });
    expect(await big.closed()).toBe(1009);
    // Without an upgrade: 426 in the envelope, with the API's headers.
    const plain = await s.api('GET', '/api/ws', { session });
    expect(plain.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect([plain.status, await plain.json()]).toEqual([
      426,
      {
        error: {
          kind: 'UpgradeRequired',
          message: 'open it as a WebSocket (Upgrade: websocket)',
          field: 'upgrade',
        },
      },
    ]);
  });

  it('closes its sockets on shutdown (going away), and the node stops', async () => {
    const s = await start();
    const session = await s.login();
    const c = await authed(s, session);
    c.send({ id: 1, method: 'GET', url: '/api/till' });
    expect((await c.next())['status']).toBe(200);
    // An open socket is not a request in flight (the till test waits on that count).
    expect(s.node.inFlight()).toBe(0);
    const t0 = Date.now();
    await s.node.close();
    expect(await c.closed()).toBe(1001);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('does not wait on a till that never answers the close (switched off): the node stops within the grace', async () => {
    const s = await start();
    const session = await s.login();
    const c = await authed(s, session);
    c.send({ id: 1, method: 'GET', url: '/api/till' });
    expect((await c.next())['status']).toBe(200);
    // The client reads nothing more: the node's close frame is never answered.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const t0 = Date.now();
    await s.node.close();
    const took = Date.now() - t0;
    expect([took >= 1000, took < 3000]).toEqual([true, true]);
  });
});

describe('the socket alone (installSocket on a bare Fastify)', () => {
  it('cuts a socket that does not answer its ping, and keeps one that does', async () => {
    const auth = { authenticate: () => ({}) as Caller } as unknown as Authenticator;
    const app = Fastify();
    installSocket(app, { auth, maxPayload: 1024, pingMs: 100 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/api/ws`;
      const connect = async (autoPong: boolean) => {
        const ws = new WebSocket(url, { autoPong });
        sockets.push(ws);
        await new Promise((r) => ws.once('open', r));
        ws.send(JSON.stringify({ device: 'd', session: 's' }));
        return { ws, closed: new Promise<number>((r) => ws.on('close', (code) => r(code))) };
      };
      const [silent, alive] = await Promise.all([connect(false), connect(true)]);
      const t0 = Date.now();
      // Pinged at 100 ms, not answered by the next at 200 ms: cut (no close frame).
      expect(await silent.closed).toBe(1006);
      expect(Date.now() - t0).toBeLessThan(400);
      await new Promise((r) => setTimeout(r, 300));
      expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      await app.close();
    }
  });

  it('answers 503 Busy past the requests one socket may have waiting, and serves it again once answered', async () => {
    const auth = { authenticate: () => ({}) as Caller } as unknown as Authenticator;
    const app = Fastify();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    app.get('/api/slow', async () => {
      await gate;
      return { ok: true };
    });
    installSocket(app, { auth, maxPayload: 1024 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const ws = new WebSocket(
        `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/api/ws`,
      );
      sockets.push(ws);
      const answers: Json[] = [];
      ws.on('message', (d: Buffer) => answers.push(JSON.parse(d.toString('utf8')) as Json));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ device: 'd', session: 's' }));
      for (let id = 1; id <= MAX_IN_FLIGHT + 1; id++) {
        ws.send(JSON.stringify({ id, method: 'GET', url: '/api/slow' }));
      }
      while (answers.length < 1) await new Promise((r) => setTimeout(r, 5));
      expect(answers).toEqual([
        {
          id: 33,
          status: 503,
          body: {
            error: {
              kind: 'Busy',
              message: 'more than 32 requests waiting on this socket',
              field: 'id',
            },
          },
        },
      ]);
      release();
      while (answers.length < MAX_IN_FLIGHT + 1) await new Promise((r) => setTimeout(r, 5));
      ws.send(JSON.stringify({ id: 99, method: 'GET', url: '/api/slow' }));
      while (answers.length < MAX_IN_FLIGHT + 2) await new Promise((r) => setTimeout(r, 5));
      expect(answers.at(-1)).toEqual({ id: 99, status: 200, body: { ok: true } });
    } finally {
      await app.close();
    }
  });
});
