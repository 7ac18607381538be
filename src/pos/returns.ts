import { Dec, toErpnextJson, type Quote } from '../core/index.js';
import type { Totals } from '../journal/index.js';
import { taxFigures } from '../receipt/index.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin, recordApproval } from './cashiers.js';
import { draftHeader, draftLines, resolveCustomer, runQuote } from './cart.js';
import { PosError, invalid } from './errors.js';
import { profileModes } from './modes.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { amountDue, bookStock } from './sale.js';
import { fromJournal } from './outbox.js';
import { enqueue, precision, requireShift, shiftForSale, type PerMode } from './shift.js';
import type { Terminal } from './terminal.js';
import { dec, str } from './fields.js';
import { returnBodySchema, saleBodySchema } from './bodies.js';
import { bodyOf, verifiedRecord } from './journal-reads.js';

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

interface SaleRow {
  seq: number;
  kind: string;
  uuid: string;
}

const rowsOf = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** A sale and what its earlier returns took back, read from the journal. */
function original(term: Terminal, invoiceNo: string) {
  const row = term.stmt('SELECT seq, kind, uuid FROM sale WHERE invoice_no = ?').get(invoiceNo) as
    SaleRow | undefined;
  if (!row) throw new PosError('NotFound', `invoice: no sale ${invoiceNo} on this till`, 'invoice');
  if (row.kind !== 'sale') {
    throw new PosError(
      'ReturnRefused',
      `invoice: ${invoiceNo} is a ${row.kind}, not a sale`,
      'invoice',
    );
  }
  // Refunds are made against the signed sale, so it (and each earlier return) is verified.
  const record = verifiedRecord(term, row.seq);
  if (record.header.invoice_no !== invoiceNo || record.header.uuid !== row.uuid) {
    throw new PosError(
      'JournalTampered',
      `invoice: journal seq ${row.seq} is not the record of ${invoiceNo}`,
      'journal',
    );
  }
  const body = bodyOf(record, saleBodySchema);
  const earlier = term
    .stmt(
      "SELECT seq, kind FROM sale WHERE against = ? AND kind IN ('return', 'void') ORDER BY seq",
    )
    .all(invoiceNo) as SaleRow[];
  const returned = new Map<number, Dec>();
  const refunded = new Map<string, Dec>();
  let returnedTotal = new Dec(0);
  for (const r of earlier) {
    if (r.kind === 'void')
      throw new PosError('ReturnRefused', `invoice: ${invoiceNo} was voided`, 'invoice');
    const b = bodyOf(verifiedRecord(term, r.seq), returnBodySchema);
    for (const x of b.return_rows ?? []) {
      returned.set(x.row, (returned.get(x.row) ?? new Dec(0)).plus(x.qty));
    }
    for (const [mode, amount] of Object.entries(b.money_per_mode ?? {})) {
      refunded.set(mode, (refunded.get(mode) ?? new Dec(0)).plus(amount));
    }
    returnedTotal = returnedTotal.plus(dec(b.invoice?.['grand_total']).abs());
  }
  return {
    row,
    record,
    body,
    returned,
    refunded,
    returnedTotal,
    firstReturn: earlier.length === 0,
  };
}

