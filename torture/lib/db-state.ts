import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Per table: its row count and a digest of its rows (catalog tables: count only). */
export type DbState = ReadonlyMap<string, string>;

/**
 * The pulled catalog is large and no API request writes it: its tables are compared by row
 * count only, so a snapshot stays cheap enough to take around every rejected write.
 */
const CATALOG = /^(item|item_.*|customer|customer_fts.*|bin|doc|doc_stage|sync_state)$/;

/**
 * Columns a rejected request may move by design: a valid session's idle clock moves on
 * every authenticated call, whatever the call's outcome (pos/sessions.ts).
 */
const VOLATILE: Readonly<Record<string, readonly string[]>> = {
  cashier_session: ['last_seen_ms'],
};

/**
 * Snapshots of a store database over a read-only connection of its own (WAL: it sees each
 * committed write), to prove that a refused request changed nothing.
 */
export class DbStateProbe {
  private readonly db: Database.Database;
  private readonly tables: readonly {
    name: string;
    count: Database.Statement;
    rows: Database.Statement | null;
  }[];

  constructor(dir: string) {
    this.db = new Database(join(dir, 'store.db'), { readonly: true, fileMustExist: true });
    const names = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    this.tables = names.map((name) => {
      const count = this.db.prepare(`SELECT count(*) FROM "${name}"`).pluck();
      if (CATALOG.test(name)) return { name, count, rows: null };
      const columns = (
        this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]
      ).filter((c) => !(VOLATILE[name] ?? []).includes(c));
      const select = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${name}"`;
      return { name, count, rows: this.db.prepare(select).raw() };
    });
  }

  snapshot(): DbState {
    const state = new Map<string, string>();
    for (const t of this.tables) {
      const count = t.count.get() as number;
      if (t.rows === null) {
        state.set(t.name, `${count}`);
        continue;
      }
      const h = createHash('sha256');
      for (const row of t.rows.iterate()) h.update(JSON.stringify(row));
      state.set(t.name, `${count}:${h.digest('hex').slice(0, 16)}`);
    }
    return state;
  }

  close(): void {
    this.db.close();
  }
}

/** The tables whose count or rows differ between two snapshots. */
export function changedTables(before: DbState, after: DbState): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}
