import { z } from 'zod';
import { parseWith } from '../core/schema.js';
import { hashCode, parseReceiptCode } from '../journal/index.js';
import type { Db } from '../store/db.js';
import { UsageError } from './args.js';

/** What `outpost verify --receipt CODE` found for a receipt's check code. */
export interface ReceiptCheck {
  /** The code as printed: T1/9/K7QM-4X2P-AB3C. */
  readonly code: string;
  readonly terminal: string;
  readonly seq: number;
  readonly invoice_no: string | null;
  readonly type: string | null;
  /** The record exists and its hash begins with the code's 60 bits. */
  readonly matches: boolean;
}

const rowSchema = z
  .object({ invoice_no: z.string().nullable(), type: z.string(), hash: z.string() })
  .optional();

/** Parses a code given on the command line, or a UsageError naming the flag. */
export function receiptCodeArg(text: string) {
  const code = parseReceiptCode(text);
  if (code === null) {
    throw new UsageError(
      `--receipt: expected a receipt's check code such as T1/9/K7QM-4X2P-AB3C; got ${text}`,
      '--receipt',
    );
  }
  return code;
}

/**
 * The record a receipt's check code names (its terminal's chain, its seq there) and whether its
 * hash matches the code. Meaningful once that terminal's chain verified: the chain check is what
 * ties the stored hash to the signed header.
 */
export function checkReceipt(db: Db, text: string): ReceiptCheck {
  const code = receiptCodeArg(text);
  const row = parseWith(
    rowSchema,
    db
      .prepare('SELECT invoice_no, type, hash FROM journal WHERE terminal = ? AND chain_seq = ?')
      .get(code.terminal, code.seq),
    `journal record ${code.terminal}/${code.seq}`,
  );
  const c = code.code;
  return {
    code: `${code.terminal}/${code.seq}/${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`,
    terminal: code.terminal,
    seq: code.seq,
    invoice_no: row?.invoice_no ?? null,
    type: row?.type ?? null,
    matches: row !== undefined && hashCode(row.hash) === c,
  };
}

/** The one line `outpost verify` prints for the receipt. */
export function receiptLine(r: ReceiptCheck): string {
  if (r.type === null) return `RECEIPT ${r.code}: no record ${r.terminal}/${r.seq} in this store\n`;
  const what = `${r.invoice_no ?? 'no invoice number'} (${r.type})`;
  return r.matches
    ? `RECEIPT ${r.code}: matches ${what}, record ${r.terminal}/${r.seq}\n`
    : `RECEIPT ${r.code}: DOES NOT MATCH record ${r.terminal}/${r.seq}, ${what}\n`;
}
