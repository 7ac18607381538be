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
