import type Database from 'better-sqlite3';
import { Dec } from '../core/index.js';
import { JournalError } from './errors.js';
import type { JournalRecord } from './journal.js';
import { COUNTED_TYPES, parseHeader } from './record.js';

interface Row {
  seq: number;
  header: string;
  body: string;
  hash: string;
  signature: string;
}

/**
 * Records with `from <= seq <= to` (the store's seq), in that order, of every terminal or of
 * `terminal`, for receipts, Z reports and sync. Headers are re-validated (the file is outside
 * our control) but signatures are not: that is verify.ts's job.
 */
export function* readRecords(
  db: Database.Database,
  range: { readonly from?: number; readonly to?: number; readonly terminal?: string } = {},
): Generator<JournalRecord> {
  const from = range.from ?? 1;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const rows = (
    range.terminal === undefined
      ? db
          .prepare(`SELECT ${COLUMNS} FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq`)
          .iterate(from, to)
      : db
          .prepare(
            `SELECT ${COLUMNS} FROM journal WHERE terminal = ? AND seq BETWEEN ? AND ? ORDER BY seq`,
          )
          .iterate(range.terminal, from, to)
  ) as IterableIterator<Row>;
  for (const row of rows) yield toRecord(row);
}

const COLUMNS = 'seq, header, body, hash, signature';

/** One record by seq, or null. */
export function readRecord(db: Database.Database, seq: number): JournalRecord | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM journal WHERE seq = ?`).get(seq) as
    Row | undefined;
  return row ? toRecord(row) : null;
}

/** The record with this document number (e.g. the original of a return), or null. */
export function readRecordByInvoiceNo(
  db: Database.Database,
  invoiceNo: string,
): JournalRecord | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM journal WHERE invoice_no = ?`).get(invoiceNo) as
    Row | undefined;
  return row ? toRecord(row) : null;
}

/** A stored header checked against the header schema; text that is not JSON is refused too. */
function storedHeader(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JournalError('InvalidRecord', 'a stored journal header is not JSON', {
      field: 'header',
    });
  }
  const header = parseHeader(value);
  if (typeof header === 'string') throw new JournalError('InvalidRecord', header);
  return header;
}

function toRecord(row: Row): JournalRecord {
  const header = storedHeader(row.header);
  return {
    seq: row.seq,
    header,
    headerText: row.header,
    bodyText: row.body,
    hash: row.hash,
    signature: row.signature,
  };
}

/**
 * The perpetual grand total (NF525's "grand total perpétuel"): the exact sum of the grand totals
 * of every sale, return and void of `terminal`'s chain (of the whole store without one) through
 * its chain seq `throughSeq`. Training records are a separate type and so never counted.
 * Returns a decimal string such as `"1234.50"`.
 */
export function perpetualGrandTotal(
  db: Database.Database,
  throughSeq?: number,
  terminal?: string,
): string {
  const placeholders = COUNTED_TYPES.map(() => '?').join(',');
  const rows = db
    .prepare(
      `SELECT header FROM journal WHERE type IN (${placeholders}) AND chain_seq <= ?
       AND (? IS NULL OR terminal = ?) ORDER BY seq`,
    )
    .iterate(
      ...COUNTED_TYPES,
      throughSeq ?? Number.MAX_SAFE_INTEGER,
      terminal ?? null,
      terminal ?? null,
    ) as IterableIterator<{
    header: string;
  }>;
  let total = new Dec(0);
  for (const { header } of rows) {
    const parsed = storedHeader(header);
    if (parsed.totals === null) {
      throw new JournalError('InvalidRecord', `seq ${parsed.seq} has no totals`);
    }
    total = total.plus(parsed.totals.grand_total);
  }
  return total.toFixed();
}
