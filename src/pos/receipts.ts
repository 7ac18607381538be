import type { JournalRecord } from '../journal/index.js';
import { readRecordByInvoiceNo } from '../journal/index.js';
import { siteSettingsFrom } from '../core/index.js';
import { buildReceipt, type Receipt } from '../receipt/index.js';
import type { Cashier } from './cashiers.js';
import { PosError } from './errors.js';
import type { Terminal } from './terminal.js';
import { str } from './fields.js';

type Rec = Record<string, unknown>;

interface SaleBody {
  invoice_no: string;
  return_against?: string;
  cashier: { id: string; name: string };
  issued_at: string;
  invoice: Rec;
  training?: boolean;
  loyalty?: {
    points_redeemed?: number;
    points_earned?: number;
    points_reversed?: number;
    /** Sales since this field was added; absent on older records. */
    points_balance_after?: number | null;
  };
  exchange?: { id: string; return_invoice?: string };
  rule_titles?: Record<string, string>;
}

/** The QR payload: the canonical signed header, a dot, the base64 Ed25519 signature. */
export const verificationPayload = (record: JournalRecord): string =>
  `${record.headerText}.${record.signature}`;

/** The receipt of a sale, return or training sale from its journal record (the truth). */
export function receiptOf(term: Terminal, record: JournalRecord, copy: number): Receipt {
  const body = JSON.parse(record.bodyText) as SaleBody;
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
    verification: { payload: verificationPayload(record), caption: 'Signed journal record' },
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

/** The journal record behind a receipt number; NotFound otherwise. */
export function receiptRecord(term: Terminal, invoiceNo: string): JournalRecord {
  const record = readRecordByInvoiceNo(term.db, invoiceNo);
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
export function issueReceipt(
  term: Terminal,
  invoiceNo: string,
  by: { cashier?: Cashier; manager?: Cashier } = {},
): { receipt: Receipt; copy: number; seq: number } {
  const record = receiptRecord(term, invoiceNo);
  return term.transact((tx) => {
    const copy = term
      .stmt(
        "SELECT count(*) FROM journal WHERE type = 'reprint' AND json_extract(body, '$.invoice_no') = ?",
      )
      .pluck()
      .get(invoiceNo) as number;
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
        original_seq: record.header.seq,
        cashier: by.cashier ? { id: by.cashier.id, name: by.cashier.name } : null,
        manager: by.manager ? { id: by.manager.id, name: by.manager.name } : null,
      },
    });
    return { receipt: receiptOf(term, record, copy), copy, seq: r.header.seq };
  });
}

/**
 * The receipt number a cashier gave: typed, or the receipt's QR scanned (its payload is the
 * signed header, which must be exactly this till's record of that number).
 */
export function invoiceFromScan(term: Terminal, text: string): string {
  const scan = text.trim();
  if (!scan.startsWith('{')) return scan;
  const cut = scan.lastIndexOf('}.');
  let invoiceNo: unknown;
  try {
    invoiceNo = (JSON.parse(scan.slice(0, cut + 1)) as { invoice_no?: unknown }).invoice_no;
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
  const record = receiptRecord(term, invoiceNo);
  if (verificationPayload(record) !== scan) {
    throw new PosError(
      'ReturnRefused',
      `invoice: the scanned QR does not match this till's record of ${invoiceNo}`,
      'invoice',
    );
  }
  return invoiceNo;
}
