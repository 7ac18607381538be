import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { authenticate, type Cashier, type Terminal } from '../pos/index.js';

/**
 * The seam every `/api/*` route but login, health and the OpenAPI document goes through (one
 * Fastify preHandler, `app.ts`). Issue 12's pairing (`src/pos/devices.ts`, many terminals per
 * node, revocation) implements this interface at merge; `DirAuthenticator` below is the small
 * stand-in over today's single-terminal data directory.
 */
export interface Authenticator {
  /** Who calls: the terminal the device token stands for, and the cashier the session is for. */
  authenticate(deviceToken: string | undefined, sessionToken: string | undefined): Caller;
  /** The terminal of a paired device, for the routes a device calls before any login. */
  device(deviceToken: string | undefined): Terminal;
  /** A cashier's PIN login on a known device: a new session token (PosError on a wrong PIN). */
  login(deviceToken: string | undefined, cashierId: string, pin: string): Session;
  /** Ends a session (idempotent). */
  logout(sessionToken: string): void;
}

export interface Caller {
  readonly terminal: Terminal;
  readonly cashier: Cashier;
}

export interface Session {
  readonly session_token: string;
  readonly cashier: Cashier;
  /** A session unused this long is over: the cashier logs in again. */
  readonly idle_timeout_seconds: number;
}

type AuthErrorKind =
  // No device token, or one the node never issued.
  | 'DeviceUnknown'
  // A token the node issued and a manager withdrew.
  | 'DeviceRevoked'
  // No session token on a route that needs a cashier.
  | 'SessionRequired'
  // A session token unknown, logged out, or idle past the timeout.
  | 'SessionExpired';

/** Why a caller was refused; `http-errors.ts` maps DeviceRevoked to 403, the rest to 401. */
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

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const newToken = (): string => randomBytes(32).toString('base64url');

/** The terminal_state key holding the device token's hash (the token itself is only in the file). */
const TOKEN_HASH_KEY = 'node_device_token_sha256';

/**
 * Makes sure DIR/device-token exists (mode 0600) and the store holds its SHA-256; returns the
 * token. A missing file gets a new token and replaces the stored hash, so whoever can read the
 * data directory (the operator) is the one who hands the token to the till's screen.
 */
export function ensureDeviceToken(term: Terminal, file: string): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (term.state(TOKEN_HASH_KEY) === sha256(token).toString('hex')) return token;
  }
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  term.setState(TOKEN_HASH_KEY, sha256(token).toString('hex'));
  return token;
}

interface Live {
  readonly cashier: Cashier;
  lastSeen: number;
}

/**
 * The single-terminal stand-in: one device (the token of `ensureDeviceToken`), cashiers logged
 * in by PIN (`pos/cashiers.ts`: failures journaled, lockout), sessions held in memory (a
 * restarted node asks cashiers to log in again) and ended after `idleMs` without a request.
 */
export class DirAuthenticator implements Authenticator {
  private readonly sessions = new Map<string, Live>();

  constructor(
    private readonly term: Terminal,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  authenticate(deviceToken: string | undefined, sessionToken: string | undefined): Caller {
    this.device(deviceToken);
    if (sessionToken === undefined || sessionToken === '') {
      throw new AuthError(
        'SessionRequired',
        'log a cashier in first (POST /api/session)',
        SESSION_HEADER,
      );
    }
    const key = sha256(sessionToken).toString('hex');
    const live = this.sessions.get(key);
    const now = this.now();
    if (!live || now - live.lastSeen > this.idleMs) {
      this.sessions.delete(key);
      throw new AuthError(
        'SessionExpired',
        'the session is over (logged out, idle too long, or the node restarted): log in again',
        SESSION_HEADER,
      );
    }
    live.lastSeen = now;
    return { terminal: this.term, cashier: live.cashier };
  }

  login(deviceToken: string | undefined, cashierId: string, pin: string): Session {
    this.device(deviceToken);
    const cashier = authenticate(this.term, cashierId, pin);
    const token = newToken();
    this.sessions.set(sha256(token).toString('hex'), { cashier, lastSeen: this.now() });
    return {
      session_token: token,
      cashier,
      idle_timeout_seconds: Math.round(this.idleMs / 1000),
    };
  }

  logout(sessionToken: string): void {
    this.sessions.delete(sha256(sessionToken).toString('hex'));
  }

  device(token: string | undefined): Terminal {
    const stored = this.term.state(TOKEN_HASH_KEY);
    if (token === undefined || token === '' || stored === undefined) {
      throw new AuthError(
        'DeviceUnknown',
        'this device is not paired with the store node',
        DEVICE_HEADER,
      );
    }
    const given = sha256(token);
    const expected = Buffer.from(stored, 'hex');
    if (expected.length !== given.length || !timingSafeEqual(given, expected)) {
      throw new AuthError(
        'DeviceUnknown',
        'this device is not paired with the store node',
        DEVICE_HEADER,
      );
    }
    return this.term;
  }
}
