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

/**
 * The node's first terminal: the one whose record opens the journal, else the first registered.
 * A store from before marks were kept per terminal held its one mark in meta `erp_high_water`:
 * that mark is this terminal's.
 */
const FIRST_TERMINAL_SQL = `coalesce((SELECT terminal FROM journal ORDER BY seq LIMIT 1),
  (SELECT name FROM terminal ORDER BY created_at, name LIMIT 1))`;

/**
 * One read of `@terminal`'s mark: its own (terminal_local `erp_high_water`), else the legacy
 * store-wide one when it is the first terminal. Every sale asks: callers prepare it once.
 */
export const HIGH_WATER_SQL = `SELECT coalesce(
  (SELECT value FROM terminal_local WHERE terminal = @terminal AND key = '${HIGH_WATER_KEY}'),
  (SELECT value FROM meta WHERE key = '${HIGH_WATER_KEY}' AND @terminal = ${FIRST_TERMINAL_SQL}))`;

/** The mark recorded for `terminal`; null before ERPNext was first asked about it. */
export function readHighWater(db: Db, terminal: string): HighWater | null {
  return parseHighWater(
    (db.prepare(HIGH_WATER_SQL).pluck().get({ terminal }) as string | null) ?? undefined,
    terminal,
  );
}

/** The mark from its stored text, for a caller with its own statement. */
export function parseHighWater(text: string | undefined, terminal: string): HighWater | null {
  return text === undefined
    ? null
    : parseJsonWith(HighWaterSchema, text, `terminal ${terminal}: ${HIGH_WATER_KEY}`);
}

/**
 * Records `mark` for `terminal` unless the one recorded is higher: the mark only rises (ERPNext
 * does not forget documents; a lower answer is a document deleted there, which `outpost audit`
 * names). A higher receipt number is kept even when the seq is not higher. Returns what is
 * recorded.
 */
export function raiseHighWater(db: Db, terminal: string, mark: HighWater): HighWater {
  return db.transaction(() => {
    const old = readHighWater(db, terminal);
    const receipt = laterReceipt(old?.receipt_no ?? null, mark.receipt_no);
    const next: HighWater =
      old && old.seq > mark.seq
        ? { ...old, receipt_no: receipt, checked_at: mark.checked_at }
        : { ...mark, receipt_no: receipt };
    db.prepare(
      `INSERT INTO terminal_local (terminal, key, value) VALUES (?, '${HIGH_WATER_KEY}', ?)
       ON CONFLICT (terminal, key) DO UPDATE SET value = excluded.value`,
    ).run(terminal, JSON.stringify(HighWaterSchema.parse(next)));
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
 * The mark this store's own push proves for `terminal`: the highest chain seq among its
 * documents ERPNext took. It never shows a gap on the database that pushed it, but a copy
 * restored later still carries it, and it rises with every push between two asks of ERPNext.
 */
export function pushedHighWater(db: Db, terminal: string, at: string): HighWater | null {
  const row = db
    .prepare(
      `SELECT j.chain_seq AS seq, j.hash,
         coalesce(nullif(p.remote_doctype, ''), o.doctype) AS doctype,
         p.remote_name, o.invoice_no FROM push_job p
       JOIN outbox o ON o.uuid = p.uuid JOIN journal j ON j.seq = o.seq
       WHERE p.state = 'done' AND j.terminal = ?
       ORDER BY o.seq DESC LIMIT 1`,
    )
    .get(terminal) as
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
 * The marks documents ERPNext just took prove (the store's seq and name from the push): per
 * terminal, the highest record's place in its chain and hash.
 */
export function marksOfPushed(
  db: Db,
  pushed: readonly { seq: number; doctype: string; name: string }[],
  at: string,
): Map<string, HighWater> {
  const read = db.prepare(
    'SELECT terminal, chain_seq, hash, invoice_no FROM journal WHERE seq = ?',
  );
  const marks = new Map<string, HighWater>();
  for (const p of pushed) {
    const row = read.get(p.seq) as
      { terminal: string; chain_seq: number; hash: string; invoice_no: string | null } | undefined;
    if (!row) continue;
    const known = marks.get(row.terminal);
    const receipt_no = laterReceipt(known?.receipt_no ?? null, row.invoice_no);
    if (known && known.seq >= row.chain_seq) {
      marks.set(row.terminal, { ...known, receipt_no });
      continue;
    }
    const mark = { seq: row.chain_seq, hash: row.hash, doctype: p.doctype, name: p.name };
    marks.set(row.terminal, { ...mark, receipt_no, checked_at: at });
  }
  return marks;
}
