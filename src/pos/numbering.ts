import type { Terminal } from './terminal.js';

/**
 * The next number of a series, e.g. `NORTH-T1-2026-000042`. Call inside the sale's transaction:
 * the counter, the journal record and the outbox row then commit together, so the series has
 * no gaps and no number is used twice. A new year starts a new series at 1.
 */
export function nextNumber(term: Terminal, prefix: string): string {
  const n = term
    .stmt(
      `INSERT INTO invoice_series (prefix, last_no) VALUES (?, 1)
       ON CONFLICT (prefix) DO UPDATE SET last_no = last_no + 1 RETURNING last_no`,
    )
    .pluck()
    .get(prefix) as number;
  return `${prefix}${String(n).padStart(6, '0')}`;
}

/** `{store}-{terminal}-{YYYY}-`; training sales get their own `TRAIN-` series. */
export function seriesPrefix(term: Terminal, year: string, training: boolean): string {
  const { storeId, terminalId } = term.settings;
  return `${training ? 'TRAIN-' : ''}${storeId}-${terminalId}-${year}-`;
}
