import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNode } from '../../src/pos/node.js';
import { approvalAnswer } from '../../src/server/schemas.js';
import { MANAGER, cli, query } from '../pos/till-fixture.js';
import { nodesPerTest, type Served } from './node-fixture.js';

type Json = Record<string, unknown>;

const nodes = nodesPerTest();

const start = (dir?: string): Promise<Served> => nodes.start(dir === undefined ? {} : { dir });

const SALE = { items: [{ item_code: 'SKU-0000001', qty: '1' }] };
const MANAGER_PIN = { id: MANAGER.id, pin: MANAGER.pin };
const errorOf = async (r: Response): Promise<[number, Json]> => [
  r.status,
  ((await r.json()) as { error: Json }).error,
];

/** A device asks to pair over the API (no token yet). */
async function ask(s: Served, label?: string) {
  const r = await s.api('POST', '/api/pairing', {
    body: label === undefined ? {} : { label },
    device: null,
  });
  return { status: r.status, body: (await r.json()) as Json };
}

describe('outpost serve: pairing over the API', () => {
  it('pairs a device: code, pending, a manager approves, the device sells at its own terminal; revoked, it gets nothing', async () => {
    const s = await start();
    const asked = await ask(s, 'Till 2');
    expect(asked.status).toBe(201);
    expect(Object.keys(asked.body).sort()).toEqual([
      'code',
      'device_id',
      'device_token',
      'expires_at',
    ]);
    const code = String(asked.body['code']);
    const token = String(asked.body['device_token']);
    const id = String(asked.body['device_id']);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = s.store.devices().find((d) => d.id === id);
    expect(row?.state).toBe('pending');
    expect(Date.parse(String(asked.body['expires_at'])) - Date.parse(row?.requested_at ?? '')).toBe(
      600_000,
    );

    const state = async () =>
      (await (await s.api('GET', '/api/pairing', { device: token })).json()) as Json;
    expect(await state()).toEqual({
      state: 'pending',
      device_id: id,
      code,
      terminal: null,
      expires_at: asked.body['expires_at'],
      revoked_at: null,
    });
    expect(
      await errorOf(
        await s.api('POST', '/api/session', {
          device: token,
          body: { cashier: 'alice', pin: '1234' },
        }),
      ),
    ).toEqual([
      403,
      {
        kind: 'PairingPending',
        message: `waiting for a manager to approve code ${code}`,
        field: 'x-outpost-device',
      },
    ]);

    const manager = await s.login(MANAGER.id, MANAGER.pin);
    const approve = (body: Json) =>
      s.api('POST', '/api/pairing/approve', { session: manager, body });
    const wrongPin = await approve({ code, manager: { id: MANAGER.id, pin: '0000' } });
    expect((await errorOf(wrongPin))[0]).toBe(401);
    expect((await state())['state']).toBe('pending');

    // Typed as a manager reads it off the screen: lower case, no dash.
    const typed = code.replace('-', '').toLowerCase();
    const approved = await approve({ code: typed, terminal: 'T2', manager: MANAGER_PIN });
    expect(approved.status).toBe(200);
    const a = ((await approved.json()) as { approved: Json }).approved;
    expect(a).toMatchObject({
      device_id: id,
      terminal: 'T2',
      label: 'Till 2',
      approved_by: MANAGER.id,
      new_terminal: true,
    });
    // Journaled at the terminal of the device the manager used (the node's own, T1).
    expect(
      query<{ terminal: string; type: string; body: string }>(
        s.dir,
        `SELECT terminal, type, body FROM journal WHERE seq = ${Number(a['seq'])}`,
      ).map((r) => [r.terminal, r.type, (JSON.parse(r.body) as Json)['action']]),
    ).toEqual([['T1', 'override', 'pair_device']]);
    const again = await approve({ code, manager: MANAGER_PIN });
    expect((await errorOf(again)).map((e, i) => (i === 0 ? e : (e as Json)['kind']))).toEqual([
      409,
      'PairingUsed',
    ]);
    expect(await state()).toMatchObject({ state: 'approved', terminal: 'T2' });

    const login = await s.api('POST', '/api/session', {
      device: token,
      body: { cashier: 'alice', pin: '1234' },
    });
    expect(login.status).toBe(201);
    const session = (await login.json()) as Json;
    expect(session).toMatchObject({ terminal: 'T2', idle_timeout_seconds: 900 });
    const alice = String(session['session_token']);
    const sale = await s.api('POST', '/api/sales', {
      device: token,
      session: alice,
      body: { items: [{ item_code: 'SKU-0000001', qty: '1' }] },
    });
    expect(sale.status).toBe(201);
    expect(((await sale.json()) as Json)['invoice_no']).toBe('STORE-NORTH-T2-2026-000001');

    // The manager's list; a cashier does not see it.
    const list = await s.api('GET', '/api/terminals', { session: manager });
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { terminals: Json[]; devices: Json[] };
    const own = s.store.devices().find((d) => d.terminal === 'T1')?.id;
    expect(listed.terminals.map((t) => [t['name'], t['device']])).toEqual([
      ['T1', own],
      ['T2', id],
    ]);
    expect(listed.devices.map((d) => [d['terminal'], d['state'], d['approved_by']])).toEqual([
      ['T1', 'active', 'node-operator'],
      ['T2', 'active', MANAGER.id],
    ]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const notManager = await s.api('GET', '/api/terminals', { device: token, session: alice });
    expect((await errorOf(notManager)).map((e, i) => (i === 0 ? e : (e as Json)['kind']))).toEqual([
      403,
      'NotPermitted',
    ]);

    const revoke = () =>
      s.api('POST', `/api/devices/${id}/revoke`, {
        session: manager,
        body: { manager: MANAGER_PIN },
      });
    const revoked = await revoke();
    expect(revoked.status).toBe(200);
    const r = ((await revoked.json()) as { revoked: Json }).revoked;
    expect(r['device_id']).toBe(id);
    expect(await state()).toMatchObject({ state: 'revoked', revoked_at: r['revoked_at'] });
    const after = await s.api('GET', '/api/holds', { device: token, session: alice });
    expect((await errorOf(after))[0]).toBe(403);
    expect(
      (await errorOf(await revoke())).map((e, i) => (i === 0 ? e : (e as Json)['kind'])),
    ).toEqual([409, 'PairingUsed']);
  });

  it("approves on the cashier's own session with the manager's PIN typed in, the cashier staying logged in", async () => {
    const s = await start();
    const alice = await s.login();
    const asked = await ask(s, 'Till 2');
    const approved = await s.api('POST', '/api/pairing/approve', {
      session: alice,
      body: { code: asked.body['code'], manager: MANAGER_PIN },
    });
    expect(approved.status).toBe(200);
    const body = approvalAnswer.parse(await approved.json());
    expect(body.approved).toMatchObject({
      device_id: asked.body['device_id'],
      terminal: 'T2',
      approved_by: MANAGER.id,
      new_terminal: true,
    });
    expect((await s.api('GET', '/api/holds', { session: alice })).status).toBe(200);
  });

  it('takes an approval made with the CLI while the node runs, and both terminals go on selling', async () => {
    const s = await start();
    const asked = await ask(s, 'Till 2');
    const approved = await cli([
      'terminal',
      'approve',
      String(asked.body['code']),
      '--data',
      s.dir,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
    ]);
    expect([approved.code, approved.err]).toEqual([0, '']);
    const token = String(asked.body['device_token']);
    const alice2 = await s.login('alice', '1234', token);
    const alice1 = await s.login();
    const sold = async (device: string, session: string) => {
      const r = await s.api('POST', '/api/sales', { device, session, body: SALE });
      return [r.status, ((await r.json()) as Json)['invoice_no']];
    };
    expect(await sold(token, alice2)).toEqual([201, 'STORE-NORTH-T2-2026-000001']);
    // T1's chain took the CLI's approval record from another process: the node's T1 follows.
    expect(await sold(s.device, alice1)).toEqual([201, 'STORE-NORTH-T1-2026-000001']);
    await s.close();
    const v = await cli(['verify', '--data', s.dir, '--json']);
    expect([
      v.code,
      (JSON.parse(v.out) as { terminals: Json[] }).terminals.map((t) => t['ok']),
    ]).toEqual([0, [true, true]]);
  });

  it('lets an unapproved code expire, and holds a flood of requests at 10 waiting', async () => {
    const s = await start();
    const asked = await ask(s);
    const token = String(asked.body['device_token']);
    s.advance(11 * 60_000);
    const state = (await (await s.api('GET', '/api/pairing', { device: token })).json()) as Json;
    expect(state['state']).toBe('expired');
    const login = await s.api('POST', '/api/session', {
      device: token,
      body: { cashier: 'alice', pin: '1234' },
    });
    expect((await errorOf(login)).map((e, i) => (i === 0 ? e : (e as Json)['kind']))).toEqual([
      401,
      'PairingExpired',
    ]);
    const manager = await s.login(MANAGER.id, MANAGER.pin);
    const late = await s.api('POST', '/api/pairing/approve', {
      session: manager,
      body: { code: asked.body['code'], manager: MANAGER_PIN },
    });
    expect((await errorOf(late)).map((e, i) => (i === 0 ? e : (e as Json)['kind']))).toEqual([
      410,
      'PairingExpired',
    ]);
    // The expired code no longer counts: ten new ones wait, the eleventh is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await ask(s)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 429]);
    const flood = await ask(s);
    expect((flood.body['error'] as Json)['kind']).toBe('RateLimited');
    const unknown = await s.api('GET', '/api/pairing', { device: 'forged' });
    expect((await errorOf(unknown))[0]).toBe(401);
  });
});

describe('outpost serve: a revoked device and its open event stream', () => {
  it('ends the stream at the next event once the device is revoked', async () => {
    const s = await start();
    const t2 = await s.pairDevice();
    const alice = await s.login('alice', '1234', t2.token);
    const res = await fetch(`${s.node.url}/api/events`, {
      headers: { 'x-outpost-device': t2.token, 'x-outpost-session': alice },
    });
    expect(res.status).toBe(200);
    if (!res.body) throw new Error('no stream');
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const read = async () => {
      const { value, done } = await reader.read();
      if (value) text += decoder.decode(value, { stream: true });
      return done;
    };
    while (!text.includes('\n\n')) await read();
    expect(text.startsWith('event: ready\n')).toBe(true);
    expect(s.node.events.size()).toBe(1);
    const manager = await s.login(MANAGER.id, MANAGER.pin);
    const id = s.store.devices().find((d) => d.terminal === 'T2')?.id ?? '';
    const revoked = await s.api('POST', `/api/devices/${id}/revoke`, {
      session: manager,
      body: { manager: MANAGER_PIN },
    });
    expect(revoked.status).toBe(200);
    text = '';
    s.node.events.publish('push', { pushed: 1, pending: 0 });
    let done = false;
    while (!done) done = await read();
    // Not one more event: the stream ended instead.
    expect(text).toBe('');
    expect(s.node.events.size()).toBe(0);
  });
});

describe("outpost serve: the node's own till", () => {
  it('is paired at the first start by the node operator (journaled), kept across restarts, paired again once revoked', async () => {
    const dir = nodes.copy();
    const file = join(dir, 'device-token');
    const s = await start(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${s.device}\n`);
    expect(s.store.devices().map((d) => [d.terminal, d.state, d.approved_by])).toEqual([
      ['T1', 'active', 'node-operator'],
    ]);
    const record = query<{ terminal: string; body: string }>(
      dir,
      "SELECT terminal, body FROM journal WHERE type = 'override' ORDER BY seq",
    ).map((r) => ({ terminal: r.terminal, ...(JSON.parse(r.body) as Json) }));
    expect(record).toMatchObject([
      {
        terminal: 'T1',
        action: 'pair_device',
        manager: null,
        approved_by: 'node-operator',
        detail: { terminal: 'T1', new_terminal: false },
      },
    ]);
    const first = s.device;
    await s.close();

    const again = await start(dir);
    expect(again.device).toBe(first);
    expect(again.store.devices().length).toBe(1);
    // A manager on another device revokes the node's own: the next start pairs a new one.
    const t2 = await again.pairDevice();
    const manager = await again.login(MANAGER.id, MANAGER.pin, t2.token);
    const ownId = again.store.devices().find((d) => d.terminal === 'T1')?.id ?? '';
    const revoked = await again.api('POST', `/api/devices/${ownId}/revoke`, {
      device: t2.token,
      session: manager,
      body: { manager: MANAGER_PIN },
    });
    expect(revoked.status).toBe(200);
    expect((await again.api('GET', '/api/holds', { session: manager })).status).toBe(403);
    await again.close();

    const third = await start(dir);
    expect(third.device).not.toBe(first);
    expect(readFileSync(file, 'utf8')).toBe(`${third.device}\n`);
    expect(third.store.devices().map((d) => [d.terminal, d.state])).toEqual([
      ['T1', 'revoked'],
      ['T2', 'active'],
      ['T1', 'active'],
    ]);
    expect(
      (await third.api('POST', '/api/session', { body: { cashier: 'alice', pin: '1234' } })).status,
    ).toBe(201);
  });

  it("keeps the device token of a store from before pairing, so its till's screen goes on working", async () => {
    const dir = nodes.copy();
    const legacy = 'a-token-written-by-the-single-terminal-node-00';
    writeFileSync(join(dir, 'device-token'), `${legacy}\n`, { mode: 0o644 });
    const node = openNode(dir);
    try {
      node
        .terminal()
        .setState('node_device_token_sha256', createHash('sha256').update(legacy).digest('hex'));
    } finally {
      node.close();
    }
    const s = await start(dir);
    expect(s.device).toBe(legacy);
    expect(statSync(join(dir, 'device-token')).mode & 0o777).toBe(0o600);
    expect(
      (await s.api('POST', '/api/session', { body: { cashier: 'alice', pin: '1234' } })).status,
    ).toBe(201);
  });
});
