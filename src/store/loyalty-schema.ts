/**
 * Migration 5: which document each pending loyalty row belongs to, and which pushed documents
 * ERPNext's pulled Loyalty Point Entries already reflect.
 *
 * `loyalty_pending.invoice_no` alone cannot tell a void's rows from its sale's (a void takes no
 * number: its rows carry the sale's), so each row also names the journal seq of the sale,
 * return or void that wrote it. Selling inserts its `sale` row before its loyalty rows in the
 * same transaction (src/pos/sale.ts, returns.ts; an exchange does return then sale), and
 * transactions are serial, so the highest `sale.seq` at insert time is the writer: a trigger
 * fills it in, and the till's code stays as it is.
 */
export const LOYALTY_SQL = `
ALTER TABLE loyalty_pending ADD COLUMN seq INTEGER;
-- Rows written before this migration: the sale or return bearing the number. A void's rows
-- written before it are counted with their sale (they give way together once both are pulled).
UPDATE loyalty_pending SET seq = (
  SELECT s.seq FROM sale s WHERE s.invoice_no = loyalty_pending.invoice_no AND s.kind != 'void'
);
CREATE INDEX loyalty_pending_seq ON loyalty_pending (seq);
CREATE TRIGGER loyalty_pending_writer AFTER INSERT ON loyalty_pending WHEN NEW.seq IS NULL BEGIN
  UPDATE loyalty_pending SET seq = (SELECT max(seq) FROM sale) WHERE id = NEW.id;
END;

-- Entries name ERPNext's invoice: finding the sale behind one must not scan every job.
CREATE INDEX push_job_remote ON push_job (remote_name) WHERE remote_name != '';

-- A pushed sale, return or void whose effect on ERPNext's Loyalty Point Entries is in the
-- store: pushed (push_job done) before a pull started, and that pull published.
CREATE TABLE loyalty_settled (
  uuid TEXT PRIMARY KEY,
  settled_at TEXT NOT NULL
) WITHOUT ROWID;
`;
