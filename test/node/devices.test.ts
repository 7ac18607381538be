import { describe, expect, it } from 'vitest';
import {
  MAX_WAITING,
  approvePairing,
  authenticateDevice,
  devices,
  normalizeCode,
  requestPairing,
  revokeDevice,
} from '../../src/pos/devices.js';
import type { PosError } from '../../src/pos/index.js';
import { cli } from '../pos/till-fixture.js';
import {
  AFTER_OLD_STORE,
  CASHIER,
  MANAGER,
  oldStoreCopy,
  openTestNode,
  testClock,
} from './fixture.js';

type Json = Record<string, unknown>;

/** The kind and field of the PosError `fn` throws. */
function refusal(fn: () => unknown): [string, string | undefined] {
  try {
    fn();
  } catch (e) {
    const p = e as PosError;
    return [p.kind, p.field];
  }
  throw new Error('expected a refusal');
}

const MINUTE = 60_000;

function setUp() {
  const clock = testClock(AFTER_OLD_STORE);
  const node = openTestNode(oldStoreCopy(), clock);
  const approve = (code: string, terminal?: string, who = MANAGER) =>
    approvePairing(node, {
      code,
      manager: who.id,
      pin: who.pin,
      ...(terminal !== undefined ? { terminal } : {}),
    });
  const lastRecord = () =>
    node.db
      .prepare('SELECT terminal, chain_seq, type, body FROM journal ORDER BY seq DESC LIMIT 1')
      .get() as { terminal: string; chain_seq: number; type: string; body: string };
  return { clock, node, approve, lastRecord };
}

