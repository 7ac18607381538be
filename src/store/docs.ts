import type { Db } from './db.js';

/**
 * Small reads the till's commands make on the pulled cache and the till's own state, outside a
 * Terminal (which needs the store id before it can be built).
 */

/** A pulled document's stored JSON text, or undefined. */
export function docText(db: Db, doctype: string, name: string): string | undefined {
  return db
    .prepare('SELECT data FROM doc WHERE doctype = ? AND name = ?')
    .pluck()
    .get(doctype, name) as string | undefined;
}

/** The first enabled customer by name, or '' (a price needs some customer). */
export function firstActiveCustomer(db: Db): string {
  return (
    (db
      .prepare('SELECT name FROM customer WHERE disabled = 0 ORDER BY name LIMIT 1')
      .pluck()
      .get() as string | undefined) ?? ''
  );
}

/** A value of the till's key-value state, or undefined. */
export function terminalState(db: Db, key: string): string | undefined {
  const v = db.prepare('SELECT value FROM terminal_state WHERE key = ?').pluck().get(key);
  return typeof v === 'string' ? v : undefined;
}

/** Sets a value of the till's state once; an existing value is kept (first writer wins). */
export function fixTerminalState(db: Db, key: string, value: string): void {
  db.prepare('INSERT OR IGNORE INTO terminal_state (key, value) VALUES (?, ?)').run(key, value);
}

/** Chain seqs of a terminal's anchor_missing events (its head.json was missing before them). */
export function anchorMissingSeqs(db: Db, terminal: string): number[] {
  // A backup made before several terminals (read-only, not migrated) has one chain: seq.
  const perTerminal = db
    .prepare("SELECT 1 FROM pragma_table_info('journal') WHERE name = 'chain_seq'")
    .get();
  const seq = perTerminal ? 'chain_seq' : 'seq';
  return db
    .prepare(
      `SELECT ${seq} FROM journal WHERE terminal = ? AND type = 'event'
       AND json_extract(body, '$.event') = 'anchor_missing' ORDER BY ${seq}`,
    )
    .pluck()
    .all(terminal) as number[];
}
