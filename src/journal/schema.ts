import type Database from 'better-sqlite3';
import { GENESIS_PREV_HASH } from './digest.js';

/** Names of the triggers that guard the journal; the verifier reports any that is missing. */
export const JOURNAL_TRIGGERS = [
  'journal_no_update',
  'journal_no_delete',
  'journal_extends_head',
  'journal_no_replace',
  'journal_advances_head',
  'journal_head_insert_first',
  'journal_head_advance_only',
  'journal_head_no_delete',
] as const;

/*
 * The journal as migration 2 made it (one terminal per database, seq global). Frozen: a
 * shipped migration is never edited; migration 6 (store/migrations.ts) moves it to JOURNAL_DDL.
 *
 * The redundant columns (type, terminal, key_id, uuid, invoice_no, created_at, body_hash,
 * prev_hash) exist for lookups and unique constraints; the signed header is the truth and the
 * verifier checks that they agree with it. STRICT keeps every column in its declared type.
 *
 * The triggers are the first line of defence, not the proof: an attacker with the file can drop
 * them. On the honest path they refuse UPDATE and DELETE, a record that does not extend the head,
 * INSERT OR REPLACE (its implicit delete fires no DELETE trigger), and a head row that moves
 * other than with the journal. They act per statement, so an append (insert plus head move) is
 * atomic even inside a caller's transaction, with no savepoint.
 */
export const JOURNAL_DDL_V1 = `
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  terminal TEXT NOT NULL,
  key_id TEXT NOT NULL,
  uuid TEXT NOT NULL UNIQUE,
  invoice_no TEXT UNIQUE,
  created_at TEXT NOT NULL,
  header TEXT NOT NULL,
  body TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  signature TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS journal_type ON journal (type, seq);

CREATE TABLE IF NOT EXISTS journal_head (
  terminal TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  last_hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: UPDATE refused'); END;

CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: DELETE refused'); END;

CREATE TRIGGER IF NOT EXISTS journal_extends_head BEFORE INSERT ON journal
WHEN NEW.seq IS NOT COALESCE((SELECT last_seq FROM journal_head WHERE terminal = NEW.terminal), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE(
    (SELECT last_hash FROM journal_head WHERE terminal = NEW.terminal), '${GENESIS_PREV_HASH}')
BEGIN SELECT RAISE(ABORT, 'journal: the record does not extend the head'); END;

CREATE TRIGGER IF NOT EXISTS journal_no_replace BEFORE INSERT ON journal
WHEN EXISTS (SELECT 1 FROM journal WHERE uuid = NEW.uuid OR hash = NEW.hash OR invoice_no = NEW.invoice_no)
BEGIN SELECT RAISE(ABORT, 'journal: uuid, hash or invoice_no already used'); END;

CREATE TRIGGER IF NOT EXISTS journal_advances_head AFTER INSERT ON journal
BEGIN
  UPDATE journal_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE terminal = NEW.terminal;
  INSERT INTO journal_head (terminal, last_seq, last_hash)
  SELECT NEW.terminal, NEW.seq, NEW.hash
  WHERE NOT EXISTS (SELECT 1 FROM journal_head WHERE terminal = NEW.terminal);
END;

CREATE TRIGGER IF NOT EXISTS journal_head_insert_first BEFORE INSERT ON journal_head
WHEN EXISTS (SELECT 1 FROM journal_head WHERE terminal = NEW.terminal)
  OR NEW.last_seq IS NOT 1
  OR NEW.last_hash IS NOT (SELECT hash FROM journal WHERE seq = 1 AND terminal = NEW.terminal)
BEGIN SELECT RAISE(ABORT, 'journal_head: only the first record creates the head'); END;

CREATE TRIGGER IF NOT EXISTS journal_head_advance_only BEFORE UPDATE ON journal_head
WHEN NEW.terminal IS NOT OLD.terminal OR NEW.last_seq IS NOT OLD.last_seq + 1
  OR NEW.last_hash IS NOT (SELECT hash FROM journal WHERE seq = NEW.last_seq AND terminal = NEW.terminal)
BEGIN SELECT RAISE(ABORT, 'journal_head only advances with the journal'); END;

CREATE TRIGGER IF NOT EXISTS journal_head_no_delete BEFORE DELETE ON journal_head
BEGIN SELECT RAISE(ABORT, 'journal_head: DELETE refused'); END;
`;

/**
 * The journal of a store node: one table, one hash chain per terminal.
 *
 * `seq` is the record's place in the store (every terminal's records in commit order): what
 * the sale, outbox, shift and loyalty rows point at, so a store made before several terminals
 * keeps every pointer when it migrates. `chain_seq` is its place in its terminal's chain, the
 * signed header's `seq`: gapless from 1 per terminal, unique with the terminal.
 *
 * The redundant columns (type, terminal, chain_seq, key_id, uuid, invoice_no, created_at,
 * body_hash, prev_hash) exist for lookups and unique constraints; the signed header is the
 * truth and the verifier checks that they agree with it. STRICT keeps every column in its
 * declared type.
 *
 * The triggers are the first line of defence, not the proof: an attacker with the file can drop
 * them. On the honest path they refuse UPDATE and DELETE, a record that does not extend its
 * terminal's head, INSERT OR REPLACE (its implicit delete fires no DELETE trigger), and a head
 * row that moves other than with the journal. They act per statement, so an append (insert
 * plus head move) is atomic even inside a caller's transaction, with no savepoint.
 */