/** Which rows of the original, and how much of each, the return takes back. */
function pick(
  items: Rec[],
  returned: Map<number, Dec>,
  wanted: ReturnInput['items'],
): Map<number, Dec> {
  const left = (i: number) => dec(items[i]?.['qty']).minus(returned.get(i) ?? 0);
  const out = new Map<number, Dec>();
  if (!wanted || wanted.length === 0) {
    items.forEach((_, i) => {
      if (left(i).gt(0)) out.set(i, left(i));
    });
    if (out.size === 0)
      throw new PosError(
        'ReturnRefused',
        'everything on this receipt was already returned',
        'items',
      );
    return out;
  }
  wanted.forEach((w, k) => {
    const field = `items[${k + 1}]`;
    if (!/^\d+(\.\d+)?$/.test(w.qty) || new Dec(w.qty).isZero())
      throw invalid(`${field}.qty`, `${w.qty} is not a quantity above 0`);
    let need = new Dec(w.qty);
    const rows = items
      .map((it, i) => ({ it, i }))
      .filter(({ it }) => it['item_code'] === w.item_code);
    if (rows.length === 0)
      throw new PosError('ReturnRefused', `${field}: ${w.item_code} is not on this receipt`, field);
    // Paid rows first, free rows last; each up to what is left of it.
    rows.sort((a, b) => Number(a.it['is_free_item'] ?? 0) - Number(b.it['is_free_item'] ?? 0));
    for (const { i } of rows) {
      if (need.isZero()) break;
      const avail = left(i).minus(out.get(i) ?? 0);
      const take = Dec.min(avail, need);
      if (take.gt(0)) {
        out.set(i, (out.get(i) ?? new Dec(0)).plus(take));
        need = need.minus(take);
      }
    }
    if (need.gt(0)) {
      throw new PosError(
        'ReturnRefused',
        `${field}: only ${Dec.max(0, new Dec(w.qty).minus(need)).toFixed()} more of ${w.item_code} can be returned`,
        field,
      );
    }
  });
  return out;
}

/**
 * A return against a receipt of this till: the original's prices, taxes and discounts (never
 * re-priced), refunds to the original modes (card-type first, then cash), stock back in, and
 * loyalty as ERPNext recomputes it. One transaction, like a sale.
 */
