import type Database from 'better-sqlite3';
import type { EncodedRow, FlatValue, StoredRow } from './db-rows.js';

/** Values per flat row: the `docs` columns. */
const FLAT_ROW_WIDTH = 10;

/** Rows per multi-row INSERT in `bulkInsertFlat`. */
const FLAT_ROWS_PER_INSERT = 50;

/** `PRAGMA user_version` while a bulk load runs (see `SimDb.open`). */
export const BULK_LOADING = 0x5eed;

/** The simulator store's bulk loads (`SimDb.bulkInsert`, `SimDb.bulkInsertFlat`). */
export class BulkLoader {
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly row: Database.Statement<
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
  >;

  constructor(private readonly sql: Database.Database) {
    this.begin = sql.prepare('BEGIN IMMEDIATE');
    this.commit = sql.prepare('COMMIT');
    this.rollback = sql.prepare('ROLLBACK');
    this.row = sql.prepare(
      `INSERT INTO docs (doctype, name, parent, parentfield, parenttype, idx, docstatus,
           creation, modified, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /**
   * Insert many rows fast: rows go in as given (no validation, no naming), `batchSize` rows per
   * transaction, each row written as soon as it is produced (a batch is never held in memory).
   * For seeding and benchmarks. Returns the row count.
   */
  insert(rows: Iterable<StoredRow | EncodedRow>, batchSize = 50_000): number {
    if (this.sql.inTransaction) throw new Error('bulkInsert: not inside a transaction');
    let count = 0;
    let pending = 0;
    this.loading(() => {
      try {
        for (const row of rows) {
          if (pending === 0) this.begin.run();
          this.row.run(
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
            this.commit.run();
            pending = 0;
          }
        }
        if (pending > 0) this.commit.run();
      } catch (e) {
        if (this.sql.inTransaction) this.rollback.run();
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
  insertFlat(batches: Iterable<readonly FlatValue[]>, batchSize = 50_000): number {
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
          if (pending === 0) this.begin.run();
          const chunk = FLAT_ROWS_PER_INSERT * W;
          let i = 0;
          for (; i + chunk <= values.length; i += chunk) many.run(...values.slice(i, i + chunk));
          for (; i < values.length; i += W) one.run(...values.slice(i, i + W));
          count += values.length / W;
          pending += values.length / W;
          if (pending >= batchSize) {
            this.commit.run();
            pending = 0;
          }
        }
        if (pending > 0) this.commit.run();
      } catch (e) {
        if (this.sql.inTransaction) this.rollback.run();
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
}
