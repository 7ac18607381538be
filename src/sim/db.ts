import Database from 'better-sqlite3';
import { BULK_LOADING, BulkLoader } from './db-bulk.js';
import { DuplicateRowError, InterruptedLoadError, UniqueFieldError } from './db-errors.js';
import {
  toParams,
  toStored,
  type EncodedRow,
  type FlatValue,
  type RawRow,
  type StoredRow,
} from './db-rows.js';
import { SCHEMA } from './db-schema.js';

/** SQL-quote a string literal (only for DDL, where parameters are not allowed). */
const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * The simulator's SQLite store: every doctype's rows in one `docs` table (data as JSON), the
 * naming-series counters, stored secrets and sessions. Writes are synchronous; callers group a
 * request's writes with `transaction` so an error path never commits.
 */
export class SimDb {
  readonly sql: Database.Database;
  private readonly stmts;
  private readonly bulk: BulkLoader;

  private constructor(path: string) {
    this.sql = new Database(path);
    this.sql.pragma('journal_mode = WAL');
    this.sql.pragma('synchronous = NORMAL');
    this.sql.exec(SCHEMA);
    this.stmts = {
      get: this.sql.prepare<[string, string], RawRow>(
        'SELECT * FROM docs WHERE doctype = ? AND name = ?',
      ),
      exists: this.sql.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM docs WHERE doctype = ? AND name = ?',
      ),
      names: this.sql.prepare<[string], string>('SELECT name FROM docs WHERE doctype = ?').pluck(),
      many: this.sql.prepare<[string, string], RawRow>(
        'SELECT * FROM docs WHERE doctype = ? AND name IN (SELECT value FROM json_each(?))',
      ),
      children: this.sql.prepare<[string, string], RawRow>(
        'SELECT * FROM docs WHERE parent = ? AND parenttype = ? ORDER BY parentfield, idx',
      ),
      insert: this.sql.prepare<[RawRow]>(
        `INSERT INTO docs (doctype, name, parent, parentfield, parenttype, idx, docstatus,
           creation, modified, data)
         VALUES (@doctype, @name, @parent, @parentfield, @parenttype, @idx, @docstatus,
           @creation, @modified, @data)`,
      ),
      update: this.sql.prepare<[RawRow]>(
        `UPDATE docs SET parent = @parent, parentfield = @parentfield, parenttype = @parenttype,
           idx = @idx, docstatus = @docstatus, creation = @creation, modified = @modified,
           data = @data
         WHERE doctype = @doctype AND name = @name`,
      ),
      delete: this.sql.prepare<[string, string]>('DELETE FROM docs WHERE doctype = ? AND name = ?'),
      deleteChildren: this.sql.prepare<[string, string]>(
        'DELETE FROM docs WHERE parent = ? AND parenttype = ?',
      ),
      seriesGet: this.sql.prepare<[string], { current: number }>(
        'SELECT current FROM series WHERE name = ?',
      ),
      seriesSet: this.sql.prepare<[string, number]>(
        'INSERT INTO series (name, current) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET current = excluded.current',
      ),
      uniqueIndex: this.sql.prepare<[string], { doctype: string; fieldname: string }>(
        'SELECT doctype, fieldname FROM unique_indexes WHERE index_name = ?',
      ),
    };
    this.bulk = new BulkLoader(this.sql);
  }

  /** Global defaults (Frappe's __default DefaultValue rows: company, currency, language …). */
  getDefaults(): Record<string, string> {
    const rows = this.sql
      .prepare<[], { key: string; value: string }>('SELECT * FROM defaults')
      .all();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  setDefault(key: string, value: string): void {
    this.sql
      .prepare(
        'INSERT INTO defaults (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /**
   * Open (or create) a database file; ':memory:' for tests. Refuses a file whose bulk load
   * (the demo seed) never finished: it ran without journal or fsync, so the process dying
   * half-way leaves a site that is incomplete, possibly corrupt, and must be loaded afresh.
   */
  static open(path: string): SimDb {
    const db = new SimDb(path);
    if (db.sql.pragma('user_version', { simple: true }) === BULK_LOADING) {
      db.close();
      throw new InterruptedLoadError(path);
    }
    return db;
  }

  close(): void {
    this.sql.close();
  }

  /** Run `fn` in one write transaction; any throw rolls every write back. */
  transaction<T>(fn: () => T): T {
    return this.sql.transaction(fn).immediate();
  }

  get(doctype: string, name: string): StoredRow | undefined {
    const r = this.stmts.get.get(doctype, name);
    return r && toStored(r);
  }

  /**
   * Rows of a doctype by name, in the order of `names` (one query for a list that would
   * otherwise cost one each); a name not stored is left out.
   */
  getMany(doctype: string, names: readonly string[]): StoredRow[] {
    const byName = new Map<string, RawRow>();
    for (const r of this.stmts.many.all(doctype, JSON.stringify(names))) byName.set(r.name, r);
    return names.flatMap((n) => {
      const r = byName.get(n);
      return r ? [toStored(r)] : [];
    });
  }

  /** Every name of a doctype (parents and child rows alike). */
  names(doctype: string): string[] {
    return this.stmts.names.all(doctype);
  }

  exists(doctype: string, name: string): boolean {
    return this.stmts.exists.get(doctype, name) !== undefined;
  }

  /** Child rows of a parent, grouped by table field and ordered by idx. */
  children(parenttype: string, parent: string): StoredRow[] {
    return this.stmts.children.all(parent, parenttype).map(toStored);
  }

  /**
   * Insert a row; maps SQLite constraint failures to DuplicateRowError / UniqueFieldError. A
   * taken name is the primary key's error even when a unique field holds the same value (a
   * doctype named by its unique field): InnoDB checks the clustered index before secondary
   * ones, so MariaDB names 'PRIMARY' (recording 047, Item named by its unique item_code),
   * while SQLite may report the other index first.
   */
  insert(row: StoredRow): void {
    try {
      this.stmts.insert.run(toParams(row));
    } catch (e) {
      const mapped = this.mapConstraint(e, row);
      if (mapped instanceof UniqueFieldError && this.get(row.doctype, row.name)) {
        throw new DuplicateRowError(row.doctype, row.name);
      }
      throw mapped;
    }
  }

  update(row: StoredRow): void {
    try {
      this.stmts.update.run(toParams(row));
    } catch (e) {
      throw this.mapConstraint(e, row);
    }
  }

  delete(doctype: string, name: string): void {
    this.stmts.delete.run(doctype, name);
  }

  deleteChildren(parenttype: string, parent: string): void {
    this.stmts.deleteChildren.run(parent, parenttype);
  }

  /**
   * Insert many rows fast: rows go in as given (no validation, no naming), `batchSize` rows per
   * transaction, each row written as soon as it is produced. For seeding and benchmarks.
   * Returns the row count.
   */
  bulkInsert(rows: Iterable<StoredRow | EncodedRow>, batchSize?: number): number {
    return this.bulk.insert(rows, batchSize);
  }

  /** `bulkInsert` for rows already flattened, as a seed generator in another thread sends them. */
  bulkInsertFlat(batches: Iterable<readonly FlatValue[]>, batchSize?: number): number {
    return this.bulk.insertFlat(batches, batchSize);
  }

  /** tabSeries: bump and return the counter for `prefix` (call inside the insert's transaction). */
  nextSeries(prefix: string): number {
    const next = (this.stmts.seriesGet.get(prefix)?.current ?? 0) + 1;
    this.stmts.seriesSet.run(prefix, next);
    return next;
  }

  /** Set a series counter (seeding: continue numbering where another site left off). */
  setSeries(prefix: string, current: number): void {
    this.stmts.seriesSet.run(prefix, current);
  }

  currentSeries(prefix: string): number {
    return this.stmts.seriesGet.get(prefix)?.current ?? 0;
  }

  /**
   * Enforce a `unique` field with a partial unique index on its JSON value, so a duplicate is
   * refused by the constraint inside the insert itself, never by a racy look-up first.
   */
  ensureUniqueIndex(doctype: string, fieldname: string): void {
    if (!/^[a-z0-9_]+$/i.test(fieldname)) throw new Error(`bad fieldname ${fieldname}`);
    const indexName = `uq_${Buffer.from(`${doctype}\u0000${fieldname}`).toString('hex')}`;
    this.sql.exec(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${indexName} ON docs (json_extract(data, '$.${fieldname}'))
       WHERE doctype = ${literal(doctype)}`,
    );
    this.sql
      .prepare(
        'INSERT OR IGNORE INTO unique_indexes (index_name, doctype, fieldname) VALUES (?, ?, ?)',
      )
      .run(indexName, doctype, fieldname);
  }

  private mapConstraint(e: unknown, row: StoredRow): unknown {
    if (!(e instanceof Error) || !('code' in e) || e.code !== 'SQLITE_CONSTRAINT_UNIQUE') return e;
    const index = /index '([^']+)'/.exec(e.message)?.[1];
    const unique = index === undefined ? undefined : this.stmts.uniqueIndex.get(index);
    if (unique) return new UniqueFieldError(unique.doctype, unique.fieldname);
    return new DuplicateRowError(row.doctype, row.name);
  }
}