export function returnSale(term: Terminal, input: ReturnInput): ReturnResult {
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
  const copied = [
    'item_code',
    'uom',
    'conversion_factor',
    'price_list_rate',
    'rate',
    'discount_percentage',
    'discount_amount',
    'margin_type',
    'margin_rate_or_amount',
    'item_tax_template',
    'barcode',
    'warehouse',
    'is_free_item',
    'pricing_rules',
  ];
  const draftItems = [...picked].map(([i, qty]) => {
    const src = items[i] ?? {};
    const row: Rec = {};
    for (const k of copied)
      if (src[k] !== undefined && src[k] !== null && src[k] !== '') row[k] = src[k];
    row['qty'] = qty.negated().toFixed();
    return row;
  });
  const pct = dec(inv['additional_discount_percentage']);
  const draft: Rec = {
    ...draftHeader(
      term,
      { company: inv['company'], customer: inv['customer'], posProfile: inv['pos_profile'] },
      local,
    ),
    is_return: 1,
    return_against: input.invoiceNo,
    ignore_pricing_rule: 1,
    selling_price_list: inv['selling_price_list'],
    taxes_and_charges: inv['taxes_and_charges'] ?? '',
    apply_discount_on: inv['apply_discount_on'] ?? 'Grand Total',
    ...(pct.gt(0) ? { additional_discount_percentage: pct.toFixed() } : {}),
    items: draftItems,
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
    docstatus: 0,
  };
  if (pct.isZero() && !dec(inv['discount_amount']).isZero()) {
    // An amount discount is shared out by the returned lines' part of the original total.
    const share = draftItems.reduce((a, r, k) => {
      const i = [...picked.keys()][k] ?? 0;
      return a.plus(
        dec(items[i]?.['amount'])
          .times(new Dec(String(r['qty'])).abs())
          .div(str(items[i]?.['qty']) || 1),
      );
    }, new Dec(0));
    const total = dec(inv['total']);
    if (!total.isZero())
      draft['discount_amount'] = new Dec(String(inv['discount_amount']))
        .times(share)
        .div(total)
        .negated()
        .toFixed(places);
  }
  const first = runQuote(term, draft, local.date).quote;
  const due = amountDue(first).abs();
  const cashMode = modes.cash ?? modes.default;
  const credit = input.exchange ? Dec.min(input.exchange.credit, due) : new Dec(0);
  const refunds = mergeRefunds(
    allocateRefund(
      orig.body.money_per_mode,
      orig.refunded,
      due.minus(credit),
      modes.typeOf,
      cashMode,
      places,
    ),
    credit.gt(0) ? [{ mode: cashMode, amount: credit.toFixed(places) }] : [],
    places,
  );
  const { quote: q, snapshot } = runQuote(
    term,
    {
      ...draft,
      docstatus: 1,
      payments: refunds.map((r) => ({ mode_of_payment: r.mode, amount: `-${r.amount}` })),
    },
    local.date,
  );
  const figures = taxFigures(q);
  const totals: Totals = {
    per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
    grand_total: q.doc.grand_total.toFixed(places),
  };
  const loyaltyDelta = loyaltyOnReturn(term, orig, q.doc.grand_total.abs());
  const returnRows = [...picked].map(([row, qty]) => ({
    row,
    item_code: str(items[row]?.['item_code']),
    qty: qty.toFixed(),
  }));
  const perMode: PerMode = Object.fromEntries(refunds.map((r) => [r.mode, `-${r.amount}`]));

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
    const { uuid, seq, time } = record.header;
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

function returnJson(q: Quote, local: { date: string; time: string }): Rec {
  return { ...toErpnextJson(q), posting_date: local.date, posting_time: local.time };
}

/** Two refund lists as one, a mode's amounts added. */
function mergeRefunds(
  a: readonly { mode: string; amount: string }[],
  b: readonly { mode: string; amount: string }[],
  places: number,
): { mode: string; amount: string }[] {
  const out = new Map<string, Dec>();
  for (const r of [...a, ...b]) out.set(r.mode, (out.get(r.mode) ?? new Dec(0)).plus(r.amount));
  return [...out].map(([mode, amount]) => ({ mode, amount: amount.toFixed(places) }));
}

/**
 * Refunds to the modes the customer paid with: non-cash modes first, each up to what it took
 * (less earlier refunds), the rest in cash.
 */
function allocateRefund(
  paid: PerMode,
  refunded: Map<string, Dec>,
  due: Dec,
  typeOf: (mode: string) => string,
  cashMode: string,
  places: number,
): { mode: string; amount: string }[] {
  const out: { mode: string; amount: string }[] = [];
  let left = due;
  const order = Object.keys(paid).sort(
    (a, b) => Number(typeOf(a) === 'Cash') - Number(typeOf(b) === 'Cash'),
  );
  for (const mode of order) {
    if (left.lte(0)) break;
    const room = new Dec(paid[mode] ?? 0).plus(refunded.get(mode) ?? 0);
    const take = Dec.min(room, left);
    if (take.gt(0)) {
      out.push({ mode, amount: take.toFixed(places) });
      left = left.minus(take);
    }
  }
  if (left.gt(0)) {
    const cash = out.find((o) => o.mode === cashMode);
    if (cash) cash.amount = new Dec(cash.amount).plus(left).toFixed(places);
    else out.push({ mode: cashMode, amount: left.toFixed(places) });
  }
  return out;
}

/**
 * ERPNext on a return (POS Invoice on_submit → the original's delete_loyalty_point_entry and
 * make_loyalty_point_entry): the original's entries, its redemption included, are deleted and
 * the earn entry is made again on the amount not yet returned. Locally: the change in earned
 * points, plus the redeemed points given back at the first return.
 */
function loyaltyOnReturn(
  term: Terminal,
  orig: ReturnType<typeof original>,
  thisReturn: Dec,
): { points: number; program: string } {
  const l = orig.body.loyalty;
  const program = l.earned?.loyalty_program ?? str(orig.body.invoice['loyalty_program']);
  if (!program) return { points: 0, program: '' };
  let delta = orig.firstReturn ? l.points_redeemed : 0;
  if (l.earned) {
    const doc = term.doc('Loyalty Program', program);
    const rule = rowsOf(doc?.['collection_rules']).find((r) => r['tier_name'] === l.earned?.tier);
    const factor = dec(rule?.['collection_factor']);
    const f = factor.isZero() ? new Dec(1) : factor;
    const purchase = new Dec(l.earned.purchase_amount);
    const before = purchase.minus(orig.returnedTotal).div(f).trunc().toNumber();
    const after = purchase.minus(orig.returnedTotal).minus(thisReturn).div(f).trunc().toNumber();
    delta += after - before;
  }
  return { points: delta, program };
}

export interface UnreceiptedReturnInput {
  readonly cashier: Cashier;
  readonly manager: Cashier;
  readonly items: readonly { readonly item_code: string; readonly qty: string }[];
  readonly customer?: string;
  readonly reason?: string;
}

/**
 * Goods back without a receipt: only with a manager's approval (journaled), at today's list
 * price with no promotion (nothing proves one applied), refunded in cash. ERPNext gets a return
 * POS Invoice against nothing.
 */
export function returnWithoutReceipt(term: Terminal, input: UnreceiptedReturnInput): ReturnResult {
  const places = precision(term);
  const local = term.localTime();
  const modes = profileModes(term);
  if (input.items.length === 0) throw invalid('items', 'name the items coming back');
  const lines = draftLines(
    term,
    input.items.map((i) => ({ item_code: i.item_code, qty: i.qty })),
  ).map((l) => ({ ...l, qty: new Dec(l.qty).negated().toFixed() }));
  const customer = resolveCustomer(term, input.customer);
  const profile = term.profile();
  const draft: Rec = {
    ...draftHeader(term, { company: profile['company'], customer: customer['name'] }, local),
    is_return: 1,
    ignore_pricing_rule: 1,
    items: lines,
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
    docstatus: 0,
  };
  const due = amountDue(runQuote(term, draft, local.date).quote).abs();
  const cash = modes.cash ?? modes.default;
  const { quote: q, snapshot } = runQuote(
    term,
    {
      ...draft,
      docstatus: 1,
      payments: [{ mode_of_payment: cash, amount: `-${due.toFixed(places)}` }],
    },
    local.date,
  );
  const figures = taxFigures(q);
  const totals: Totals = {
    per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
    grand_total: q.doc.grand_total.toFixed(places),
  };
  const shift = shiftForSale(term, input.cashier);
  return term.transact((tx) => {
    const loginSeq = ensureLogin(term, tx, input.cashier);
    const approval = recordApproval(tx, input.manager, input.cashier, 'return_without_receipt', {
      items: input.items,
      reason: input.reason ?? '',
    });
    const invoiceNo = nextNumber(term, seriesPrefix(term, local.year, false));
    const body = {
      kind: 'return',
      invoice_no: invoiceNo,
      approval,
      return_against: null,
      store: term.settings.storeId,
      terminal: term.settings.terminalId,
      cashier: { id: input.cashier.id, name: input.cashier.name },
      login_seq: loginSeq,
      shift: { id: shift.id, uuid: shift.uuid },
      snapshot_version: snapshot,
      issued_at: local.iso,
      invoice: returnJson(q, local),
      money_per_mode: { [cash]: `-${due.toFixed(places)}` },
      change_mode: modes.cash,
      loyalty: { points_reversed: 0 },
    };
    const record = tx.append({ type: 'return', body, totals, invoice_no: invoiceNo });
    const { uuid, seq, time } = record.header;
    term
      .stmt(
        `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
         VALUES (?, ?, ?, 'return', ?, NULL, ?, ?, ?)`,
      )
      .run(seq, invoiceNo, uuid, shift.id, str(customer['name']), totals.grand_total, time);
    enqueue(term, uuid, seq, 'POS Invoice', invoiceNo, fromJournal('insert'), time);
    bookStock(term, q, str(profile['warehouse']), -1);
    return {
      kind: 'return' as const,
      invoice_no: invoiceNo,
      return_against: '',
      uuid,
      seq,
      grand_total: q.doc.grand_total.toFixed(places),
      rounded_total: q.doc.rounded_total.toFixed(places),
      refunds: [{ mode: cash, amount: `-${due.toFixed(places)}` }],
      loyalty_points_reversed: 0,
    };
  });
}
