import Database from 'better-sqlite3';
import { parseStoredDoc } from './stored-json.js';

/** One stored row: a parent document or a child-table row. `data` holds every column value. */
export interface StoredRow {
  readonly doctype: string;
  readonly name: string;
  readonly parent: string | null;
  readonly parentfield: string | null;
  readonly parenttype: string | null;
  readonly idx: number;
  readonly docstatus: number;
  readonly creation: string;
  readonly modified: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A row whose `data` is already JSON text (bulk loads serialize as they shape). */
export interface EncodedRow extends Omit<StoredRow, 'data'> {
  readonly json: string;
}

/** A row with this (doctype, name) already exists: Frappe's primary-key collision. */
export class DuplicateRowError extends Error {
  constructor(
    readonly doctype: string,
    readonly docname: string,
  ) {
    super(`Duplicate entry '${docname}' for key 'PRIMARY'`);
    this.name = 'DuplicateRowError';
  }
}

/** A `unique` field already holds this value in another document of the doctype. */
export class UniqueFieldError extends Error {
  constructor(
    readonly doctype: string,
    readonly fieldname: string,
  ) {
    super(`Duplicate entry for key '${fieldname}'`);
    this.name = 'UniqueFieldError';
  }
}

/** One value of a flat row (`SimDb.bulkInsertFlat`). */
export type FlatValue = string | number | null;

/** Values per flat row: the `docs` columns. */
export const FLAT_ROW_WIDTH = 10;

/** Rows per multi-row INSERT in `bulkInsertFlat`. */
const FLAT_ROWS_PER_INSERT = 50;

/** `PRAGMA user_version` while a bulk load runs (see `SimDb.open`). */
const BULK_LOADING = 0x5eed;

/** The database file holds a bulk load (a demo seed) that never finished. */
export class InterruptedLoadError extends Error {
  constructor(readonly path: string) {
    super(
      `${path}: a bulk load (the demo seed) did not finish, so the site is incomplete; ` +
        'delete the file (and its -wal, -shm) to load it afresh',
    );
    this.name = 'InterruptedLoadError';
  }
}

// Names compare case-insensitively, as under MariaDB's utf8mb4_unicode_ci collation: a second
// "ar-stock-1" is a duplicate of "AR-STOCK-1" and a lookup finds either spelling.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  doctype TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE,
  parent TEXT COLLATE NOCASE, parentfield TEXT, parenttype TEXT,
  idx INTEGER NOT NULL DEFAULT 0, docstatus INTEGER NOT NULL DEFAULT 0,
  creation TEXT NOT NULL, modified TEXT NOT NULL, data TEXT NOT NULL,
  UNIQUE (doctype, name)
);
CREATE INDEX IF NOT EXISTS docs_modified ON docs (doctype, modified, name);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (parent, parenttype) WHERE parent IS NOT NULL;
-- Child rows of many parents at once (a pull's page of items and their barcodes).
CREATE INDEX IF NOT EXISTS docs_child ON docs (doctype, parent, parentfield, idx)
  WHERE parent IS NOT NULL;
-- Item.validate's "barcode already used" look-up, which otherwise scans every barcode.
CREATE INDEX IF NOT EXISTS docs_barcode ON docs (json_extract(data, '$.barcode'))
  WHERE doctype = 'Item Barcode';
CREATE TABLE IF NOT EXISTS series (name TEXT PRIMARY KEY, current INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unique_indexes (
  index_name TEXT PRIMARY KEY, doctype TEXT NOT NULL, fieldname TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS auth (
  doctype TEXT NOT NULL, name TEXT NOT NULL, fieldname TEXT NOT NULL, secret TEXT NOT NULL,
  PRIMARY KEY (doctype, name, fieldname)
);
CREATE INDEX IF NOT EXISTS auth_secret ON auth (fieldname, secret);
CREATE TABLE IF NOT EXISTS defaults (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  sid TEXT PRIMARY KEY, user TEXT NOT NULL, csrf_token TEXT
);
`;

interface RawRow {
  doctype: string;
  name: string;
  parent: string | null;
  parentfield: string | null;
  parenttype: string | null;
  idx: number;
  docstatus: number;
  creation: string;
  modified: string;
  data: string;
}

const toStored = (r: RawRow): StoredRow => ({
  ...r,
  data: parseStoredDoc(r.data, `docs: ${r.doctype} ${r.name}`),
});
const toParams = (r: StoredRow): RawRow => ({
  doctype: r.doctype,
  name: r.name,
  parent: r.parent,
  parentfield: r.parentfield,
  parenttype: r.parenttype,
  idx: r.idx,
  docstatus: r.docstatus,
  creation: r.creation,
  modified: r.modified,
  data: JSON.stringify(r.data),
});

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
      bulkInsert: this.sql.prepare<
        [
          string,
          string,
          string | null,
          string | null,
          string | null,
          number,
          number,
          string,
          string,
          string,
        ]
      >(
        `INSERT INTO docs (doctype, name, parent, parentfield, parenttype, idx, docstatus,
           creation, modified, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      begin: this.sql.prepare('BEGIN IMMEDIATE'),
      commit: this.sql.prepare('COMMIT'),
      rollback: this.sql.prepare('ROLLBACK'),
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

  /** Insert a row; maps SQLite constraint failures to DuplicateRowError / UniqueFieldError. */
  insert(row: StoredRow): void {
    try {
      this.stmts.insert.run(toParams(row));
    } catch (e) {
      throw this.mapConstraint(e, row);
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
   * transaction, each row written as soon as it is produced (a batch is never held in memory).
   * For seeding and benchmarks. Returns the row count.
   */
  bulkInsert(rows: Iterable<StoredRow | EncodedRow>, batchSize = 50_000): number {
    if (this.sql.inTransaction) throw new Error('bulkInsert: not inside a transaction');
    let count = 0;
    let pending = 0;
    this.loading(() => {
      try {
        for (const row of rows) {
          if (pending === 0) this.stmts.begin.run();
          this.stmts.bulkInsert.run(
            row.doctype,
            row.name,
            row.parent,
            row.parentfield,
            row.parenttype,
            row.idx,
            row.docstatus,
            row.creation,
            row.modified,
            'json' in row ? row.json : JSON.stringify(row.data),
          );
          count++;
          if (++pending >= batchSize) {
            this.stmts.commit.run();
            pending = 0;
          }
        }
        if (pending > 0) this.stmts.commit.run();
      } catch (e) {
        if (this.sql.inTransaction) this.stmts.rollback.run();
        throw e;
      }
    });
    return count;
  }

  /**
   * `bulkInsert` for rows already flattened: each batch holds `FLAT_ROW_WIDTH` values per row,
   * in `docs` column order (doctype, name, parent, parentfield, parenttype, idx, docstatus,
   * creation, modified, data as JSON text), as a seed generator in another thread sends them.
   * Rows go in `FLAT_ROWS_PER_INSERT` at a time (one multi-row INSERT: a tenth of the per-row
   * calls into SQLite), about `batchSize` rows per transaction. Returns the row count.
   */
  bulkInsertFlat(batches: Iterable<readonly FlatValue[]>, batchSize = 50_000): number {
    if (this.sql.inTransaction) throw new Error('bulkInsertFlat: not inside a transaction');
    const W = FLAT_ROW_WIDTH;
    const many = this.sql.prepare<FlatValue[]>(
      `INSERT INTO docs (doctype, name, parent, parentfield, parenttype, idx, docstatus,
         creation, modified, data) VALUES ${Array.from({ length: FLAT_ROWS_PER_INSERT }, () => `(${Array.from({ length: W }, () => '?').join(', ')})`).join(', ')}`,
    );
    const one = this.sql.prepare<FlatValue[]>(
      `INSERT INTO docs (doctype, name, parent, parentfield, parenttype, idx, docstatus,
         creation, modified, data) VALUES (${Array.from({ length: W }, () => '?').join(', ')})`,
    );
    let count = 0;
    let pending = 0;
    this.loading(() => {
      try {
        for (const values of batches) {
          if (values.length % W !== 0) throw new Error('bulkInsertFlat: a partial row');
          if (pending === 0) this.stmts.begin.run();
          const chunk = FLAT_ROWS_PER_INSERT * W;
          let i = 0;
          for (; i + chunk <= values.length; i += chunk) many.run(...values.slice(i, i + chunk));
          for (; i < values.length; i += W) one.run(...values.slice(i, i + W));
          count += values.length / W;
          pending += values.length / W;
          if (pending >= batchSize) {
            this.stmts.commit.run();
            pending = 0;
          }
        }
        if (pending > 0) this.stmts.commit.run();
      } catch (e) {
        if (this.sql.inTransaction) this.stmts.rollback.run();
        throw e;
      }
    });
    return count;
  }

  /**
   * Settings for a big write, restored after: a big page cache (SQLite's default is 2 MB) and
   * the rollback journal in memory instead of the WAL, so that the rows go to the file once,
   * not to the WAL and again at checkpoint (pages appended to the file are not even journaled;
   * ROLLBACK still works). A load that dies half-way leaves a site to reload from scratch.
   */
  private loading(fn: () => void): void {
    const cacheSize = this.sql.pragma('cache_size', { simple: true }) as number;
    const journal = this.sql.pragma('journal_mode', { simple: true }) as string;
    const synchronous = this.sql.pragma('synchronous', { simple: true }) as number;
    const version = this.sql.pragma('user_version', { simple: true }) as number;
    // Marked (durably, before the unsafe settings) until the load is done: `open` refuses a
    // file still marked, so a load the process did not survive is never served as a site.
    this.sql.pragma(`user_version = ${BULK_LOADING}`);
    this.sql.pragma('cache_size = -262144');
    this.sql.pragma('synchronous = OFF');
    if (journal === 'wal') this.sql.pragma('journal_mode = MEMORY');
    let done = false;
    try {
      fn();
      done = true;
    } finally {
      if (journal === 'wal') this.sql.pragma('journal_mode = WAL');
      this.sql.pragma(`synchronous = ${Math.trunc(synchronous)}`);
      this.sql.pragma(`cache_size = ${Math.trunc(cacheSize)}`);
      if (done) this.sql.pragma(`user_version = ${Math.trunc(version)}`);
    }
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
