import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodesPerTest, type Served, written } from './node-fixture.js';
import pino from 'pino';

type Json = Record<string, unknown>;

const nodes = nodesPerTest();

const start = (): Promise<Served> => nodes.start();

/** Every route's documented key, `METHOD /path/{param}`. */
const key = (method: string, url: string) =>
  `${method} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;

/**
 * A bad input for every route, and the field the envelope must name. Adding a route without a
 * line here fails the coverage check below.
 */
const BAD: Record<
  string,
  { path: string; body?: unknown; raw?: string; field: string; firstMessage?: unknown }
> = {
  'GET /healthz': { path: '/healthz?verbose=1', field: 'verbose' },
  'GET /metrics': { path: '/metrics?format=json', field: 'format' },
  'GET /api/openapi.json': { path: '/api/openapi.json?v=2', field: 'v' },
  'POST /api/session': { path: '/api/session', body: { cashier: 'alice' }, field: 'pin' },
  'DELETE /api/session': { path: '/api/session?all=1', field: 'all' },
  'GET /api/events': { path: '/api/events?since=1', field: 'since' },
  'GET /api/sync/status': { path: '/api/sync/status?full=1', field: 'full' },
  'GET /api/till': { path: '/api/till?all=1', field: 'all' },
  'GET /api/review': { path: '/api/review?open=1', field: 'open' },
  'POST /api/review/{id}': { path: '/api/review/1', body: { action: 'delete' }, field: 'action' },
  'GET /api/conflicts': { path: '/api/conflicts?since=yesterday', field: 'since' },
  'POST /api/cart/price': {
    path: '/api/cart/price',
    body: { items: [{ item_code: 'SKU-0000001', qty: 'two' }] },
    field: 'items[0].qty',
  },
  'POST /api/sales': {
    path: '/api/sales',
    // A JSON number is refused: quantities and money are decimal strings.
    body: { items: [{ item_code: 'SKU-0000001', qty: 2 }] },
    field: 'items[0].qty',
  },
  'POST /api/returns': {
    path: '/api/returns',
    body: { return_against: 'STORE-NORTH-T1-2026-000001', items: [{ item_code: 'SKU-0000001' }] },
    field: 'items[0].qty',
  },
  'POST /api/voids': {
    path: '/api/voids',
    body: { invoice_no: 'STORE-NORTH-T1-2026-000001' },
    field: 'manager',
  },
  'POST /api/exchanges': {
    path: '/api/exchanges',
    body: {
      return_against: 'STORE-NORTH-T1-2026-000001',
      return_items: [],
      items: [{ item_code: 'SKU-0000002' }],
    },
    field: 'return_items',
  },
  'POST /api/holds': { path: '/api/holds', body: { items: [], note: 'back soon' }, field: 'items' },
  'GET /api/holds': { path: '/api/holds?cashier=alice', field: 'cashier' },
  'POST /api/holds/{name}/recall': { path: '/api/holds/7/recall', body: {}, field: 'name' },
  'GET /api/items': { path: '/api/items?barcode=1&search=milk', field: 'search' },
  'GET /api/pricing/scan': { path: '/api/pricing/scan?barcode=1&item_code=x', field: 'barcode' },
  'POST /api/pricing/context': {
    path: '/api/pricing/context',
    body: { item_codes: ['SKU-0000001', ''] },
    field: 'item_codes[1]',
  },
  'GET /api/customers': { path: '/api/customers', field: 'search' },
  'GET /api/loyalty': { path: '/api/loyalty?customer=', field: 'customer' },
  'GET /api/uoms': { path: '/api/uoms?uom=Kg', field: 'uom' },
  'POST /api/customers': {
    path: '/api/customers',
    body: { mobile_no: '555-0100' },
    field: 'customer_name',
  },
  'POST /api/shifts': {
    path: '/api/shifts',
    body: { balance_details: [{ mode_of_payment: 'Cash', opening_amount: '-5' }] },
    field: 'balance_details[0].opening_amount',
  },
  'GET /api/shifts/current/x-report': { path: '/api/shifts/current/x-report?z=1', field: 'z' },
  'POST /api/shifts/current/close': {
    path: '/api/shifts/current/close',
    body: { payment_reconciliation: [{ mode_of_payment: 'Cash' }] },
    field: 'payment_reconciliation[0].closing_amount',
  },
  'POST /api/receipts/{invoice_no}/print': {
    path: '/api/receipts/STORE-NORTH-T1-2026-000001/print',
    body: { width: 100 },
    field: 'width',
  },
  'POST /api/pairing': { path: '/api/pairing', body: { label: 7 }, field: 'label' },
  'GET /api/pairing': { path: '/api/pairing?wait=1', field: 'wait' },
  'POST /api/pairing/approve': {
    path: '/api/pairing/approve',
    body: { code: 'K7QM-4X2P', manager: { id: 'maya' } },
    field: 'manager.pin',
  },
  'GET /api/terminals': { path: '/api/terminals?all=1', field: 'all' },
  'POST /api/devices/{id}/revoke': {
    path: '/api/devices/some-device/revoke',
    body: { manager: { id: 'maya', pin: '9876' }, reason: 'lost' },
    field: 'reason',
  },
  'POST /api/receipts/{invoice_no}': {
    path: '/api/receipts/STORE-NORTH-T1-2026-000001',
    body: { format: 'docx' },
    field: 'format',
  },
  // Its input is the socket's first message (the tokens): answered by the envelope on the socket.
  'GET /api/ws': { path: '/api/ws', firstMessage: { device: 'x', session: 7 }, field: 'session' },
};

/** The first message a socket to /api/ws gets after sending `first`. */
async function socketAnswer(url: string, first: unknown): Promise<{ error: Json }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = new Promise<Buffer>((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify(first));
    return JSON.parse((await answer).toString('utf8')) as { error: Json };
  } finally {
    ws.terminate();
  }
}

describe('outpost serve: the node', () => {
  it('answers /healthz with the security headers and no CORS grant', async () => {
    const s = await start();
    const r = await fetch(`${s.node.url}/healthz`, { headers: { origin: 'http://evil.test' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', connectivity: s.node.loops.connectivity() });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    // A browser's CORS preflight gets no grant either.
    const preflight = await fetch(`${s.node.url}/api/sales`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(404);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('documents every route Fastify registered in a valid OpenAPI document', async () => {
    const s = await start();
    const r = await fetch(`${s.node.url}/api/openapi.json`);
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Json> };
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registered = s.node.registered.map((r) => key(r.method, r.url)).sort();
    expect(documented).toEqual(registered);
    expect(registered.length).toBe(37);
    // The success status documented is the one each route answers: 201 where it creates.
    const okOf = (path: string, method: string) =>
      Object.keys(
        (doc.paths[path] as Record<string, { responses: Record<string, unknown> }>)[method]
          ?.responses ?? {},
      ).find((c) => c.startsWith('2'));
    expect(
      [
        ['/api/sales', 'post'],
        ['/api/cart/price', 'post'],
        ['/api/pairing/approve', 'post'],
        ['/api/devices/{id}/revoke', 'post'],
        ['/api/pairing', 'post'],
        ['/api/items', 'get'],
      ].map(([p, m]) => okOf(p ?? '', m ?? '')),
    ).toEqual(['201', '200', '200', '200', '201', '200']);
    // Pairing is open to a device without a token; its state is asked with the device's own.
    const pairing = doc.paths['/api/pairing'] as Record<string, { security: unknown }>;
    expect([pairing['post']?.security, pairing['get']?.security]).toEqual([[], [{ device: [] }]]);
    // Every route has a bad-input case below.
    expect(Object.keys(BAD).sort()).toEqual(registered);
  });

  it('refuses every /api route but the public ones to unpaired, pending and revoked devices, and without a session', async () => {
    const s = await start();
    // A device that asked and waits for a manager.
    const asked = await s.api('POST', '/api/pairing', { body: { label: 'tablet' }, device: null });
    expect(asked.status).toBe(201);
    const pending = ((await asked.json()) as { device_token: string }).device_token;
    // A device that was paired (T2), logged a cashier in, and was then revoked by a manager.
    const paired = await s.pairDevice();
    expect(paired.terminal).toBe('T2');
    const revokedSession = await s.login('alice', '1234', paired.token);
    const deviceId = s.store.devices().find((d) => d.terminal === 'T2')?.id ?? '';
    const managerSession = await s.login('maya', '9876');
    const revoked = await s.api('POST', `/api/devices/${deviceId}/revoke`, {
      session: managerSession,
      body: { manager: { id: 'maya', pin: '9876' } },
    });
    expect(revoked.status).toBe(200);
    // The node's till has one session at a time: alice's login ends maya's.
    const session = await s.login();
    const guarded = s.node.routes.filter((r) => r.access !== 'public');
    expect(guarded.length).toBe(31);
    const before = written(s.dir);
    const errorOf = async (r: Response) => [r.status, ((await r.json()) as { error: Json }).error];
    for (const r of guarded) {
      const path = r.url.replace(':id', '1').replace(':name', 'HOLD-1').replace(':invoice_no', 'X');
      const body = r.method === 'GET' ? {} : { body: {} };
      const none = await s.api(r.method, path, { device: null, session, ...body });
      expect([r.url, ...(await errorOf(none))]).toEqual([
        r.url,
        401,
        {
          kind: 'DeviceUnknown',
          message: 'this device is not paired with the store',
          field: 'x-outpost-device',
        },
      ]);
      const forged = await s.api(r.method, path, { device: 'forged', session, ...body });
      expect([r.url, forged.status]).toEqual([r.url, 401]);
      const waiting = await s.api(r.method, path, { device: pending, session, ...body });
      const [waitingStatus, waitingError] = await errorOf(waiting);
      expect([r.url, waitingStatus, (waitingError as Json)['kind']]).toEqual([
        r.url,
        403,
        'PairingPending',
      ]);
      const gone = await s.api(r.method, path, {
        device: paired.token,
        session: revokedSession,
        ...body,
      });
      const [goneStatus, goneError] = await errorOf(gone);
      expect([
        r.url,
        goneStatus,
        (goneError as Json)['kind'],
        (goneError as Json)['field'],
      ]).toEqual([r.url, 403, 'DeviceRevoked', 'x-outpost-device']);
      if (r.access === 'session') {
        const noSession = await s.api(r.method, path, body);
        expect([r.url, ...(await errorOf(noSession))]).toEqual([
          r.url,
          401,
          {
            kind: 'SessionRequired',
            message: 'log a cashier in first (POST /api/session)',
            field: 'x-outpost-session',
          },
        ]);
      }
    }
    expect(written(s.dir)).toEqual(before);
    const wrongPin = await s.api('POST', '/api/session', {
      body: { cashier: 'alice', pin: '0000' },
    });
    expect(wrongPin.status).toBe(401);
    expect(await wrongPin.json()).toEqual({
      error: {
        kind: 'AuthenticationFailed',
        message: 'unknown cashier or wrong PIN',
        field: 'pin',
      },
    });
    const out = await s.api('DELETE', '/api/session', { session });
    expect(out.status).toBe(204);
    const after = await s.api('GET', '/api/sync/status', { session });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: Json }).error['kind']).toBe('SessionExpired');
  });

  it('answers a bad input on every route with a 400 envelope naming the field, writing nothing', async () => {
    const s = await start();
    const session = await s.login();
    const before = written(s.dir);
    for (const [route, bad] of Object.entries(BAD)) {
      if (bad.firstMessage !== undefined) {
        const answer = await socketAnswer(s.node.url, bad.firstMessage);
        expect([route, answer.error['kind'], answer.error['field']]).toEqual([
          route,
          'InvalidInput',
          bad.field,
        ]);
        expect(Object.keys(answer)).toEqual(['error']);
        continue;
      }
      const method = route.split(' ')[0] ?? '';
      const r = await s.api(method, bad.path, {
        session,
        ...(bad.body !== undefined ? { body: bad.body } : {}),
      });
      const body = (await r.json()) as { error: Json };
      expect([route, r.status, body.error['kind'], body.error['field']]).toEqual([
        route,
        400,
        'InvalidInput',
        bad.field,
      ]);
      expect(Object.keys(body)).toEqual(['error']);
    }
    // Refusals of the till itself, past the schema: the same envelope, nothing written either.
    const refusals: [string, unknown, number, string, string][] = [
      ['/api/sales', { items: [{ item_code: 'NO-SUCH-ITEM' }] }, 404, 'NotFound', 'items[1]'],
      [
        '/api/sales',
        {
          items: [{ item_code: 'SKU-0000001' }],
          payments: [{ mode_of_payment: 'Cash', amount: '1' }],
        },
        422,
        'PaymentRefused',
        'payments',
      ],
      // Not this store's receipt, and ERPNext (gone here) cannot confirm another store's.
      ['/api/returns', { return_against: 'NOPE-1' }, 422, 'ReturnRefused', 'invoice'],
    ];
    for (const [path, body, status, kind, field] of refusals) {
      const r = await s.api('POST', path, { session, body });
      const e = ((await r.json()) as { error: Json }).error;
      expect([path, r.status, e['kind'], e['field']]).toEqual([path, status, kind, field]);
    }
    const notJson = await s.api('POST', '/api/sales', { session, raw: '{"items": [' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: Json }).error['field']).toBe('body');
    const headers = { 'x-outpost-device': s.device, 'x-outpost-session': session };
    const plain = await fetch(`${s.node.url}/api/sales`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'SKU-0000001',
    });
    expect([plain.status, ((await plain.json()) as { error: Json }).error['kind']]).toEqual([
      415,
      'UnsupportedMediaType',
    ]);
    const huge = await s.api('POST', '/api/sales', {
      session,
      body: { items: [{ item_code: 'x'.repeat(1_100_000) }] },
    });
    expect([huge.status, ((await huge.json()) as { error: Json }).error['kind']]).toEqual([
      413,
      'PayloadTooLarge',
    ]);
    expect(written(s.dir)).toEqual(before);
  });

  it('logs one line per answer at debug, none at info but refusals (no per-request lines)', async () => {
    const lines = (level: string) => {
      const out: Json[] = [];
      const stream = { write: (line: string) => out.push(JSON.parse(line) as Json) };
      return { out, logger: pino({ level }, stream) };
    };
    for (const level of ['info', 'debug']) {
      const log = lines(level);
      const s = await nodes.start({ logger: log.logger });
      const session = await s.login();
      const before = log.out.length;
      expect((await s.api('GET', '/api/holds', { session })).status).toBe(200);
      expect((await s.api('GET', '/api/holds?x=1', { session })).status).toBe(400);
      const logged = log.out
        .slice(before)
        .map((l) => [l['msg'], l['method'] ?? null, l['status'] ?? null, l['kind'] ?? null]);
      expect(logged, level).toEqual(
        level === 'info'
          ? [
              [
                'query: x: unknown field (expected one of the documented fields)',
                null,
                null,
                'InvalidInput',
              ],
            ]
          : [
              ['request completed', 'GET', 200, null],
              [
                'query: x: unknown field (expected one of the documented fields)',
                null,
                null,
                'InvalidInput',
              ],
              ['request completed', 'GET', 400, null],
            ],
      );
    }
  });

  it("answers a URL Fastify's router refuses (a bare %, a path parameter past its length) with the envelope naming the path", async () => {
    // Found by the torture run's fuzz (issue 14): Fastify's own {error, code, statusCode} body.
    const s = await start();
    const session = await s.login();
    const badEscape = await s.api('POST', '/api/review/%', { session, body: { action: 'retry' } });
    const tooLong = await s.api('POST', `/api/receipts/${'9'.repeat(400)}`, {
      session,
      body: { format: 'text' },
    });
    const answers = [];
    for (const r of [badEscape, tooLong]) {
      answers.push([r.status, r.headers.get('x-content-type-options'), await r.json()]);
    }
    expect(answers).toEqual([
      [
        400,
        'nosniff',
        {
          error: {
            kind: 'InvalidInput',
            message: "path: '/api/review/%' is not a valid url component",
            field: 'path',
          },
        },
      ],
      [
        414,
        'nosniff',
        {
          error: {
            kind: 'InvalidInput',
            message: `path: '/api/receipts/${'9'.repeat(400)}' is exceeding the max param length`,
            field: 'path',
          },
        },
      ],
    ]);
  });

  it('ends a session left idle, and locks a cashier out after 5 wrong PINs', async () => {
    const s = await start();
    const session = await s.login();
    expect((await s.api('GET', '/api/holds', { session })).status).toBe(200);
    // pos.session_idle_minutes is 15 (the default): a minute past it on the node's clock.
    s.advance(16 * 60_000);
    const idle = await s.api('GET', '/api/holds', { session });
    expect(idle.status).toBe(401);
    expect(((await idle.json()) as { error: Json }).error['kind']).toBe('SessionExpired');
    const tries: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const r = await s.api('POST', '/api/session', { body: { cashier: 'alice', pin: '0000' } });
      tries.push(r.status);
    }
    expect(tries).toEqual([401, 401, 401, 401, 401, 423]);
    const right = await s.api('POST', '/api/session', { body: { cashier: 'alice', pin: '1234' } });
    expect(right.status).toBe(423);
    expect(((await right.json()) as { error: Json }).error['kind']).toBe('LockedOut');
  });
});
