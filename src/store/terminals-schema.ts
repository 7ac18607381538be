import { JOURNAL_PER_TERMINAL_SQL } from '../journal/index.js';

/**
 * Migration 6: a store node holds several terminals. Each has its own chain in the one journal
 * (see journal/schema.ts), its own open shift and its own session and chain acknowledgement;
 * the store keeps the rest (cashiers, stock, connectivity, the outbox). A store made before
 * held one terminal: its records, shifts and state become that terminal's.
 */
export const TERMINALS_SQL = `
${JOURNAL_PER_TERMINAL_SQL}

-- The terminals this node holds: the name is the chain's terminal and the {terminal} of its
-- invoice series. A retired terminal keeps its chain and sells no more.
CREATE TABLE terminal (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  retired_at TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO terminal (name, created_at)
SELECT terminal, min(created_at) FROM journal GROUP BY terminal;

-- The shift_open record names the terminal (shift.uuid is that record's uuid). opened_seq and
-- closed_seq are seqs of that terminal's chain: the Z report's first and last seq.
ALTER TABLE shift ADD COLUMN terminal TEXT NOT NULL DEFAULT '';
UPDATE shift SET terminal = coalesce((SELECT j.terminal FROM journal j WHERE j.uuid = shift.uuid), '');
DROP INDEX shift_one_open;
CREATE UNIQUE INDEX shift_one_open ON shift (terminal) WHERE closed_seq IS NULL;

-- A terminal's own facts (its logged-in cashier, the chain mark a manager acknowledged);
-- terminal_state keeps the store's (connectivity, offline grants, the store id).
CREATE TABLE terminal_local (
  terminal TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (terminal, key)
) STRICT, WITHOUT ROWID;
INSERT INTO terminal_local (terminal, key, value)
SELECT h.terminal, s.key, s.value FROM terminal_state s, journal_head h
WHERE s.key IN ('session', 'chain_ack');
DELETE FROM terminal_state WHERE key IN ('session', 'chain_ack');
`;
