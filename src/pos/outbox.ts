import { z } from 'zod';
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

/** The ERPNext document an outbox row stands for, as the push will send it. */
export function outboxDocument(term: Terminal, uuid: string): Rec {
  const row = term
    .stmt('SELECT uuid, seq, doctype, payload FROM outbox WHERE uuid = ?')
    .get(uuid) as OutboxRow | undefined;
  if (!row) throw new PosError('NotFound', `outbox: no row ${uuid}`, 'uuid');
  const payload = parseStored(payloadSchema, row.payload, `outbox ${uuid} payload`);
  if (payload['from'] !== 'journal') return payload;
  // The signed record, not the outbox row, is what ERPNext receives: verified first.
  const record = verifiedRecord(term, row.seq);
  if (record.header.uuid !== row.uuid) {
    throw new PosError('NotFound', `outbox: journal record ${row.seq} is not ${row.uuid}`, 'uuid');
  }
  const body = bodyOf(record, invoiceBodySchema);
  if (payload['action'] === 'cancel') {
    return {
      doctype: row.doctype,
      outpost_action: 'cancel',
      outpost_uuid: body.against_uuid,
      outpost_void_uuid: row.uuid,
      invoice_no: body.return_against,
    };
  }
  return {
    ...body.invoice,
    doctype: row.doctype,
    outpost_invoice_no: body.invoice_no,
    outpost_uuid: row.uuid,
    ...(body.against_uuid ? { outpost_return_against_uuid: body.against_uuid } : {}),
  };
}
