import { describe, expect, it } from 'vitest';
import { approvePairing, requestPairing, revokeDevice } from '../../src/pos/devices.js';
import type { PosError } from '../../src/pos/index.js';
import { authenticate, sell } from '../../src/pos/index.js';
import type { StoreNode } from '../../src/pos/node.js';
import { authenticateSession, login, logout } from '../../src/pos/sessions.js';
import {
  AFTER_OLD_STORE,
  CASHIER,
  MANAGER,
  oldStoreCopy,
  openTestNode,
  testClock,
} from './fixture.js';

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

/** Login input for a fixture cashier. */
const pinOf = (c: { id: string; pin: string }) => ({ cashier: c.id, pin: c.pin });

/** A node with one device paired to T2. */
function paired() {
  const clock = testClock(AFTER_OLD_STORE);
  const node = openTestNode(oldStoreCopy(), clock);
  const p = requestPairing(node);
  approvePairing(node, { code: p.code, manager: MANAGER.id, pin: MANAGER.pin, terminal: 'T2' });
  const records = (terminal: string): [string, unknown][] =>
    (
      node.db
        .prepare('SELECT type, body FROM journal WHERE terminal = ? ORDER BY seq')
        .all(terminal) as { type: string; body: string }[]
    ).map((r) => [r.type, JSON.parse(r.body) as unknown]);
  return { clock, node, device: p.token, records };
}