export const journalTableSql = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  terminal TEXT NOT NULL,
  chain_seq INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  uuid TEXT NOT NULL UNIQUE,
  invoice_no TEXT UNIQUE,
  created_at TEXT NOT NULL,
  header TEXT NOT NULL,
  body TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  signature TEXT NOT NULL,
  UNIQUE (terminal, chain_seq)
) STRICT;`;

export const JOURNAL_DDL = `
${journalTableSql('journal')}
CREATE INDEX IF NOT EXISTS journal_type ON journal (type, seq);

CREATE TABLE IF NOT EXISTS journal_head (
  terminal TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  last_hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: UPDATE refused'); END;

CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only: DELETE refused'); END;

CREATE TRIGGER IF NOT EXISTS journal_extends_head BEFORE INSERT ON journal
WHEN NEW.chain_seq IS NOT COALESCE((SELECT last_seq FROM journal_head WHERE terminal = NEW.terminal), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE(
    (SELECT last_hash FROM journal_head WHERE terminal = NEW.terminal), '${GENESIS_PREV_HASH}')
BEGIN SELECT RAISE(ABORT, 'journal: the record does not extend the head'); END;

CREATE TRIGGER IF NOT EXISTS journal_no_replace BEFORE INSERT ON journal
WHEN EXISTS (SELECT 1 FROM journal WHERE uuid = NEW.uuid OR hash = NEW.hash
  OR invoice_no = NEW.invoice_no OR seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'journal: seq, uuid, hash or invoice_no already used'); END;

CREATE TRIGGER IF NOT EXISTS journal_advances_head AFTER INSERT ON journal
BEGIN
  UPDATE journal_head SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE terminal = NEW.terminal;
  INSERT INTO journal_head (terminal, last_seq, last_hash)
  SELECT NEW.terminal, NEW.chain_seq, NEW.hash
  WHERE NOT EXISTS (SELECT 1 FROM journal_head WHERE terminal = NEW.terminal);
END;

CREATE TRIGGER IF NOT EXISTS journal_head_insert_first BEFORE INSERT ON journal_head
WHEN EXISTS (SELECT 1 FROM journal_head WHERE terminal = NEW.terminal)
  OR NEW.last_seq IS NOT 1
  OR NEW.last_hash IS NOT (SELECT hash FROM journal WHERE chain_seq = 1 AND terminal = NEW.terminal)
BEGIN SELECT RAISE(ABORT, 'journal_head: only the first record creates the head'); END;

CREATE TRIGGER IF NOT EXISTS journal_head_advance_only BEFORE UPDATE ON journal_head
WHEN NEW.terminal IS NOT OLD.terminal OR NEW.last_seq IS NOT OLD.last_seq + 1
  OR NEW.last_hash IS NOT (SELECT hash FROM journal WHERE chain_seq = NEW.last_seq AND terminal = NEW.terminal)
BEGIN SELECT RAISE(ABORT, 'journal_head only advances with the journal'); END;

CREATE TRIGGER IF NOT EXISTS journal_head_no_delete BEFORE DELETE ON journal_head
BEGIN SELECT RAISE(ABORT, 'journal_head: DELETE refused'); END;
`;

/**
 * Migration 6: one chain per terminal. The table is rebuilt (SQLite cannot change a table's
 * constraints in place) with `chain_seq = seq`: before it a database held one terminal, whose
 * chain was the whole journal. The triggers are dropped first (a rename checks every trigger
 * that names the table) and made again by JOURNAL_DDL.
 */
export const JOURNAL_PER_TERMINAL_SQL = `
${JOURNAL_TRIGGERS.map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n')}
DROP INDEX IF EXISTS journal_type;
${journalTableSql('journal_next')}
INSERT INTO journal_next (seq, type, terminal, chain_seq, key_id, uuid, invoice_no, created_at,
  header, body, body_hash, prev_hash, hash, signature)
SELECT seq, type, terminal, seq, key_id, uuid, invoice_no, created_at, header, body, body_hash,
  prev_hash, hash, signature FROM journal ORDER BY seq;
DROP TABLE journal;
ALTER TABLE journal_next RENAME TO journal;
${JOURNAL_DDL}
`;

/**
 * Creates the journal tables and triggers. Idempotent; one transaction, or the caller's when one
 * is open, so a store-wide migration can include it atomically.
 */
export function migrateJournal(db: Database.Database): void {
  if (db.inTransaction) db.exec(JOURNAL_DDL);
  else db.transaction(() => db.exec(JOURNAL_DDL)).immediate();
}
