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
export const JOURNAL_DDL = `
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
 * Creates the journal tables and triggers. Idempotent; one transaction, or the caller's when one
 * is open, so a store-wide migration can include it atomically.
 */
export function migrateJournal(db: Database.Database): void {
  if (db.inTransaction) db.exec(JOURNAL_DDL);
  else db.transaction(() => db.exec(JOURNAL_DDL)).immediate();
}