describe('cashier sessions on a paired device', () => {
  it('PIN login, journaled at the device’s terminal; the session sells there', () => {
    const { node, device, records } = paired();
    try {
      expect(refusal(() => login(node, device, { cashier: CASHIER.id, pin: '0000' }))).toEqual([
        'AuthenticationFailed',
        'pin',
      ]);
      const s = login(node, device, pinOf(CASHIER));
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect([s.cashier.id, s.terminal, s.idle_minutes]).toEqual(['alice', 'T2', 15]);
      const at = authenticateSession(node, device, s.token);
      expect([at.cashier.id, at.terminal.name, at.device.terminal]).toEqual(['alice', 'T2', 'T2']);
      const sale = sell(at.terminal, {
        cashier: at.cashier,
        lines: [{ item_code: 'SKU-0000004', qty: '1' }],
      });
      expect(sale.invoice_no).toBe('STORE-NORTH-T2-2026-000001');
      // T2's chain: the wrong PIN, the login, then the sale (with its own shift) — no second login.
      expect(records('T2').map(([type]) => type)).toEqual([
        'login_failed',
        'login',
        'shift_open',
        'sale',
      ]);
      expect(records('T2')[0]?.[1]).toEqual({
        cashier_id: 'alice',
        reason: 'wrong_pin',
        failures: 1,
      });
    } finally {
      node.close();
    }
  });

  it('ends after the idle limit (journaled); a used session stays alive', () => {
    const { node, device, clock, records } = paired();
    try {
      const s = login(node, device, pinOf(CASHIER));
      clock.advance(15 * MINUTE);
      expect(authenticateSession(node, device, s.token).cashier.id).toBe('alice');
      clock.advance(15 * MINUTE);
      expect(authenticateSession(node, device, s.token).cashier.id).toBe('alice');
      clock.advance(15 * MINUTE + 1);
      expect(refusal(() => authenticateSession(node, device, s.token))).toEqual([
        'SessionExpired',
        'session',
      ]);
      expect(records('T2').at(-1)).toEqual(['logout', { cashier_id: 'alice', reason: 'idle' }]);
      // Ended is ended: coming back does not revive it, and nothing more is journaled.
      const count = records('T2').length;
      expect(refusal(() => authenticateSession(node, device, s.token))).toEqual([
        'SessionExpired',
        'session',
      ]);
      expect(records('T2')).toHaveLength(count);
    } finally {
      node.close();
    }
  });

  it('writes a session’s last use at most every 30 s: no commit of its own per call', () => {
    const { node, device, clock } = paired();
    const dir = node.config.dir;
    const start = clock.now();
    const stored = (n: StoreNode) =>
      n.db.prepare('SELECT last_seen_ms FROM cashier_session').pluck().get();
    let reopened: StoreNode | undefined;
    try {
      const s = login(node, device, pinOf(CASHIER));
      clock.advance(10_000);
      authenticateSession(node, device, s.token);
      expect(stored(node)).toBe(start);
      // Used within the limit of its last use (not of the row's): still alive in this process.
      clock.advance(15 * MINUTE - 1_000);
      expect(authenticateSession(node, device, s.token).cashier.id).toBe('alice');
      expect(stored(node)).toBe(start + 15 * MINUTE + 9_000);
      clock.advance(29_999);
      authenticateSession(node, device, s.token);
      expect(stored(node)).toBe(start + 15 * MINUTE + 9_000);
      node.close();
      // After a restart the row is all the node knows: the 29.999 s it missed count as idle.
      reopened = openTestNode(dir, clock);
      clock.advance(15 * MINUTE - 29_999);
      expect(authenticateSession(reopened, device, s.token).cashier.id).toBe('alice');
      clock.advance(15 * MINUTE + 1);
      expect(refusal(() => authenticateSession(reopened as StoreNode, device, s.token))).toEqual([
        'SessionExpired',
        'session',
      ]);
    } finally {
      if (reopened) reopened.close();
      else node.close();
    }
  });

  it('logout ends it; a new login replaces the device’s session; tokens are per device', () => {
    const { node, device, clock } = paired();
    try {
      const first = login(node, device, pinOf(CASHIER));
      const second = login(node, device, pinOf(MANAGER));
      expect(refusal(() => authenticateSession(node, device, first.token))).toEqual([
        'SessionExpired',
        'session',
      ]);
      expect(authenticateSession(node, device, second.token).cashier.id).toBe('maya');
      // Another device cannot use this device's session.
      const other = requestPairing(node);
      approvePairing(node, { code: other.code, manager: MANAGER.id, pin: MANAGER.pin });
      expect(refusal(() => authenticateSession(node, other.token, second.token))).toEqual([
        'SessionUnknown',
        'session',
      ]);
      expect(refusal(() => authenticateSession(node, device, 'nope'))).toEqual([
        'SessionUnknown',
        'session',
      ]);
      logout(node, device, second.token);
      expect(refusal(() => authenticateSession(node, device, second.token))).toEqual([
        'SessionExpired',
        'session',
      ]);
      expect(clock.now()).toBe(Date.parse(AFTER_OLD_STORE));
    } finally {
      node.close();
    }
  });

  it('locks the cashier after five wrong PINs, for the store, whatever the device', () => {
    const { node, device } = paired();
    try {
      for (let i = 0; i < 5; i += 1) {
        expect(refusal(() => login(node, device, { cashier: CASHIER.id, pin: '0000' }))).toEqual([
          'AuthenticationFailed',
          'pin',
        ]);
      }
      expect(refusal(() => login(node, device, pinOf(CASHIER)))).toEqual(['LockedOut', 'pin']);
      // The cashier is the store's: the node's own till refuses her too.
      expect(refusal(() => authenticate(node.terminal('T1'), CASHIER.id, CASHIER.pin))).toEqual([
        'LockedOut',
        'pin',
      ]);
      expect(
        node.db.prepare("SELECT locked_until FROM cashier WHERE id = 'alice'").pluck().get(),
      ).toBe('2026-12-07T03:55:00.000Z');
    } finally {
      node.close();
    }
  });

  it('a revoked device loses its session', () => {
    const { node, device } = paired();
    try {
      const s = login(node, device, pinOf(CASHIER));
      const id = node.db.prepare("SELECT id FROM device WHERE state = 'active'").pluck().get();
      revokeDevice(node, { device: String(id), manager: MANAGER.id, pin: MANAGER.pin });
      expect(refusal(() => authenticateSession(node, device, s.token))).toEqual([
        'DeviceRevoked',
        'token',
      ]);
      expect(node.db.prepare('SELECT end_reason FROM cashier_session').pluck().all()).toEqual([
        'revoked',
      ]);
    } finally {
      node.close();
    }
  });
});
