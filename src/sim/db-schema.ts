// Names compare case-insensitively, as under MariaDB's utf8mb4_unicode_ci collation: a second
// "ar-stock-1" is a duplicate of "AR-STOCK-1" and a lookup finds either spelling.
export const SCHEMA = `
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
-- The look-ups a pushed invoice makes, which would otherwise scan every row of a doctype that
-- grows with each invoice (ERPNext answers them from indexed columns). Each expression is the
-- query builder's own, byte for byte (query-where.ts conditionSql), or SQLite cannot use it;
-- each index is partial on one doctype (getList names the doctype as a literal, so only that
-- doctype's queries can use it). modified and name close each one so that the rows of one key
-- come out in the docs_modified order a doctype scan gave: ORDER BY then breaks its ties as
-- before (SQLite's sorter keeps the input order of equal keys).
-- A member's points (masterFor, get_loyalty_details, apply_loyalty_points); a cancelled
-- invoice's entries and the redemptions made against them (delete_loyalty_point_entry).
CREATE INDEX IF NOT EXISTS docs_lpe_customer ON docs (
  ifnull(json_extract(data, '$.customer'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'Loyalty Point Entry';
CREATE INDEX IF NOT EXISTS docs_lpe_invoice ON docs (
  ifnull(json_extract(data, '$.invoice'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'Loyalty Point Entry';
CREATE INDEX IF NOT EXISTS docs_lpe_redeem_against ON docs (
  ifnull(json_extract(data, '$.redeem_against'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'Loyalty Point Entry';
-- An invoice's credit notes (its status, make_loyalty_point_entry, the returnable quantity).
CREATE INDEX IF NOT EXISTS docs_si_return_against ON docs (
  ifnull(json_extract(data, '$.return_against'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'Sales Invoice';
CREATE INDEX IF NOT EXISTS docs_pi_return_against ON docs (
  ifnull(json_extract(data, '$.return_against'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'POS Invoice';
-- An item's Bin in a warehouse; its ledger there after a moment, as a range (qtyBefore).
CREATE INDEX IF NOT EXISTS docs_bin_item ON docs (
  ifnull(json_extract(data, '$.item_code'), '') COLLATE NOCASE,
  ifnull(json_extract(data, '$.warehouse'), '') COLLATE NOCASE, modified, name)
  WHERE doctype = 'Bin';
CREATE INDEX IF NOT EXISTS docs_sle_item ON docs (
  ifnull(json_extract(data, '$.item_code'), '') COLLATE NOCASE,
  ifnull(json_extract(data, '$.warehouse'), '') COLLATE NOCASE,
  ifnull(json_extract(data, '$.posting_datetime'), ''), modified, name)
  WHERE doctype = 'Stock Ledger Entry';
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
