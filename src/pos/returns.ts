import { toErpnextJson, type Dec, type Quote } from '../core/index.js';
import { assertChainCurrent } from './chain.js';
import { bookStock } from './bookings.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin, recordApproval } from './cashiers.js';
import { PosError, invalid } from './errors.js';
import { str } from './fields.js';
import { profileModes } from './modes.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { fromJournal } from './outbox.js';
import { loyaltyOnReturn } from './return-loyalty.js';
import { quoteReturn } from './return-quote.js';
import { original, pick, rowsOf } from './return-original.js';
import { enqueue, precision, requireShift, shiftForSale } from './shift.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

export interface ReturnInput {
  readonly cashier: Cashier;
  /** The original receipt's number (typed, or read from its QR). */
  readonly invoiceNo: string;
  /** Items and quantities to take back; none = everything not yet returned. */
  readonly items?: readonly { readonly item_code: string; readonly qty: string }[];
  /**
   * A void instead of a return: the whole sale cancelled (ERPNext cancels the POS Invoice), in
   * the shift it was made in, nothing returned before, with a manager's approval. It takes no
   * number of its own.
   */
  readonly void?: { readonly manager: Cashier; readonly reason: string };
  /**
   * Part of an exchange (`exchange.ts`): up to `credit` of the refund goes, in the cash mode, to
   * the new sale made in the same transaction instead of back to the customer; the rest, if
   * any, is refunded to the original modes as usual.
   */
  readonly exchange?: { readonly id: string; readonly credit: Dec };
}

export interface ReturnResult {
  readonly kind: 'return' | 'void';
  /** The return's own number; null for a void. */
  readonly invoice_no: string | null;
  readonly return_against: string;
  readonly uuid: string;
  readonly seq: number;
  readonly grand_total: string;
  readonly rounded_total: string;
  readonly refunds: readonly { mode: string; amount: string }[];
  readonly loyalty_points_reversed: number;
}

/**
 * A return against a receipt of this till: the original's prices, taxes and discounts (never
 * re-priced), refunds to the original modes (card-type first, then cash), stock back in, and
 * loyalty as ERPNext recomputes it. One transaction, like a sale.
 */
export function returnSale(term: Terminal, input: ReturnInput): ReturnResult {
  assertChainCurrent(term);
  const places = precision(term);
  const local = term.localTime();
  const orig = original(term, input.invoiceNo);
  const kind = input.void ? 'void' : 'return';
  if (input.void) {
    if (input.items?.length) throw invalid('items', 'a void cancels the whole sale');
    if (orig.returned.size > 0) {
      throw new PosError(
        'ReturnRefused',
        `invoice: ${input.invoiceNo} has returns: take the rest back as a return`,
        'invoice',
      );
    }
    const shiftOf = term.stmt('SELECT shift_id FROM sale WHERE seq = ?').pluck().get(orig.row.seq);
    if (shiftOf !== requireShift(term).id) {
      throw new PosError(
        'ReturnRefused',
        `invoice: ${input.invoiceNo} is from an earlier shift: make a return`,
        'invoice',
      );
    }
  }
  const inv = orig.body.invoice;
  const items = rowsOf(inv['items']);
  const picked = pick(items, orig.returned, input.items);
  const modes = profileModes(term);
  const {
    quote: q,
    snapshot,
    totals,
    refunds,
    credit,
    perMode,
    returnRows,
  } = quoteReturn(term, places, {
    inv,
    picked,
    paid: orig.body.money_per_mode,
    refunded: orig.refunded,
    ...(input.exchange ? { credit: input.exchange.credit } : {}),
    local,
    against: input.invoiceNo,
  });
  const loyaltyDelta = loyaltyOnReturn(term, orig, q.doc.grand_total.abs());

  const shift = input.void ? requireShift(term) : shiftForSale(term, input.cashier);
  return term.transact((tx) => {
    const loginSeq = ensureLogin(term, tx, input.cashier);
    const approval = input.void
      ? recordApproval(tx, input.void.manager, input.cashier, 'void', {
          invoice_no: input.invoiceNo,
          reason: input.void.reason,
        })
      : null;
    const invoiceNo = input.void ? null : nextNumber(term, seriesPrefix(term, local.year, false));
    const body = {
      kind,
      invoice_no: invoiceNo,
      approval,
      return_against: input.invoiceNo,
      against_uuid: orig.row.uuid,
      against_seq: orig.row.seq,
      store: term.settings.storeId,
      terminal: term.settings.terminalId,
      cashier: { id: input.cashier.id, name: input.cashier.name },
      login_seq: loginSeq,
      shift: { id: shift.id, uuid: shift.uuid },
      snapshot_version: snapshot,
      issued_at: local.iso,
      invoice: returnJson(q, local),
      return_rows: returnRows,
      rule_titles: orig.body.rule_titles ?? {},
      money_per_mode: perMode,
      change_mode: modes.cash,
      loyalty: { points_reversed: loyaltyDelta.points },
      ...(input.exchange
        ? { exchange: { id: input.exchange.id, credit: credit.toFixed(places) } }
        : {}),
    };
    const record = tx.append({
      type: kind,
      body,
      totals,
      ...(invoiceNo ? { invoice_no: invoiceNo } : {}),
    });
    const { uuid, time } = record.header;
    const seq = record.seq;
    term
      .stmt(
        `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        seq,
        invoiceNo,
        uuid,
        kind,
        shift.id,
        input.invoiceNo,
        str(inv['customer']),
        totals.grand_total,
        time,
      );
    // A return is a new (is_return) POS Invoice; a void cancels the original one.
    const action = input.void ? 'cancel' : 'insert';
    enqueue(term, uuid, seq, 'POS Invoice', invoiceNo, fromJournal(action), time);
    bookStock(term, q, str(term.profile()['warehouse']), -1);
    if (loyaltyDelta.points !== 0 && loyaltyDelta.program) {
      term
        .stmt(
          `INSERT INTO loyalty_pending (invoice_no, customer, loyalty_program, company, loyalty_points,
             purchase_amount, posting_date, expiry_date) VALUES (?, ?, ?, ?, ?, ?, ?, '9999-12-31')`,
        )
        .run(
          invoiceNo ?? input.invoiceNo,
          str(inv['customer']),
          loyaltyDelta.program,
          str(inv['company']),
          loyaltyDelta.points,
          q.doc.grand_total.toFixed(places),
          local.date,
        );
    }
    return {
      kind,
      invoice_no: invoiceNo,
      return_against: input.invoiceNo,
      uuid,
      seq,
      grand_total: q.doc.grand_total.toFixed(places),
      rounded_total: q.doc.rounded_total.toFixed(places),
      refunds: refunds.map((r) => ({ mode: r.mode, amount: `-${r.amount}` })),
      loyalty_points_reversed: -loyaltyDelta.points,
    };
  });
}

/** The return's POS Invoice as ERPNext JSON, dated at the till's local time. */
export function returnJson(q: Quote, local: { date: string; time: string }): Rec {
  return { ...toErpnextJson(q), posting_date: local.date, posting_time: local.time };
}
