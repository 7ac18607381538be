/**
 * Migration 7: the devices paired with the node and the cashier sessions on them.
 *
 * A device asks to pair and is given a bearer token at once, kept here only as its SHA-256
 * (the token is 256 random bits: a slow hash would add nothing but a slower request); it
 * carries no right until a manager approves its short code, which binds it to one terminal.
 * A code is used once, ever (UNIQUE), and dies at `expires_at`.
 *
 *   pending ─approve (manager PIN)─▶ active ─revoke─▶ revoked
 *      └──────── expires_at passes: nothing (the token stays refused) ───┘
 */
export const DEVICES_SQL = `
CREATE TABLE device (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'revoked')),
  requested_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  terminal TEXT REFERENCES terminal (name),
  approved_at TEXT NOT NULL DEFAULT '',
  approved_by TEXT NOT NULL DEFAULT '',
  revoked_at TEXT NOT NULL DEFAULT '',
  revoked_by TEXT NOT NULL DEFAULT '',
  CHECK (CASE state WHEN 'pending' THEN terminal IS NULL
    WHEN 'active' THEN terminal IS NOT NULL ELSE 1 END)
) STRICT;
-- One device per terminal: two screens on one chain would interleave their carts' numbers.
CREATE UNIQUE INDEX device_terminal ON device (terminal) WHERE state = 'active';
CREATE INDEX device_requested ON device (state, requested_at);

-- A cashier logged in on a device. last_seen_ms moves with each request; a session idle
-- longer than the store's limit is ended, never revived.
CREATE TABLE cashier_session (
  token_hash TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES device (id),
  cashier TEXT NOT NULL REFERENCES cashier (id),
  created_at TEXT NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  ended_at TEXT NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT ''
    CHECK (end_reason IN ('', 'logout', 'idle', 'revoked', 'replaced'))
) STRICT;
CREATE INDEX cashier_session_device ON cashier_session (device_id) WHERE ended_at = '';
`;
