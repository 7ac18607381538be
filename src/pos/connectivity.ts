import {
  CONNECTIVITY_KEY,
  ConnectivityStateSchema,
  LAST_ANSWER_KEY,
  forcedOfflineUntil as forcedUntil,
} from '../store/connectivity-state.js';
import type { Terminal } from './terminal.js';

/**
 * Journals a connectivity change as a signed `connectivity_changed` event {from, to, reason}
 * and keeps it as the till's current state (what `outpost status` shows, and since when).
 */
export function recordConnectivity(
  term: Terminal,
  change: { from: string; to: string; reason: string },
): number {
  return term.transact((tx) => {
    const record = tx.append({
      type: 'event',
      body: {
        event: 'connectivity_changed',
        from: change.from,
        to: change.to,
        reason: change.reason,
      },
    });
    const stored = ConnectivityStateSchema.parse({
      state: change.to,
      since: record.header.time,
      reason: change.reason,
      seq: record.header.seq,
    });
    term.setState(CONNECTIVITY_KEY, JSON.stringify(stored));
    return record.header.seq;
  });
}

/** ERPNext answered at `at` (epoch ms): not journaled (every ping would be a record). */
export function noteErpAnswer(term: Terminal, at: number): void {
  term.setState(LAST_ANSWER_KEY, new Date(at).toISOString());
}

/** When a manager forced the till offline until (epoch ms), or null. */
export function forcedOfflineUntil(term: Terminal): number | null {
  return forcedUntil(term.db);
}
