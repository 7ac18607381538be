import { z } from 'zod';
import {
  hashCode,
  parseReceiptCode,
  receiptCode,
  type JournalRecord,
  type ReceiptCode,
  type VerifiedRecord,
} from '../journal/index.js';
import { siteSettingsFrom } from '../core/index.js';
import { buildReceipt, type Receipt } from '../receipt/index.js';
import type { Cashier } from './cashiers.js';
import { PosError } from './errors.js';
import type { Terminal } from './terminal.js';
import { str } from './fields.js';
import { receiptBodySchema } from './bodies.js';
import { bodyOf, verifiedRecord, verifiedRecordByInvoiceNo } from './journal-reads.js';

/**
 * The QR of receipts printed before the compact code: the canonical signed header, a dot, the
 * base64 Ed25519 signature. Still taken back for returns (those receipts are in customers' hands).
 */
const signedPayload = (record: JournalRecord): string => `${record.headerText}.${record.signature}`;

/** The compact QR and the code printed under it (src/receipt/verification.ts). */
function verificationOf(record: JournalRecord): { payload: string; caption: string } {
  const c = receiptCode(record.header.terminal, record.header.seq, record.hash);
  return { payload: c.payload, caption: `Check code ${c.human}` };
}

/** The receipt of a sale, return or training sale from its journal record (the truth). */
function receiptOf(term: Terminal, record: VerifiedRecord, copy: number): Receipt {
  const body = bodyOf(record, receiptBodySchema);
  const company = term.company();
  const settings = siteSettingsFrom((doctype, name) => term.doc(doctype, name));
  const isReturn = record.header.type === 'return';
  return buildReceipt({
    invoice: {
      erpnext: body.invoice,
      currencyPrecision: settings.currency,
      roundingMethod: settings.method,
    },
    company: {
      name: str(company['company_name'] ?? company['name']),
      taxId: str(company['tax_id']),
      address: term.settings.receiptAddress,
    },
    storeId: term.settings.storeId,
    terminalId: term.settings.terminalId,
    cashier: body.cashier,
    invoiceNo: body.invoice_no,
    seq: record.header.seq,
    issuedAt: body.issued_at,
    verification: verificationOf(record),
    copy,
    training: record.header.type === 'training',
    ...(body.rule_titles ? { ruleTitles: body.rule_titles } : {}),
    ...(isReturn
      ? {
          document: { kind: 'return' as const, against: body.return_against ?? '' },
          loyalty: { pointsRedeemed: 0, pointsEarned: -(body.loyalty?.points_reversed ?? 0) },
        }
      : {
          ...(typeof body.loyalty?.points_balance_after === 'number'
            ? { loyalty: { balanceAfter: body.loyalty.points_balance_after } }
            : {}),
          ...(body.exchange?.return_invoice
            ? { document: { kind: 'sale' as const, exchangeFor: body.exchange.return_invoice } }
            : {}),
        }),
  });
}

const PRINTABLE = ['sale', 'return', 'training'];

/** The journal record behind a receipt number, verified; NotFound otherwise. */
function receiptRecord(term: Terminal, invoiceNo: string): VerifiedRecord {
  // A number the sale index knows but the journal does not is a deleted record, not a typo.
  const indexed = term.stmt('SELECT seq FROM sale WHERE invoice_no = ?').pluck().get(invoiceNo);
  const record = verifiedRecordByInvoiceNo(term, invoiceNo);
  if (!record && typeof indexed === 'number') verifiedRecord(term, indexed);
  if (!record || !PRINTABLE.includes(record.header.type)) {
    throw new PosError('NotFound', `no receipt ${invoiceNo} on this till`, 'invoice');
  }
  return record;
}

/**
 * Produces a receipt and journals it first (a `reprint` record: which copy, who, when): the
 * first time the original (copy 0), then COPY 1, 2... A copy needs a manager when the store's
 * settings say so.
 */
function issueReceipt(
  term: Terminal,
  invoiceNo: string,
  by: { cashier?: Cashier; manager?: Cashier } = {},
): { receipt: Receipt; copy: number; seq: number } {
  const record = receiptRecord(term, invoiceNo);
  return term.transact((tx) => {
    const copy = copiesIssued(term, invoiceNo);
    if (copy > 0 && term.settings.reprintNeedsManager && !by.manager) {
      throw new PosError(
        'ApprovalRequired',
        `receipt ${invoiceNo} was already printed: a copy needs a manager (--manager ID --manager-pin PIN)`,
        'manager',
      );
    }
    const r = tx.append({
      type: 'reprint',
      body: {
        invoice_no: invoiceNo,
        copy,
        original_seq: record.seq,
        cashier: by.cashier ? { id: by.cashier.id, name: by.cashier.name } : null,
        manager: by.manager ? { id: by.manager.id, name: by.manager.name } : null,
      },
    });
    return { receipt: receiptOf(term, record, copy), copy, seq: r.header.seq };
  });
}

/** The part of a scanned receipt QR read before it is matched against the journal. */
const scannedSchema = z.object({ invoice_no: z.unknown() });

/**
 * How many times the receipt was issued: its reprint records, less those a print_failed event
 * says never came out of the printer (the next print must carry that copy number again).
 */