describe('pairing a device', () => {
  it('gives a short code that expires in 10 minutes and a token worth nothing until approved', () => {
    const { node, clock } = setUp();
    try {
      const p = requestPairing(node, { label: 'Till 2' });
      expect(p.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(p.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(p.expires_at).toBe('2026-12-07T03:50:00.000Z');
      // Only the token's hash is kept.
      const stored = node.db.prepare('SELECT * FROM device').all() as Json[];
      expect(JSON.stringify(stored)).not.toContain(p.token);
      expect(refusal(() => authenticateDevice(node.db, p.token, clock.now()))).toEqual([
        'PairingPending',
        'token',
      ]);
      expect(refusal(() => authenticateDevice(node.db, 'not-a-token', clock.now()))).toEqual([
        'DeviceUnknown',
        'token',
      ]);
      expect(refusal(() => authenticateDevice(node.db, '', clock.now()))).toEqual([
        'DeviceUnknown',
        'token',
      ]);
    } finally {
      node.close();
    }
  });

  it('needs a manager PIN: a wrong PIN is journaled, a cashier may not approve', () => {
    const { node, approve, lastRecord, clock } = setUp();
    try {
      const p = requestPairing(node);
      expect(refusal(() => approve(p.code, undefined, { id: MANAGER.id, pin: '0000' }))).toEqual([
        'AuthenticationFailed',
        'manager_pin',
      ]);
      expect([lastRecord().type, lastRecord().terminal]).toEqual(['login_failed', 'T1']);
      expect(refusal(() => approve(p.code, undefined, CASHIER))).toEqual([
        'NotPermitted',
        'manager',
      ]);
      // Still waiting: nothing was approved.
      expect(refusal(() => authenticateDevice(node.db, p.token, clock.now()))).toEqual([
        'PairingPending',
        'token',
      ]);
    } finally {
      node.close();
    }
  });

  it('binds the device to a terminal, journals the approval, and a code serves once', () => {
    const { node, approve, lastRecord, clock } = setUp();
    try {
      const first = requestPairing(node, { label: 'screen A' });
      // Typed loosely: lower case, no dash, O for 0 and I/L for 1 are all read right.
      const typed = first.code.toLowerCase().replace('-', '').replace(/0/g, 'o').replace(/1/g, 'l');
      const a = approve(typed);
      // No terminal named: the first one no device holds (the node's own T1).
      expect([a.terminal, a.new_terminal, a.approved_by, a.seq]).toEqual(['T1', false, 'maya', 8]);
      const record = lastRecord();
      expect([record.terminal, record.chain_seq, record.type]).toEqual(['T1', 8, 'override']);
      expect(JSON.parse(record.body)).toMatchObject({
        action: 'pair_device',
        detail: { device_id: first.device_id, code: first.code, terminal: 'T1', label: 'screen A' },
        manager: { id: 'maya' },
      });
      expect(authenticateDevice(node.db, first.token, clock.now())).toEqual({
        device_id: first.device_id,
        terminal: 'T1',
        label: 'screen A',
      });
      expect(refusal(() => approve(first.code))).toEqual(['PairingUsed', 'code']);

      // T1 is held: the next device gets a new terminal, with its own key and series.
      const second = requestPairing(node);
      const b = approve(second.code);
      expect([b.terminal, b.new_terminal]).toEqual(['T2', true]);
      expect(node.terminal('T2').settings.terminalId).toBe('T2');
      // A terminal held by a device is not given to another.
      const third = requestPairing(node);
      expect(refusal(() => approve(third.code, 'T2'))).toEqual(['InvalidInput', 'terminal']);
      expect(refusal(() => approve(third.code, '../T9'))).toEqual(['InvalidInput', 'terminal']);
      expect(approve(third.code, 'BACK-1').terminal).toBe('BACK-1');
      expect(node.terminals().map((t) => t.name)).toEqual(['BACK-1', 'T1', 'T2']);
    } finally {
      node.close();
    }
  });

  it('refuses an unknown, malformed or expired code; an expired request stays refused', () => {
    const { node, approve, clock } = setUp();
    try {
      expect(refusal(() => approve('ZZZZ-ZZZZ'))).toEqual(['NotFound', 'code']);
      expect(refusal(() => approve('12-34'))).toEqual(['InvalidInput', 'code']);
      expect(refusal(() => normalizeCode('ABCD-EFGU'))).toEqual(['InvalidInput', 'code']);
      const p = requestPairing(node);
      clock.advance(10 * MINUTE);
      expect(refusal(() => approve(p.code))).toEqual(['PairingExpired', 'code']);
      expect(refusal(() => authenticateDevice(node.db, p.token, clock.now()))).toEqual([
        'PairingExpired',
        'token',
      ]);
    } finally {
      node.close();
    }
  });

  it('lets at most 10 codes wait at once', () => {
    const { node, clock } = setUp();
    try {
      for (let i = 0; i < MAX_WAITING; i += 1) requestPairing(node);
      expect(refusal(() => requestPairing(node))).toEqual(['RateLimited', undefined]);
      // An expired code no longer waits.
      clock.advance(10 * MINUTE - 1);
      expect(refusal(() => requestPairing(node))).toEqual(['RateLimited', undefined]);
      clock.advance(1);
      for (let i = 0; i < MAX_WAITING; i += 1) requestPairing(node);
      expect(refusal(() => requestPairing(node))).toEqual(['RateLimited', undefined]);
      expect(devices(node)).toHaveLength(2 * MAX_WAITING);
    } finally {
      node.close();
    }
  });

  it('a revoked device gets nothing, and the revocation is journaled', () => {
    const { node, approve, lastRecord, clock } = setUp();
    try {
      const p = requestPairing(node);
      approve(p.code, 'T2');
      const r = revokeDevice(node, { device: p.device_id, manager: MANAGER.id, pin: MANAGER.pin });
      expect(r).toEqual({ device_id: p.device_id, revoked_at: '2026-12-07T03:40:00.000Z', seq: 9 });
      expect(JSON.parse(lastRecord().body)).toMatchObject({
        action: 'revoke_device',
        detail: { device_id: p.device_id, terminal: 'T2' },
      });
      expect(refusal(() => authenticateDevice(node.db, p.token, clock.now()))).toEqual([
        'DeviceRevoked',
        'token',
      ]);
      expect(
        refusal(() =>
          revokeDevice(node, { device: p.code, manager: MANAGER.id, pin: MANAGER.pin }),
        ),
      ).toEqual(['PairingUsed', 'device']);
      // T2 is free again: a new device may take it.
      const q = requestPairing(node);
      expect(approve(q.code, 'T2').terminal).toBe('T2');
    } finally {
      node.close();
    }
  });
});

describe('outpost terminal', () => {
  it('pair, approve CODE with a manager PIN, list and revoke', async () => {
    const dir = oldStoreCopy();
    const run = async (...args: string[]) => {
      const r = await cli(['terminal', ...args, '--data', dir]);
      return { code: r.code, out: JSON.parse(r.out) as Json };
    };
    const paired = await run('pair', '--label', 'Till 2');
    const { code } = paired.out['pairing'] as { code: string };
    const wrong = await run(
      'approve',
      code,
      '--cashier',
      MANAGER.id,
      '--pin',
      '1111',
      '--terminal',
      'T2',
    );
    expect([wrong.code, (wrong.out['error'] as Json)['kind']]).toEqual([1, 'AuthenticationFailed']);
    const ok = await run(
      'approve',
      code,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--terminal',
      'T2',
    );
    expect(ok.code).toBe(0);
    const approved = ok.out['approved'] as Json;
    expect([approved['terminal'], approved['new_terminal'], approved['label']]).toEqual([
      'T2',
      true,
      'Till 2',
    ]);
    const listed = await run('list');
    const terminals = (listed.out['terminals'] as Json[]).map((t) => [t['name'], t['device']]);
    expect(terminals).toEqual([
      ['T1', null],
      ['T2', approved['device_id']],
    ]);
    const key = await run('key', '--terminal', 'T2');
    expect(key.out['terminal']).toBe('T2');
    const revoked = await run(
      'revoke',
      String(approved['device_id']),
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
    );
    expect(revoked.code).toBe(0);
    const after = await run('list');
    expect((after.out['devices'] as Json[]).map((d) => d['state'])).toEqual(['revoked']);
    const verified = await cli(['verify', '--data', dir, '--json']);
    expect(verified.code, verified.out).toBe(0);
  });
});
