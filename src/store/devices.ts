import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/** A row of `device` (migration 7); the token itself is never stored. */
export interface DeviceRow {
  readonly id: string;
  readonly code: string;
  readonly label: string;
  readonly state: 'pending' | 'active' | 'revoked';
  readonly requested_at: string;
  readonly expires_at: string;
  readonly terminal: string | null;
  readonly approved_at: string;
  readonly approved_by: string;
  readonly revoked_at: string;
  readonly revoked_by: string;
}

const COLUMNS = `id, code, label, state, requested_at, expires_at, terminal, approved_at,
  approved_by, revoked_at, revoked_by`;

/**
 * The statements every API call runs (device, session), prepared once per connection:
 * preparing cost more than running them. Keyed weakly: a closed database's go with it.
 */
const hot = new WeakMap<Db, { device: Statement; session: Statement }>();
function hotOf(db: Db): { device: Statement; session: Statement } {
  let s = hot.get(db);
  if (!s) {
    s = {
      device: db.prepare(`SELECT ${COLUMNS} FROM device WHERE token_hash = ?`),
      session: db.prepare('SELECT * FROM cashier_session WHERE token_hash = ?'),
    };
    hot.set(db, s);
  }
  return s;
}

export const deviceByTokenHash = (db: Db, hash: string): DeviceRow | undefined =>
  hotOf(db).device.get(hash) as DeviceRow | undefined;

export const deviceByCode = (db: Db, code: string): DeviceRow | undefined =>
  db.prepare(`SELECT ${COLUMNS} FROM device WHERE code = ?`).get(code) as DeviceRow | undefined;

export const deviceById = (db: Db, id: string): DeviceRow | undefined =>
  db.prepare(`SELECT ${COLUMNS} FROM device WHERE id = ?`).get(id) as DeviceRow | undefined;

export const listDevices = (db: Db): DeviceRow[] =>
  db.prepare(`SELECT ${COLUMNS} FROM device ORDER BY requested_at, id`).all() as DeviceRow[];

/** Pairing requests still waiting for a manager (unexpired at `nowIso`). */
export const waitingPairings = (db: Db, nowIso: string): number =>
  db
    .prepare("SELECT count(*) FROM device WHERE state = 'pending' AND expires_at > ?")
    .pluck()
    .get(nowIso) as number;

export function insertDevice(
  db: Db,
  d: { id: string; tokenHash: string; code: string; label: string; at: string; expiresAt: string },
): void {
  db.prepare(
    `INSERT INTO device (id, token_hash, code, label, state, requested_at, expires_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
  ).run(d.id, d.tokenHash, d.code, d.label, d.at, d.expiresAt);
}

export const codeTaken = (db: Db, code: string): boolean =>
  db.prepare('SELECT 1 FROM device WHERE code = ?').get(code) !== undefined;

/** Binds a pending device to `terminal`; false when it was no longer pending. */
export function activateDevice(
  db: Db,
  id: string,
  terminal: string,
  at: string,
  by: string,
): boolean {
  return (
    db
      .prepare(
        `UPDATE device SET state = 'active', terminal = ?, approved_at = ?, approved_by = ?
         WHERE id = ? AND state = 'pending'`,
      )
      .run(terminal, at, by, id).changes === 1
  );
}

/** Revokes a device and ends its sessions; false when it was already revoked. */
export function revokeDeviceRow(db: Db, id: string, at: string, by: string): boolean {
  const changed = db
    .prepare(
      `UPDATE device SET state = 'revoked', revoked_at = ?, revoked_by = ?
       WHERE id = ? AND state != 'revoked'`,
    )
    .run(at, by, id).changes;
  if (changed === 0) return false;
  db.prepare(
    `UPDATE cashier_session SET ended_at = ?, end_reason = 'revoked'
     WHERE device_id = ? AND ended_at = ''`,
  ).run(at, id);
  return true;
}

/** The terminal an active device holds, by terminal. */
export const activeDeviceOf = (db: Db, terminal: string): DeviceRow | undefined =>
  db
    .prepare(`SELECT ${COLUMNS} FROM device WHERE terminal = ? AND state = 'active'`)
    .get(terminal) as DeviceRow | undefined;

/** A row of `cashier_session`. */
export interface SessionRow {
  readonly token_hash: string;
  readonly device_id: string;
  readonly cashier: string;
  readonly created_at: string;
  readonly last_seen_ms: number;
  readonly ended_at: string;
  readonly end_reason: string;
}

export const sessionByTokenHash = (db: Db, hash: string): SessionRow | undefined =>
  hotOf(db).session.get(hash) as SessionRow | undefined;

export function insertSession(
  db: Db,
  s: { tokenHash: string; deviceId: string; cashier: string; at: string; nowMs: number },
): void {
  db.prepare(
    `INSERT INTO cashier_session (token_hash, device_id, cashier, created_at, last_seen_ms)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(s.tokenHash, s.deviceId, s.cashier, s.at, s.nowMs);
}

export function touchSession(db: Db, hash: string, nowMs: number): void {
  db.prepare('UPDATE cashier_session SET last_seen_ms = ? WHERE token_hash = ?').run(nowMs, hash);
}

/** Ends the open sessions matching `where` (one token, or every one of a device). */
export function endSessions(
  db: Db,
  where: { tokenHash: string } | { deviceId: string },
  at: string,
  reason: 'logout' | 'idle' | 'revoked' | 'replaced',
): number {
  const [column, value] =
    'tokenHash' in where ? ['token_hash', where.tokenHash] : ['device_id', where.deviceId];
  return db
    .prepare(
      `UPDATE cashier_session SET ended_at = ?, end_reason = ? WHERE ${column} = ? AND ended_at = ''`,
    )
    .run(at, reason, value).changes;
}
