import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import type { Db } from './db.js';

/** The till's last journaled connectivity state (terminal_state `connectivity`). */
export const ConnectivityStateSchema = z.object({
  state: z.enum(['unknown', 'online', 'offline', 'forced_offline']),
  /** When it changed to this state (ISO). */
  since: z.string(),
  reason: z.string(),
  /** The signed `connectivity_changed` record. */
  seq: z.number().int().min(1),
});
export type StoredConnectivity = z.output<typeof ConnectivityStateSchema>;

export const CONNECTIVITY_KEY = 'connectivity';
/** When ERPNext last answered anything (a ping): the till's offline boundaries count from it. */
export const LAST_ANSWER_KEY = 'erp_last_answer_at';

const value = (db: Db, key: string): string | undefined =>
  db.prepare('SELECT value FROM terminal_state WHERE key = ?').pluck().get(key) as
    string | undefined;

/** The last journaled state and when ERPNext last answered; nulls before the first. */
export function readConnectivity(db: Db): {
  last: StoredConnectivity | null;
  last_answer_at: string | null;
} {
  const hasState =
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'terminal_state'")
      .get() !== undefined;
  if (!hasState) return { last: null, last_answer_at: null };
  const text = value(db, CONNECTIVITY_KEY);
  return {
    last:
      text === undefined
        ? null
        : parseJsonWith(ConnectivityStateSchema, text, `terminal_state ${CONNECTIVITY_KEY}`),
    last_answer_at: value(db, LAST_ANSWER_KEY) ?? null,
  };
}

/** Epoch ms a manager forced the till offline until (`outpost terminal offline`), or null. */
export function forcedOfflineUntil(db: Db): number | null {
  const until = value(db, 'forced_offline_until');
  const ms = until === undefined ? NaN : Date.parse(until);
  return Number.isNaN(ms) ? null : ms;
}
