import { JOURNAL_DDL_V1 } from '../journal/index.js';

/**
 * Migration 2: what selling writes. The journal (signed, chained, append-only) is the truth;
 * the other tables are working state kept in step with it inside the same transactions:
 * numbering, cashiers, shifts, the outbox towards ERPNext, and the local effects of sales not
 * yet confirmed by ERPNext (stock, loyalty points).
 */
export const SALES_SQL = `
${JOURNAL_DDL_V1}

-- Cashiers of this store node. pin_hash is "scrypt$N$r$p$salt$hash" (base64); never the PIN.
CREATE TABLE cashier (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) STRICT;

-- One gapless counter per invoice series ("N1-T1-2026-"). Allocated inside the sale's
-- transaction, so a number exists exactly when its journal record does.
CREATE TABLE invoice_series (
  prefix TEXT PRIMARY KEY,
  last_no INTEGER NOT NULL
) STRICT;

-- Shifts (ERPNext's POS Opening / Closing Entry). At most one open.
CREATE TABLE shift (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  opened_seq INTEGER NOT NULL,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  float TEXT NOT NULL,
  closed_seq INTEGER,
  closed_at TEXT,
  closed_by TEXT
) STRICT;
CREATE UNIQUE INDEX shift_one_open ON shift (closed_seq IS NULL) WHERE closed_seq IS NULL;

-- Every sale, return, void and training sale: an index over their journal records. Voids
-- take no number of their own (against names the sale).
CREATE TABLE sale (
  seq INTEGER PRIMARY KEY,
  invoice_no TEXT UNIQUE,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'return', 'void', 'training')),
  shift_id INTEGER,
  against TEXT,
  customer TEXT NOT NULL,
  grand_total TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX sale_against ON sale (against) WHERE against IS NOT NULL;
CREATE INDEX sale_shift ON sale (shift_id, seq);

-- Documents waiting to reach ERPNext, in journal order; uuid is the idempotency key.
CREATE TABLE outbox (
  uuid TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  doctype TEXT NOT NULL,
  invoice_no TEXT,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  remote_name TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  done_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_pending ON outbox (state, seq);

-- Stock sold (positive) or returned (negative) here and not yet in a pulled Bin.
CREATE TABLE stock_pending (
  item_code TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  qty TEXT NOT NULL,
  PRIMARY KEY (item_code, warehouse)
) WITHOUT ROWID;

-- Loyalty Point Entries made by local sales and not yet confirmed by ERPNext, shaped like
-- ERPNext's so the engine counts them in the balance.
CREATE TABLE loyalty_pending (
  id INTEGER PRIMARY KEY,
  invoice_no TEXT NOT NULL,
  customer TEXT NOT NULL,
  loyalty_program TEXT NOT NULL,
  company TEXT NOT NULL,
  loyalty_points INTEGER NOT NULL,
  purchase_amount TEXT NOT NULL,
  posting_date TEXT NOT NULL,
  expiry_date TEXT NOT NULL
) STRICT;
CREATE INDEX loyalty_pending_customer ON loyalty_pending (customer);

-- Small terminal facts: the logged-in cashier, an offline extension granted by a manager.
CREATE TABLE terminal_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
