import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import type { Db } from './db.js';

/**
 * ERPNext's high-water mark for this terminal: the highest journal seq (and that record's hash)
 * ERPNext is known to hold, and the highest receipt number it holds. A local journal ending
 * before it (a restored backup, a cloned disk) would reuse seq and receipt numbers ERPNext
 * already has: `pos/chain.ts` refuses to sell until a manager acknowledges it.
 */
export const HighWaterSchema = z.object({
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The ERPNext document carrying it (or `push` when it comes from this store's own push). */
  doctype: z.string(),
  name: z.string(),
  /** The highest receipt number ERPNext holds for this terminal; null when it holds none. */
  receipt_no: z.string().nullable(),
  /** When ERPNext (or the push) last told us. */
  checked_at: z.string(),
});
export type HighWater = z.output<typeof HighWaterSchema>;

export const HIGH_WATER_KEY = 'erp_high_water';
const KEY = HIGH_WATER_KEY;

const get = (db: Db): string | undefined =>
  db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string | undefined;

/** The recorded mark; null before ERPNext was first asked. */
export function readHighWater(db: Db): HighWater | null {
  return parseHighWater(get(db));
}

/** The mark from its stored text (meta `erp_high_water`), for a caller with its own statement. */
export function parseHighWater(text: string | undefined): HighWater | null {
  return text === undefined ? null : parseJsonWith(HighWaterSchema, text, `meta ${KEY}`);
}

/**
 * Records `mark` unless the one recorded is higher: the mark only rises (ERPNext does not
 * forget documents; a lower answer is a document deleted there, which `outpost audit` names).
 * A higher receipt number is kept even when the seq is not higher. Returns what is recorded.
 */
export function raiseHighWater(db: Db, mark: HighWater): HighWater {
  return db.transaction(() => {
    const old = readHighWater(db);
    const receipt = laterReceipt(old?.receipt_no ?? null, mark.receipt_no);
    const next: HighWater =
      old && old.seq > mark.seq
        ? { ...old, receipt_no: receipt, checked_at: mark.checked_at }
        : { ...mark, receipt_no: receipt };
    db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(KEY, JSON.stringify(HighWaterSchema.parse(next)));
    return next;
  })();
}

/** The later of two receipt numbers `PREFIX-NNNNNN` (the prefix carries the year). */
export function laterReceipt(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const [pa, na] = splitReceipt(a);
  const [pb, nb] = splitReceipt(b);
  if (pa !== pb) return pa > pb ? a : b;
  return na >= nb ? a : b;
}

/** `NORTH-T1-2026-000042` → [`NORTH-T1-2026-`, 42]. */
export function splitReceipt(receipt: string): [string, number] {
  const m = /^(.*?)(\d+)$/.exec(receipt);
  return m ? [m[1] ?? '', Number(m[2])] : [receipt, 0];
}

/**
 * The terminal the mark speaks of: the node's first, whose record opens the journal (the one
 * `outpost sync` asks ERPNext about, config.json's `terminal`). The marks of the terminals added
 * later are not kept yet: their chains are guarded by their head files.
 */
export const MARKED_TERMINAL_SQL = '(SELECT terminal FROM journal ORDER BY seq LIMIT 1)';

/**
 * The mark this store's own push proves: the highest chain seq among documents of the marked
 * terminal ERPNext took. It
 * never shows a gap on the database that pushed it, but a copy restored later still carries
 * it, and it rises with every push between two asks of ERPNext.
 */
export function pushedHighWater(db: Db, at: string): HighWater | null {
  const row = db
    .prepare(
      `SELECT j.chain_seq AS seq, j.hash,
         coalesce(nullif(p.remote_doctype, ''), o.doctype) AS doctype,
         p.remote_name, o.invoice_no FROM push_job p
       JOIN outbox o ON o.uuid = p.uuid JOIN journal j ON j.seq = o.seq
       WHERE p.state = 'done' AND j.terminal = ${MARKED_TERMINAL_SQL}
       ORDER BY o.seq DESC LIMIT 1`,
    )
    .get() as
    | { seq: number; hash: string; doctype: string; remote_name: string; invoice_no: string | null }
    | undefined;
  if (!row) return null;
  return {
    seq: row.seq,
    hash: row.hash,
    doctype: row.doctype,
    name: row.remote_name,
    receipt_no: row.invoice_no,
    checked_at: at,
  };
}

/**
 * The mark of one document ERPNext just took (the store's seq and name from the push): its
 * record's place in its chain and hash; null when it is not the marked terminal's.
 */
export function markOfPushed(
  db: Db,
  pushed: { seq: number; doctype: string; name: string },
  at: string,
): HighWater | null {
  const row = db
    .prepare(
      `SELECT chain_seq, hash, invoice_no FROM journal
       WHERE seq = ? AND terminal = ${MARKED_TERMINAL_SQL}`,
    )
    .get(pushed.seq) as { chain_seq: number; hash: string; invoice_no: string | null } | undefined;
  if (!row) return null;
  return {
    seq: row.chain_seq,
    hash: row.hash,
    doctype: pushed.doctype,
    name: pushed.name,
    receipt_no: row.invoice_no,
    checked_at: at,
  };
}
