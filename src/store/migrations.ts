import type Database from 'better-sqlite3';
import { LOYALTY_SQL } from './loyalty-schema.js';
import { PUSH_SQL } from './push-schema.js';
import { SALES_SQL } from './sales-schema.js';
import { TERMINALS_SQL } from './terminals-schema.js';
import { DEVICES_SQL } from './devices-schema.js';

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Versioned schema. Each migration and its bookkeeping row commit in one transaction, so a crash
 * leaves the database at a whole version. Never edit a shipped migration: add a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'master-data cache',
    sql: `
      -- Every pulled ERPNext document, as its REST API returned it (child tables inline).
      CREATE TABLE doc (
        doctype TEXT NOT NULL,
        name TEXT NOT NULL,
        modified TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (doctype, name)
      ) WITHOUT ROWID;

      -- Hot-path projections of the cache, kept in step by store/catalog.ts.
      CREATE TABLE item (
        id INTEGER PRIMARY KEY,
        item_code TEXT NOT NULL UNIQUE,
        item_name TEXT NOT NULL,
        item_group TEXT NOT NULL,
        brand TEXT NOT NULL,
        stock_uom TEXT NOT NULL,
        is_stock_item INTEGER NOT NULL,
        disabled INTEGER NOT NULL,
        has_variants INTEGER NOT NULL
      );
      -- Carries the item's own columns so a scan is one descent here, not a second into item;
      -- rewritten with the item on every change. Disabled items have no rows here.
      CREATE TABLE item_barcode (
        barcode TEXT PRIMARY KEY,
        item_code TEXT NOT NULL,
        uom TEXT NOT NULL,
        item_name TEXT NOT NULL,
        item_group TEXT NOT NULL,
        brand TEXT NOT NULL,
        stock_uom TEXT NOT NULL,
        is_stock_item INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX item_barcode_item ON item_barcode (item_code);
      -- Item Prices and Bins live only here (not in doc): they are most of the rows, and these
      -- columns are all the engine reads. Clustered on the lookup key: one B-tree descent.
      CREATE TABLE item_price (
        item_code TEXT NOT NULL,
        price_list TEXT NOT NULL,
        customer TEXT NOT NULL,
        uom TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        name TEXT NOT NULL,
        valid_upto TEXT NOT NULL,
        price_list_rate TEXT NOT NULL,
        currency TEXT NOT NULL,
        packing_unit TEXT NOT NULL,
        batch_no TEXT NOT NULL,
        supplier TEXT NOT NULL,
        modified TEXT NOT NULL,
        PRIMARY KEY (item_code, price_list, customer, uom, valid_from, name)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX item_price_name ON item_price (name);
      -- Enabled items only; code matches weigh most, then the name, then barcodes.
      CREATE VIRTUAL TABLE item_fts USING fts5 (item_code, item_name, barcodes, prefix = '2 3', tokenize = 'unicode61');
      INSERT INTO item_fts (item_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0)');
      CREATE TABLE customer (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        customer_name TEXT NOT NULL,
        customer_group TEXT NOT NULL,
        mobile_no TEXT NOT NULL,
        email_id TEXT NOT NULL,
        loyalty_program TEXT NOT NULL,
        disabled INTEGER NOT NULL
      );
      -- phone_rev holds the phone's digits reversed, so a prefix query finds a number by its ending.
      CREATE VIRTUAL TABLE customer_fts USING fts5 (name, customer_name, mobile_no, email_id, phone_rev, prefix = '2 3', tokenize = 'unicode61');
      CREATE TABLE bin (
        item_code TEXT NOT NULL,
        warehouse TEXT NOT NULL,
        actual_qty TEXT NOT NULL,
        reserved_qty TEXT NOT NULL,
        projected_qty TEXT NOT NULL,
        name TEXT NOT NULL,
        modified TEXT NOT NULL,
        PRIMARY KEY (item_code, warehouse)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX bin_name ON bin (name);

      -- Pull bookkeeping: a keyset cursor per doctype, written with each applied batch.
      CREATE TABLE sync_state (
        doctype TEXT PRIMARY KEY,
        cursor_modified TEXT NOT NULL DEFAULT '',
        cursor_name TEXT NOT NULL DEFAULT '',
        deleted_cursor TEXT NOT NULL DEFAULT '',
        last_pull_at TEXT NOT NULL DEFAULT '',
        last_ok_at TEXT NOT NULL DEFAULT '',
        complete INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      -- Rows fetched by an incremental pull, published to the live tables in one short
      -- transaction so that a sale never sees half a pull.
      CREATE TABLE doc_stage (
        seq INTEGER PRIMARY KEY,
        doctype TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT,
        deleted INTEGER NOT NULL
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('snapshot_version', '0');
    `,
  },
  { version: 2, name: 'journal, cashiers, shifts, outbox', sql: SALES_SQL },
  { version: 3, name: 'push jobs, review queue, conflicts', sql: PUSH_SQL },
  {
    version: 4,
    name: 'customers created at the till',
    sql: `
      -- A customer created here, until ERPNext knows it: name is what sales made here name
      -- (and stays so in their signed records); erpnext_name is ERPNext's, once pushed or
      -- matched to a customer it already had. The creation is the journal record at seq.
      CREATE TABLE customer_local (
        uuid TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        customer_name TEXT NOT NULL,
        mobile_no TEXT NOT NULL DEFAULT '',
        email_id TEXT NOT NULL DEFAULT '',
        customer_group TEXT NOT NULL,
        territory TEXT NOT NULL DEFAULT '',
        loyalty_program TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        seq INTEGER NOT NULL UNIQUE,
        erpnext_name TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'review')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        CHECK ((state = 'done') = (erpnext_name <> ''))
      );
      CREATE INDEX customer_local_pending ON customer_local (state, seq);
      CREATE INDEX customer_local_erpnext ON customer_local (erpnext_name);
    `,
  },
  { version: 5, name: 'loyalty reconciliation', sql: LOYALTY_SQL },
  { version: 6, name: 'several terminals per store node', sql: TERMINALS_SQL },
  { version: 7, name: 'paired devices, cashier sessions', sql: DEVICES_SQL },
  {
    version: 8,
    name: 'item search: prefix index for 1 to 6 characters',
    // A prefix query FTS5 has no prefix index for merges the doclists of every matching term in
    // memory before it yields one row (LIMIT does not stop it): at 1M items, typing "b" or
    // "benc" of a word most names share cost 60–130 ms here, an indexed "ben" 0.05 ms. Indexing
    // 1–6 characters makes search-as-you-type cheap for any word a cashier types out; past six,
    // the terms sharing the prefix are few. The index is rebuilt from the rows the catalog wrote
    // (its barcodes' order within the column does not matter to a match).
    sql: `
      DROP TABLE item_fts;
      CREATE VIRTUAL TABLE item_fts USING fts5 (item_code, item_name, barcodes, prefix = '1 2 3 4 5 6', tokenize = 'unicode61');
      INSERT INTO item_fts (item_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0)');
      INSERT INTO item_fts (rowid, item_code, item_name, barcodes)
        SELECT i.id, i.item_code, i.item_name,
          coalesce((SELECT group_concat(b.barcode, ' ') FROM item_barcode b WHERE b.item_code = i.item_code), '')
        FROM item i WHERE i.disabled = 0;
    `,
  },
];

export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  // By version, whatever the list's order; a missing number (one branch's migration not yet
  // merged) is simply not applied, and applies later in its turn when it arrives.
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
  }
}

export const schemaVersion = (db: Database.Database): number =>
  (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
