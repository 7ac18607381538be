import { Dec, type Quote } from '../core/index.js';
import type { Totals } from '../journal/index.js';
import { taxFigures } from '../receipt/index.js';
import { draftHeader, runQuote } from './cart.js';
import { dec, str } from './fields.js';
import { profileModes } from './modes.js';
import { amountDue } from './payment.js';
import { allocateRefund, mergeRefunds } from './refunds.js';
import type { PerMode } from './shift.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

/** The fields of an original's line a return copies: its prices, never priced again. */
const COPIED = [
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
] as const;

export interface ReturnQuoteInput {
  /** The original invoice (the signed record's, or ERPNext's document). */
  readonly inv: Rec;
  /** Which of its rows come back, and how much of each. */
  readonly picked: ReadonlyMap<number, Dec>;
  /** What the original took per mode, and what earlier returns refunded (negative). */
  readonly paid: PerMode;
  readonly refunded: ReadonlyMap<string, Dec>;
  /** The part of the refund an exchange keeps for its new sale (cash mode). */
  readonly credit?: Dec;
  readonly local: { date: string; time: string };
  /** The return's `return_against` in the draft (the receipt number, or ERPNext's name). */
  readonly against: string;
  /**
   * Another store's sale: the goods come back into this store's warehouse, under this store's
   * POS Profile, not the original's.
   */
  readonly here?: boolean;
}

export interface ReturnQuote {
  readonly quote: Quote;
  readonly snapshot: number;
  readonly totals: Totals;
  readonly refunds: { mode: string; amount: string }[];
  /** The cash mode's part kept for the exchange's sale. */
  readonly credit: Dec;
  readonly perMode: PerMode;
  readonly returnRows: { row: number; item_code: string; qty: string }[];
}

/**
 * A return's figures from its original's lines: prices, taxes and discounts as sold (never
 * re-priced; an amount discount shared out by the returned lines' part of the total), refunds
 * to the original modes (card-type first, then cash).
 */
export function quoteReturn(term: Terminal, places: number, o: ReturnQuoteInput): ReturnQuote {
  const { inv, picked } = o;
  const items = rowsOf(inv['items']);
  const modes = profileModes(term);
  const draftItems = [...picked].map(([i, qty]) => {
    const src = items[i] ?? {};
    const row: Rec = {};
    for (const k of COPIED) {
      if (o.here && k === 'warehouse') continue;
      if (src[k] !== undefined && src[k] !== null && src[k] !== '') row[k] = src[k];
    }
    row['qty'] = qty.negated().toFixed();
    return row;
  });
  const pct = dec(inv['additional_discount_percentage']);
  const header = o.here
    ? { company: inv['company'], customer: inv['customer'] }
    : { company: inv['company'], customer: inv['customer'], posProfile: inv['pos_profile'] };
  const draft: Rec = {
    ...draftHeader(term, header, o.local),
    is_return: 1,
    return_against: o.against,
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
  const first = runQuote(term, draft, o.local.date).quote;
  const due = amountDue(first).abs();
  const cashMode = modes.cash ?? modes.default;
  const credit = o.credit ? Dec.min(o.credit, due) : new Dec(0);
  const refunds = mergeRefunds(
    allocateRefund(o.paid, new Map(o.refunded), due.minus(credit), modes.typeOf, cashMode, places),
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
    o.local.date,
  );
  const figures = taxFigures(q);
  const totals: Totals = {
    per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
    grand_total: q.doc.grand_total.toFixed(places),
  };
  const returnRows = [...picked].map(([row, qty]) => ({
    row,
    item_code: str(items[row]?.['item_code']),
    qty: qty.toFixed(),
  }));
  const perMode: PerMode = Object.fromEntries(refunds.map((r) => [r.mode, `-${r.amount}`]));
  return { quote: q, snapshot, totals, refunds, credit, perMode, returnRows };
}

const rowsOf = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
