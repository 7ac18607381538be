import { z } from 'zod';
import { PosError, invalid } from './errors.js';
import { parseStored } from './journal-reads.js';
import { DUMMY_HASH, checkPin, hashPin, verifyPin } from './pin.js';
import type { Terminal, Tx } from './terminal.js';

type Role = 'cashier' | 'manager';

export interface Cashier {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

interface Row extends Cashier {
  pin_hash: string;
  failed_attempts: number;
  locked_until: string;
  disabled: number;
}

/** Adds a cashier (journaled as an event). The PIN is kept only as a scrypt hash. */
export function addCashier(
  term: Terminal,
  input: { id: string; name: string; pin: string; role: string },
): Cashier {
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(input.id)) {
    throw invalid('id', 'a cashier id is 1–64 letters, digits, ., _, @ or -');
  }
  if (!input.name.trim()) throw invalid('name', 'required');
  if (input.role !== 'cashier' && input.role !== 'manager') {
    throw invalid('role', 'expected cashier or manager');
  }
  checkPin(input.pin);
  const cashier: Cashier = { id: input.id, name: input.name.trim(), role: input.role };
  const hash = hashPin(input.pin);
  term.transact((tx) => {
    const exists = term.stmt('SELECT 1 FROM cashier WHERE id = ?').get(cashier.id);
    if (exists) throw invalid('id', `cashier ${cashier.id} already exists`);
    const record = tx.append({ type: 'event', body: { event: 'cashier_added', cashier } });
    term
      .stmt('INSERT INTO cashier (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(cashier.id, cashier.name, cashier.role, hash, record.header.time);
  });
  return cashier;
}

/**
 * Checks a cashier's PIN. A failure is journaled (login_failed) and counted; after
 * `lockout.maxFailures` in a row the cashier is locked for `lockout.minutes` (journaled too).
 * Unknown ids cost the same time as known ones and get the same answer.
 */
export function authenticate(term: Terminal, id: string, pin: string, field = 'pin'): Cashier {
  checkPin(pin, field);
  const row = term.stmt('SELECT * FROM cashier WHERE id = ?').get(id) as Row | undefined;
  const now = term.clock.now();
  if (row && row.locked_until && Date.parse(row.locked_until) > now) {
    term.appendAlone({
      type: 'login_failed',
      body: { cashier_id: id, reason: 'locked', locked_until: row.locked_until },
    });
    throw new PosError(
      'LockedOut',
      `cashier ${id} is locked after too many wrong PINs until ${row.locked_until}`,
      field,
    );
  }
  const ok = verifyPin(pin, row?.pin_hash ?? DUMMY_HASH) && row !== undefined && !row.disabled;
  if (!ok) {
    const { maxFailures, minutes } = term.settings.lockout;
    term.transact((tx) => {
      const failures = (row?.failed_attempts ?? 0) + 1;
      const lock = row !== undefined && failures >= maxFailures;
      tx.append({
        type: 'login_failed',
        body: { cashier_id: id, reason: row ? 'wrong_pin' : 'unknown_cashier', failures },
      });
      if (row) {
        const until = lock ? new Date(now + minutes * 60_000).toISOString() : '';
        term
          .stmt('UPDATE cashier SET failed_attempts = ?, locked_until = ? WHERE id = ?')
          .run(lock ? 0 : failures, until, id);
        if (lock) {
          tx.append({
            type: 'event',
            body: { event: 'cashier_locked', cashier_id: id, until, failures },
          });
        }
      }
    });
    throw new PosError('AuthenticationFailed', 'unknown cashier or wrong PIN', field);
  }
  if (row.failed_attempts !== 0 || row.locked_until) {
    term.stmt("UPDATE cashier SET failed_attempts = 0, locked_until = '' WHERE id = ?").run(id);
  }
  return { id: row.id, name: row.name, role: row.role };
}

/** A manager's PIN, for an approval. */
export function authenticateManager(term: Terminal, id: string, pin: string): Cashier {
  const m = authenticate(term, id, pin, 'manager_pin');
  if (m.role !== 'manager') {
    throw new PosError('NotPermitted', `${id} is not a manager and cannot approve`, 'manager');
  }
  return m;
}

const sessionSchema = z.object({ cashier: z.string(), seq: z.number().int().min(1) });

/**
 * Journals a login when `cashier` is not the one logged in on the till, inside the caller's
 * transaction; returns the seq of the login record the caller's records are bound to.
 */
export function ensureLogin(term: Terminal, tx: Tx, cashier: Cashier): number {
  const session = term.localState('session');
  if (session) {
    const s = parseStored(sessionSchema, session, 'terminal_state session');
    if (s.cashier === cashier.id) return s.seq;
    tx.append({
      type: 'logout',
      body: { cashier_id: s.cashier, reason: 'another cashier logged in' },
    });
  }
  const record = tx.append({ type: 'login', body: { cashier, method: 'pin' } });
  term.setLocalState('session', JSON.stringify({ cashier: cashier.id, seq: record.header.seq }));
  return record.header.seq;
}

/** An approval recorded as an override record; returns its seq for the approved record's body. */
export function recordApproval(
  tx: Tx,
  manager: Cashier,
  cashier: Cashier,
  action: string,
  detail: Record<string, unknown>,
): number {
  return tx.append({
    type: 'override',
    body: {
      action,
      detail,
      manager: { id: manager.id, name: manager.name },
      cashier_id: cashier.id,
    },
  }).header.seq;
}

/** A manager forces the till offline for `hours` (0 ends it); journaled as an override. */
export function forceOffline(term: Terminal, manager: Cashier, hours: number): string {
  if (!Number.isFinite(hours) || hours < 0 || hours > 168) {
    throw invalid('hours', 'expected 0 to 168 hours');
  }
  const until = new Date(term.clock.now() + hours * 3_600_000).toISOString();
  term.transact((tx) => {
    ensureLogin(term, tx, manager);
    recordApproval(tx, manager, manager, 'force_offline', { hours, until });
    term.setState('forced_offline_until', until);
  });
  return until;
}
