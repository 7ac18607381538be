import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PosError, type Cashier, type Terminal } from '../pos/index.js';
import { bindNodeDevice, tokenHash } from '../pos/devices.js';
import type { StoreNode } from '../pos/node.js';
import { activeDeviceOf, deviceByTokenHash } from '../store/devices.js';

/**
 * The seam every `/api/*` route but the public ones goes through (one Fastify preHandler,
 * `app.ts`). `NodeAuthenticator` implements it over the store node's paired devices and
 * cashier sessions (`pos/devices.ts`, `pos/sessions.ts`).
 */
export interface Authenticator {
  /** Who calls: the terminal the device is bound to, and the cashier the session is for. */
  authenticate(deviceToken: string | undefined, sessionToken: string | undefined): Caller;
  /** The terminal of a paired device, for the routes a device calls before any login. */
  device(deviceToken: string | undefined): Terminal;
  /** A cashier's PIN login on a paired device: a new session token (PosError on a wrong PIN). */
  login(deviceToken: string | undefined, cashierId: string, pin: string): Session;
  /** Ends the device's session (journaled as a logout). */
  logout(deviceToken: string | undefined, sessionToken: string | undefined): void;
}

export interface Caller {
  readonly terminal: Terminal;
  readonly cashier: Cashier;
}

export interface Session {
  readonly session_token: string;
  readonly cashier: Cashier;
  /** The terminal this device sells at. */
  readonly terminal: string;
  /** A session unused this long is over: the cashier logs in again. */
  readonly idle_timeout_seconds: number;
}

type AuthErrorKind =
  // No device token, or one the node never issued.
  | 'DeviceUnknown'
  // A token the node issued and a manager withdrew.
  | 'DeviceRevoked'
  // A device that asked to pair and no manager approved yet.
  | 'PairingPending'
  // A device whose pairing code expired before a manager approved it.
  | 'PairingExpired'
  // No session token on a route that needs a cashier.
  | 'SessionRequired'
  // A session token this device never got (or another device's).
  | 'SessionUnknown'
  // A session logged out, replaced by a newer login, or idle past the timeout.
  | 'SessionExpired';

/**
 * Why a caller was refused; `http-errors.ts` maps DeviceRevoked and PairingPending to 403 (the
 * node knows the device and says no), the rest to 401.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The header a terminal sends its device token in. */
export const DEVICE_HEADER = 'x-outpost-device';
/** The header a terminal sends the cashier's session token in. */
export const SESSION_HEADER = 'x-outpost-session';

const DEVICE_KINDS = new Set([
  'DeviceUnknown',
  'DeviceRevoked',
  'PairingPending',
  'PairingExpired',
]);
const SESSION_KINDS = new Set(['SessionUnknown', 'SessionExpired']);

/** The node's refusals as AuthErrors naming the header the client must fix. */
function asAuthError(e: unknown): unknown {
  if (!(e instanceof PosError)) return e;
  if (DEVICE_KINDS.has(e.kind))
    return new AuthError(e.kind as AuthErrorKind, e.message, DEVICE_HEADER);
  if (SESSION_KINDS.has(e.kind)) {
    return new AuthError(e.kind as AuthErrorKind, e.message, SESSION_HEADER);
  }
  return e;
}

function refusing<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asAuthError(e);
  }
}

/**
 * The store node's devices and sessions: every call acts at the terminal its device is bound
 * to; sessions are the node's (stored hashed, idle timeout `pos.session_idle_minutes`, lockout
 * and journaling as in `pos/sessions.ts`), so they survive a restart of the node.
 */
export class NodeAuthenticator implements Authenticator {
  constructor(private readonly node: StoreNode) {}

  authenticate(deviceToken: string | undefined, sessionToken: string | undefined): Caller {
    if (sessionToken === undefined || sessionToken === '') {
      // The device first: a revoked device is told so whatever session it sends (with a
      // session, node.authenticate checks the device before it).
      this.device(deviceToken);
      throw new AuthError(
        'SessionRequired',
        'log a cashier in first (POST /api/session)',
        SESSION_HEADER,
      );
    }
    const s = refusing(() => this.node.authenticate(deviceToken ?? '', sessionToken));
    return { terminal: s.terminal, cashier: s.cashier };
  }

  device(deviceToken: string | undefined): Terminal {
    const d = refusing(() => this.node.device(deviceToken ?? ''));
    return this.node.terminal(d.terminal);
  }

  login(deviceToken: string | undefined, cashierId: string, pin: string): Session {
    const s = refusing(() => this.node.login(deviceToken ?? '', { cashier: cashierId, pin }));
    return {
      session_token: s.token,
      cashier: s.cashier,
      terminal: s.terminal,
      idle_timeout_seconds: s.idle_minutes * 60,
    };
  }

  logout(deviceToken: string | undefined, sessionToken: string | undefined): void {
    refusing(() => this.node.logout(deviceToken ?? '', sessionToken ?? ''));
  }
}

/** The terminal_state key where a store from before pairing kept its device token's hash. */
const LEGACY_TOKEN_HASH_KEY = 'node_device_token_sha256';

/**
 * The node's own till: when no device is bound to the first terminal, one is paired and
 * approved for it by the node operator (`bindNodeDevice`, journaled) and its token written to
 * `file` (mode 0600). The token in `file` is kept when it is the bound device's, or when it is
 * the token of a store from before pairing (its screen keeps working). Returns the token in
 * `file`, or null when another device (a manager approved) holds the first terminal.
 */
export function ensureNodeDevice(node: StoreNode, file: string): string | null {
  const first = node.firstTerminal;
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const held = activeDeviceOf(node.db, first);
  if (held) {
    const mine = kept !== '' && deviceByTokenHash(node.db, tokenHash(kept))?.id === held.id;
    return mine ? kept : null;
  }
  const term = node.terminal(first);
  const legacy =
    kept !== '' &&
    term.state(LEGACY_TOKEN_HASH_KEY) === tokenHash(kept) &&
    deviceByTokenHash(node.db, tokenHash(kept)) === undefined;
  const token = legacy ? kept : randomBytes(32).toString('base64url');
  bindNodeDevice(node, token, 'the node’s own till (outpost serve)');
  if (!legacy) writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
