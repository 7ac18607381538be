/**
 * Migration 3: the push's own state, beside the outbox rows it works through (the outbox and
 * the journal stay as selling wrote them). One push_job per outbox row:
 *
 *   pending ─POST draft─▶ draft ─PUT docstatus 1─▶ done
 *      │                    │                       ▲
 *      └──────── rejected ──┴──▶ review ──retry─────┘ (or resolved outside Outpost)
 *
 * `queued` is a POS Closing Entry submitted and waiting for ERPNext's background
 * consolidation. `attempts` is bumped in its own commit BEFORE a request goes out, so after a
 * crash a job with attempts > 0 and no answer is looked up by its uuid before anything is sent.
 */
export const PUSH_SQL = `
CREATE TABLE push_job (
  uuid TEXT PRIMARY KEY REFERENCES outbox (uuid),
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'draft', 'queued', 'done', 'review', 'resolved')),
  -- The ERPNext doctype and name it became ('' until known; '' for work with no document).
  remote_doctype TEXT NOT NULL DEFAULT '',
  remote_name TEXT NOT NULL DEFAULT '',
  -- An invoice's item row names in ERPNext, in order: what a return's rows point at.
  remote_rows TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Epoch ms before which a retry is not made (backoff); 0 = now.
  next_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX push_job_state ON push_job (state);

-- Work ERPNext refused: never dropped, never in the way of work that does not depend on it.
CREATE TABLE push_review (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL REFERENCES outbox (uuid),
  status TEXT NOT NULL CHECK (status IN ('open', 'retried', 'resolved')),
  http_status INTEGER NOT NULL,
  exc_type TEXT NOT NULL,
  -- ERPNext's own words, and the reason in plain words.
  message TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  closed_at TEXT NOT NULL DEFAULT '',
  closed_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  -- The journal event that closed it.
  event_seq INTEGER
) STRICT;
CREATE UNIQUE INDEX push_review_open ON push_review (uuid) WHERE status = 'open';

-- ERPNext holds a figure the signed record does not: reported, never silently accepted.
CREATE TABLE push_conflict (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL REFERENCES outbox (uuid),
  remote_doctype TEXT NOT NULL,
  remote_name TEXT NOT NULL,
  field TEXT NOT NULL,
  signed TEXT NOT NULL,
  erpnext TEXT NOT NULL,
  found_at TEXT NOT NULL,
  UNIQUE (uuid, field)
) STRICT;

-- Every outbox row gets its job in the transaction that queues it (selling knows nothing of
-- the push), and the rows queued before this migration get theirs here.
CREATE TRIGGER outbox_push_job AFTER INSERT ON outbox BEGIN
  INSERT INTO push_job (uuid, updated_at) VALUES (NEW.uuid, NEW.created_at);
END;
INSERT INTO push_job (uuid, updated_at) SELECT uuid, created_at FROM outbox;
`;
