import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { SimDb } from './db.js';
import { cstr } from './doc.js';
import { FrappeError } from './errors.js';

/** Who a request runs as. `sessionExpired` marks a stale sid cookie (Frappe adds session_expired). */
export interface Principal {
  readonly user: string;
  readonly roles: ReadonlySet<string>;
  readonly sid: string | undefined;
  readonly sessionExpired: boolean;
  /** A cookie session holding a CSRF token (set once the desk loaded) needs it on unsafe methods. */
  readonly csrfToken: string | undefined;
}

const authError = (): FrappeError =>
  new FrappeError('AuthenticationError', 401, '', { detail: '' });

/** Store a secret (api_secret) or password hash (scrypt) for a user, like Frappe's __Auth. */
export function setSecret(db: SimDb, user: string, fieldname: string, secret: string): void {
  const stored =
    fieldname === 'password'
      ? (() => {
          const salt = randomBytes(16).toString('hex');
          return `${salt}:${scryptSync(secret, salt, 32).toString('hex')}`;
        })()
      : secret;
  db.sql
    .prepare(
      `INSERT INTO auth (doctype, name, fieldname, secret) VALUES ('User', ?, ?, ?)
       ON CONFLICT (doctype, name, fieldname) DO UPDATE SET secret = excluded.secret`,
    )
    .run(user, fieldname, stored);
}

function getSecret(db: SimDb, user: string, fieldname: string): string | undefined {
  return db.sql
    .prepare<[string, string], { secret: string }>(
      `SELECT secret FROM auth WHERE doctype = 'User' AND name = ? AND fieldname = ?`,
    )
    .get(user, fieldname)?.secret;
}

/** Check a login password against its stored scrypt hash. */
export function checkPassword(db: SimDb, user: string, password: string): boolean {
  const [salt, hash] = (getSecret(db, user, 'password') ?? '').split(':');
  if (!salt || !hash) return false;
  const given = scryptSync(password, salt, 32);
  return timingSafeEqual(given, Buffer.from(hash, 'hex'));
}

/** Enabled user's roles from its Has Role rows; Administrator implicitly holds every role. */
function rolesOf(db: SimDb, user: string): Set<string> {
  const roles = new Set<string>(['All']);
  if (user === 'Guest') return new Set(['Guest']);
  if (user === 'Administrator') roles.add('Administrator');
  const rows = db.sql
    .prepare<[string], { role: string | null }>(
      `SELECT json_extract(data, '$.role') AS role FROM docs
       WHERE doctype = 'Has Role' AND parent = ? AND parenttype = 'User'`,
    )
    .all(user);
  for (const r of rows) if (r.role) roles.add(r.role);
  return roles;
}

function userByApiKey(db: SimDb, key: string): string | undefined {
  return db.sql
    .prepare<[string], { name: string }>(
      `SELECT name FROM docs WHERE doctype = 'User' AND json_extract(data, '$.api_key') = ?`,
    )
    .get(key)?.name;
}

function fromApiKey(db: SimDb, key: string, secret: string): string {
  const user = userByApiKey(db, key);
  const stored = user === undefined ? undefined : getSecret(db, user, 'api_secret');
  if (user === undefined || stored === undefined) throw authError();
  const a = Buffer.from(stored);
  const b = Buffer.from(secret);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw authError();
  return user;
}

/** Parse a Cookie header into a map. */
function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

/**
 * Frappe's validate_auth: `Authorization: token key:secret` or `Basic base64(key:secret)`, else
 * the `sid` cookie, else Guest. A header that does not resolve to a user raises 401.
 */
export function authenticate(db: SimDb, headers: Readonly<Record<string, string>>): Principal {
  const header = headers['authorization'];
  if (header) {
    const [scheme = '', value = ''] = header.split(/\s+/, 2);
    let pair = '';
    if (scheme.toLowerCase() === 'token') pair = value;
    else if (scheme.toLowerCase() === 'basic') pair = Buffer.from(value, 'base64').toString();
    else throw authError();
    const colon = pair.indexOf(':');
    if (colon < 0) throw authError();
    const user = fromApiKey(db, pair.slice(0, colon), pair.slice(colon + 1));
    return {
      user,
      roles: rolesOf(db, user),
      sid: undefined,
      sessionExpired: false,
      csrfToken: undefined,
    };
  }
  const sid = parseCookies(headers['cookie']).get('sid');
  if (sid && sid !== 'Guest') {
    const s = db.sql
      .prepare<[string], { user: string; csrf_token: string | null }>(
        'SELECT user, csrf_token FROM sessions WHERE sid = ?',
      )
      .get(sid);
    if (s) {
      return {
        user: s.user,
        roles: rolesOf(db, s.user),
        sid,
        sessionExpired: false,
        csrfToken: s.csrf_token ?? undefined,
      };
    }
    return {
      user: 'Guest',
      roles: rolesOf(db, 'Guest'),
      sid: undefined,
      sessionExpired: true,
      csrfToken: undefined,
    };
  }
  return {
    user: 'Guest',
    roles: rolesOf(db, 'Guest'),
    sid: undefined,
    sessionExpired: false,
    csrfToken: undefined,
  };
}

/** Start a session for a user; returns its sid. */
export function createSession(db: SimDb, user: string): string {
  const sid = randomBytes(28).toString('hex');
  db.sql.prepare('INSERT INTO sessions (sid, user, csrf_token) VALUES (?, ?, NULL)').run(sid, user);
  return sid;
}

export function endSession(db: SimDb, sid: string): void {
  db.sql.prepare('DELETE FROM sessions WHERE sid = ?').run(sid);
}

/** Loading the desk (/app) stores a CSRF token in the session, as Frappe's boot does. */
export function issueCsrfToken(db: SimDb, sid: string): string {
  const token = randomBytes(20).toString('hex');
  db.sql.prepare('UPDATE sessions SET csrf_token = ? WHERE sid = ?').run(token, sid);
  return token;
}

/** The user's full name for cookies and login replies. */
export function fullName(db: SimDb, user: string): string {
  const row = db.get('User', user);
  return cstr(row?.data['full_name'] ?? row?.data['first_name'] ?? user);
}