function copiesIssued(term: Terminal, invoiceNo: string): number {
  return term
    .stmt(
      `SELECT (SELECT count(*) FROM journal WHERE type = 'reprint'
                 AND json_extract(body, '$.invoice_no') = ?)
            - (SELECT count(*) FROM journal WHERE type = 'event'
                 AND json_extract(body, '$.event') = 'print_failed'
                 AND json_extract(body, '$.invoice_no') = ?)`,
    )
    .pluck()
    .get(invoiceNo, invoiceNo) as number;
}

/**
 * Issues a receipt (issueReceipt: journaled before it prints) and hands it to `deliver` (a
 * printer, a file). When delivery fails, a print_failed event cancels that issue, so the next
 * print is again the original (or the same copy); the delivery's error is rethrown. A crash
 * between the two leaves the issue counted: a receipt may then print as a COPY that was never
 * printed before, but never as a second original.
 */
export async function printReceipt(
  term: Terminal,
  invoiceNo: string,
  by: { cashier?: Cashier; manager?: Cashier },
  deliver: (receipt: Receipt) => Promise<void>,
): Promise<{ receipt: Receipt; copy: number; seq: number }> {
  const issued = issueReceipt(term, invoiceNo, by);
  try {
    await deliver(issued.receipt);
  } catch (e) {
    term.appendAlone({
      type: 'event',
      body: {
        event: 'print_failed',
        invoice_no: invoiceNo,
        reprint_seq: issued.seq,
        copy: issued.copy,
        reason: e instanceof Error ? e.message : String(e),
      },
    });
    throw e;
  }
  return issued;
}

/**
 * The receipt number a typed number or an older receipt's QR (its signed header) names,
 * unchecked: a receipt of another store is checked against ERPNext's copy, not this node's
 * journal. A check code names a place in a chain of this store (`invoiceFromScan`).
 */
export function scannedInvoiceNo(text: string): string {
  const scan = text.trim();
  if (!scan.startsWith('{')) return scan;
  const cut = scan.lastIndexOf('}.');
  let invoiceNo: unknown;
  try {
    invoiceNo = scannedSchema.parse(JSON.parse(scan.slice(0, cut + 1))).invoice_no;
  } catch {
    throw new PosError(
      'InvalidInput',
      'invoice: the scanned QR is not an Outpost receipt',
      'invoice',
    );
  }
  if (typeof invoiceNo !== 'string') {
    throw new PosError('InvalidInput', 'invoice: the scanned QR names no invoice', 'invoice');
  }
  return invoiceNo;
}

/**
 * The receipt number a cashier gave: typed, the receipt's QR scanned or its check code typed
 * (the record it names, verified, must hash to that code), or an older receipt's QR (the signed
 * header, which must be exactly this store's record of that number).
 */
export function invoiceFromScan(term: Terminal, text: string): string {
  const scan = text.trim();
  const code = parseReceiptCode(scan);
  if (code !== null) return invoiceFromCode(term, code);
  const invoiceNo = scannedInvoiceNo(scan);
  if (invoiceNo === scan) return scan;
  const record = receiptRecord(term, invoiceNo);
  if (signedPayload(record) !== scan) {
    throw new PosError(
      'ReturnRefused',
      `invoice: the scanned QR does not match this till's record of ${invoiceNo}`,
      'invoice',
    );
  }
  return invoiceNo;
}

/**
 * Where a check code points in this store's journal: at a record whose hash gives the code
 * (`here`), at a record with another hash (`other`: another store's receipt — every store may
 * have a T1 — or a made-up code), or at no record (`absent`). Not a verification:
 * `invoiceFromScan` verifies the record it then uses.
 */
export function codeInJournal(term: Terminal, code: ReceiptCode): 'here' | 'other' | 'absent' {
  const hash = term
    .stmt('SELECT hash FROM journal WHERE terminal = ? AND chain_seq = ?')
    .pluck()
    .get(code.terminal, code.seq);
  if (typeof hash !== 'string') return 'absent';
  return /^[0-9a-f]{64}$/.test(hash) && hashCode(hash) === code.code ? 'here' : 'other';
}

/**
 * The receipt number behind a check code: the record at that place of that terminal's chain,
 * verified (hashes, signature, neighbours) before its hash is compared with the code.
 */
function invoiceFromCode(term: Terminal, code: ReceiptCode): string {
  const where = `${code.terminal}/${code.seq}`;
  const seq = term
    .stmt('SELECT seq FROM journal WHERE terminal = ? AND chain_seq = ?')
    .pluck()
    .get(code.terminal, code.seq);
  if (typeof seq !== 'number') {
    throw new PosError(
      'NotFound',
      `invoice: no receipt ${where} in this store's journal`,
      'invoice',
    );
  }
  const record = verifiedRecord(term, seq);
  if (hashCode(record.hash) !== code.code) {
    throw new PosError(
      'ReturnRefused',
      `invoice: the receipt's check code does not match this store's record ${where}`,
      'invoice',
    );
  }
  const invoiceNo = record.header.invoice_no;
  if (invoiceNo === null || !PRINTABLE.includes(record.header.type)) {
    throw new PosError('NotFound', `invoice: record ${where} is not a receipt`, 'invoice');
  }
  return invoiceNo;
}
