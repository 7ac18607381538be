import { z } from 'zod';
import type { VerifiedRecord } from '../journal/index.js';
import { invoiceBodySchema } from './bodies.js';
import { PosError } from './errors.js';
import { bodyOf, parseStored, verifiedRecord } from './journal-reads.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

/**
 * How an outbox row says where its document is. Sales, returns and voids carry no copy of the
 * invoice: the push builds the document from the signed journal record, so ERPNext receives
 * exactly what the till signed (and an edited outbox row cannot change it).
 */
interface FromJournal {
  readonly from: 'journal';
  /** insert: a POS Invoice (a return is one with is_return); cancel: the original's void. */
  readonly action: 'insert' | 'cancel';
}

export const fromJournal = (action: FromJournal['action']): FromJournal => ({
  from: 'journal',
  action,
});

interface OutboxRow {
  uuid: string;
  seq: number;
  doctype: string;
  payload: string;
}

/** An outbox row's payload: where the document is (FromJournal), or the document itself. */
const payloadSchema = z.union([
  z.object({ from: z.literal('journal'), action: z.enum(['insert', 'cancel']) }),
  z.record(z.string(), z.unknown()),
]);

/** Which lines of the original a return takes back (index into the original's items). */
const returnRowsSchema = z.object({
  return_rows: z.array(z.object({ row: z.number().int().min(0) })).optional(),
  shift: z.object({ uuid: z.string() }).optional(),
});

/** The signed facts of the record behind an outbox row, carried to ERPNext's custom fields. */
export interface SignedFacts {
  readonly terminal: string;
  readonly seq: number;
  readonly hash: string;
  readonly signature: string;
  readonly keyId: string;
  /** The record's own uuid (for a void: the void's, not the original's). */
  readonly uuid: string;
  /** The canonical header and body texts, exactly as hashed: HQ's audit verifies them. */
  readonly headerText: string;
  readonly bodyText: string;
}

/** An outbox row ready to push: its document, the signed record it came from, and its links. */
export interface OutboxEntry {
  readonly uuid: string;
  readonly seq: number;
  readonly doctype: string;
  readonly action: 'insert' | 'cancel' | 'document';
  readonly document: Rec;
  readonly signed: SignedFacts;
  /** The verified record's body (a Z report's figures, a sale's shift). */
  readonly body: Readonly<Rec>;
  /** A return: the original's row index for each of its items, in order. */
  readonly returnRows: readonly number[];
  /** The uuid of the shift a sale, return or void was made in. */
  readonly shiftUuid: string | null;
}

/** The ERPNext document an outbox row stands for, as the push will send it. */
export function outboxDocument(term: Terminal, uuid: string): Rec {
  return outboxEntry(term, uuid).document;
}

/**
 * An outbox row with its verified journal record. Every row, also a shift's opening or
 * closing whose payload is stored with it, is checked against its signed record first: the
 * push never sends what the journal does not hold.
 */
export function outboxEntry(term: Terminal, uuid: string): OutboxEntry {
  const row = term
    .stmt('SELECT uuid, seq, doctype, payload FROM outbox WHERE uuid = ?')
    .get(uuid) as OutboxRow | undefined;
  if (!row) throw new PosError('NotFound', `outbox: no row ${uuid}`, 'uuid');
  const payload = parseStored(payloadSchema, row.payload, `outbox ${uuid} payload`);
  const record = verifiedRecord(term, row.seq);
  if (record.header.uuid !== row.uuid) {
    throw new PosError('NotFound', `outbox: journal record ${row.seq} is not ${row.uuid}`, 'uuid');
  }
  const base = {
    uuid: row.uuid,
    seq: row.seq,
    doctype: row.doctype,
    signed: signedFacts(record),
    body: record.body,
  };
  if (payload['from'] !== 'journal') {
    return { ...base, action: 'document', document: payload, returnRows: [], shiftUuid: null };
  }
  // The signed record, not the outbox row, is what ERPNext receives: verified above.
  const body = bodyOf(record, invoiceBodySchema);
  const links = bodyOf(record, returnRowsSchema);
  const shiftUuid = links.shift?.uuid ?? null;
  const returnRows = (links.return_rows ?? []).map((r) => r.row);
  if (payload['action'] === 'cancel') {
    return {
      ...base,
      action: 'cancel',
      returnRows,
      shiftUuid,
      document: {
        doctype: row.doctype,
        outpost_action: 'cancel',
        outpost_uuid: body.against_uuid,
        outpost_void_uuid: row.uuid,
        invoice_no: body.return_against,
      },
    };
  }
  return {
    ...base,
    action: 'insert',
    returnRows,
    shiftUuid,
    document: {
      ...body.invoice,
      doctype: row.doctype,
      outpost_invoice_no: body.invoice_no,
      outpost_uuid: row.uuid,
      ...(body.against_uuid ? { outpost_return_against_uuid: body.against_uuid } : {}),
      ...(body.remote_original ? { outpost_return_against_remote: body.remote_original } : {}),
    },
  };
}

const signedFacts = (record: VerifiedRecord): SignedFacts => ({
  terminal: record.header.terminal,
  seq: record.header.seq,
  hash: record.hash,
  signature: record.signature,
  keyId: record.header.key_id,
  uuid: record.header.uuid,
  headerText: record.headerText,
  bodyText: record.bodyText,
});
