import type { Db } from './db.js';

/** A terminal the node holds (migration 6's `terminal` table). */
export interface TerminalRow {
  readonly name: string;
  readonly created_at: string;
  /** '' while it sells. */
  readonly retired_at: string;
}

/** The node's terminals, by name. */
export function listTerminals(db: Db): TerminalRow[] {
  return db
    .prepare('SELECT name, created_at, retired_at FROM terminal ORDER BY name')
    .all() as TerminalRow[];
}

export function findTerminal(db: Db, name: string): TerminalRow | undefined {
  return db
    .prepare('SELECT name, created_at, retired_at FROM terminal WHERE name = ?')
    .get(name) as TerminalRow | undefined;
}

/** Registers `name` (kept as it is when known); true when it was new. */
export function registerTerminal(db: Db, name: string, at: string): boolean {
  return (
    db.prepare('INSERT OR IGNORE INTO terminal (name, created_at) VALUES (?, ?)').run(name, at)
      .changes === 1
  );
}
