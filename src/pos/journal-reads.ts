import type { z } from 'zod';
import { QuoteError, parseJsonWith, parseWith } from '../core/index.js';
import type { VerifiedRecord } from '../journal/index.js';
import {
  JournalError,
  readVerifiedRecord,
  readVerifiedRecordByInvoiceNo,
} from '../journal/index.js';
import { PosError } from './errors.js';
import type { Terminal } from './terminal.js';

/**
 * The till's only way to read a journal record back: verified (hashes, signature under the
 * terminal's registered keys, links to its neighbours) before it can print, refund or push.
 * A record that fails is refused as JournalTampered, naming its seq.
 */
export function verifiedRecord(term: Terminal, seq: number): VerifiedRecord {
  const owner = term.stmt('SELECT terminal FROM journal WHERE seq = ?').pluck().get(seq);
  return refusing(() => readVerifiedRecord(term.db, seq, readOptions(term, owner)));
}

/** The verified record with this invoice number, or null when there is none. */
export function verifiedRecordByInvoiceNo(
  term: Terminal,
  invoiceNo: string,
): VerifiedRecord | null {
  const owner = term
    .stmt('SELECT terminal FROM journal WHERE invoice_no = ?')
    .pluck()
    .get(invoiceNo);
  return refusing(() =>
    readVerifiedRecordByInvoiceNo(term.db, invoiceNo, readOptions(term, owner)),
  );
}

/** A verified record's body in the shape `schema` gives it; InvalidInput naming the field. */
export function bodyOf<S extends z.ZodType>(record: VerifiedRecord, schema: S): z.output<S> {
  return asPosError(() => parseWith(schema, record.body, `journal seq ${record.header.seq} body`));
}

/** JSON the till stored itself (a state value, an outbox payload), checked against `schema`. */
export function parseStored<S extends z.ZodType>(
  schema: S,
  text: string,
  where: string,
): z.output<S> {
  return asPosError(() => parseJsonWith(schema, text, where));
}

function asPosError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof QuoteError) throw new PosError('InvalidInput', e.message, e.field);
    throw e;
  }
}

/**
 * A record is checked under the keys of the terminal whose chain holds it (any of the store's:
 * a return or a copy may be made at another till); its signed header must name that terminal.
 */
const readOptions = (term: Terminal, owner: unknown) => {
  const terminal = typeof owner === 'string' ? owner : term.key.terminal;
  return { publicKeys: term.keysOf(terminal), terminal };
};

function refusing<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof JournalError && e.kind === 'Tampered') {
      throw new PosError('JournalTampered', e.message, 'journal');
    }
    throw e;
  }
}
