import { randomBytes } from 'node:crypto';
import { endSessions, insertSession, sessionByTokenHash, touchSession } from '../store/devices.js';
import { authenticate, ensureLogin, type Cashier } from './cashiers.js';
import { authenticateDevice, tokenHash, type PairedDevice } from './devices.js';
import { PosError, invalid } from './errors.js';
import type { StoreNode } from './node.js';
import type { Terminal } from './terminal.js';

/** A cashier logged in on a paired device. */
export interface Session {
  readonly device: PairedDevice;
  readonly terminal: Terminal;
  readonly cashier: Cashier;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * PIN login on a paired device: the cashier is the store's (any terminal), checked with the
 * lockout of pos/cashiers.ts (failures journaled in the device's terminal's chain). A login
 * ends the device's earlier session and is journaled; the session token is returned once and
 * kept only hashed.
 */
export function login(
  node: StoreNode,
  deviceToken: string,
  input: { cashier: string; pin: string },
): { token: string; cashier: Cashier; terminal: string; idle_minutes: number } {
  const device = authenticateDevice(node.db, deviceToken, node.clock.now());
  if (typeof input.cashier !== 'string' || !/^[A-Za-z0-9._@-]{1,64}$/.test(input.cashier)) {
    throw invalid('cashier', 'a cashier id is 1–64 letters, digits, ., _, @ or -');
  }
  const term = node.terminal(device.terminal);
  const cashier = authenticate(term, input.cashier, input.pin);
  const token = randomBytes(32).toString('base64url');
  term.transact((tx) => {
    const now = node.clock.now();
    endSessions(node.db, { deviceId: device.device_id }, iso(now), 'replaced');
    ensureLogin(term, tx, cashier);
    insertSession(node.db, {
      tokenHash: tokenHash(token),
      deviceId: device.device_id,
      cashier: cashier.id,
      at: iso(now),
      nowMs: now,
    });
  });
  return {
    token,
    cashier,
    terminal: device.terminal,
    idle_minutes: term.settings.sessionIdleMinutes,
  };
}

/**
 * How stale a session's idle clock may be: each move is a write, so a commit (fsync, the store
 * runs synchronous=FULL) that every read of the screen (a scan's look-up) would otherwise wait
 * on. A second of slack on an idle timeout counted in minutes.
 */
const TOUCH_EVERY_MS = 1_000;

/**
 * What every call on behalf of a cashier checks: the device (authenticateDevice), then the
 * session, which must be this device's, open, and used within the store's idle limit
 * (pos.session_idle_minutes). An idle session is ended and its logout journaled; the caller
 * gets SessionExpired. A valid call moves the session's idle clock.
 */
export function authenticateSession(
  node: StoreNode,
  deviceToken: string,
  sessionToken: string,
): Session {
  const now = node.clock.now();
  const device = authenticateDevice(node.db, deviceToken, now);
  const hash = tokenHash(sessionToken);
  const row = sessionToken ? sessionByTokenHash(node.db, hash) : undefined;
  if (!row || row.device_id !== device.device_id) {
    throw new PosError('SessionUnknown', 'no such session on this device: log in', 'session');
  }
  if (row.ended_at) {
    throw new PosError(
      'SessionExpired',
      `the session ended (${row.end_reason}): log in again`,
      'session',
    );
  }
  const term = node.terminal(device.terminal);
  const idleMs = term.settings.sessionIdleMinutes * 60_000;
  if (now - row.last_seen_ms > idleMs) {
    end(term, hash, row.cashier, 'idle');
    throw new PosError(
      'SessionExpired',
      `the session was idle more than ${term.settings.sessionIdleMinutes} min: log in again`,
      'session',
    );
  }
  if (now - row.last_seen_ms >= TOUCH_EVERY_MS) touchSession(node.db, hash, now);
  const cashier = term
    .stmt('SELECT id, name, role FROM cashier WHERE id = ? AND disabled = 0')
    .get(row.cashier) as Cashier | undefined;
  if (!cashier) {
    end(term, hash, row.cashier, 'revoked');
    throw new PosError('SessionExpired', `cashier ${row.cashier} is disabled`, 'session');
  }
  return { device, terminal: term, cashier };
}

/** Ends the session (journaled as a logout); a session already ended is refused. */
export function logout(node: StoreNode, deviceToken: string, sessionToken: string): void {
  const session = authenticateSession(node, deviceToken, sessionToken);
  end(session.terminal, tokenHash(sessionToken), session.cashier.id, 'logout');
}

function end(
  term: Terminal,
  hash: string,
  cashier: string,
  reason: 'logout' | 'idle' | 'revoked',
): void {
  term.transact((tx) => {
    if (endSessions(term.db, { tokenHash: hash }, iso(term.clock.now()), reason) === 0) return;
    tx.append({ type: 'logout', body: { cashier_id: cashier, reason } });
    // The till's CLI login goes with it: the next sale journals a login again.
    term.setLocalState('session', '');
  });
}
