import { ZERO } from '../money/decimal.js';
import { invalid } from '../errors.js';
import { Master, type MasterInput } from '../master.js';
import { Fields, type Rec } from '../record.js';
import type { Doc } from './doc.js';
import { calculateTaxesAndTotals } from './taxes.js';
import { PricingRules } from './pricing-rules.js';
import { pointsEarned, type PointsEarned } from '../loyalty.js';
import { packedItems, type PackedItem } from '../bundle.js';
import { docstatusOf, header, paymentRows } from './header.js';
import { cloneDoc } from './clone-doc.js';
import type { LineMemo } from './line-memo.js';
import { applyFreeItems, setItemDetails } from './item-details.js';
import { settlePayments, validateLoyalty } from './payments.js';
import {
  validateFullPayment,
  validateGrandTotal,
  validateMaxDiscount,
  validateNonZeroQty,
  validatePaymentSigns,
  validatePaymentsPresent,
  validateReturn,
  validateUomIsInteger,
} from './validate.js';

interface QuoteOptions {
  /** Today's date (YYYY-MM-DD) for loyalty balances, as ERPNext's `today()`; defaults to posting_date. */
  readonly today?: string;
  /**
   * Lines priced before on the same master data, reused where the row and the header are the
   * same (see `LineMemo`); the quote is the same with or without it.
   */
  readonly lines?: LineMemo;
}

export interface Quote {
  readonly doc: Doc;
  readonly packed_items: PackedItem[];
  readonly loyalty_points_earned: PointsEarned | null;
}

/**
 * Computes a POS Invoice exactly as ERPNext v15 validates one: item details and prices, pricing
 * rules, taxes and totals, transaction rules, loyalty, payments. Pure: same inputs, same output.
 * Throws QuoteError where ERPNext would refuse the document.
 */
export function quote(
  masterInput: MasterInput | Master,
  draftInput: Rec,
  options: QuoteOptions = {},
): Quote {
  const master = masterInput instanceof Master ? masterInput : new Master(masterInput);
  const doc = priceLines(master, draftInput, options);
  return settle(master, new Fields(draftInput, 'invoice'), doc, true);
}

/**
 * A draft priced up to its payments: lines, rules, taxes and totals computed once, settled
 * against any number of payment variants of the same draft (a till prices a cart once for the
 * amount due, then again with the tender).
 */
export interface PricedDraft {
  /**
   * The quote of `draftInput`, which must be the priced draft with only its `payments` and
   * `docstatus` changed (other keys the very same values); anything else is quoted afresh.
   * Each call settles its own copy, so the result is `quote(master, draftInput, options)`'s.
   */
  settle(draftInput: Rec): Quote;
}

/**
 * Everything `quote` does before the payments, kept for `PricedDraft.settle`. The draft is kept
 * by reference and compared by identity: it must not be changed in place afterwards.
 */
export function priceDraft(
  masterInput: MasterInput | Master,
  draftInput: Rec,
  options: QuoteOptions = {},
): PricedDraft {
  const master = masterInput instanceof Master ? masterInput : new Master(masterInput);
  const priced = priceLines(master, draftInput, options);
  return {
    settle(input: Rec): Quote {
      if (input === draftInput) return settle(master, new Fields(input, 'invoice'), priced);
      if (!onlyPaymentsDiffer(draftInput, input)) return quote(master, input, options);
      // Only what the variant changes is read again: the rest of its header is the priced
      // draft's, which passed every check `header` makes. Docstatus is checked before the
      // payment rows, as `header` does.
      const draft = new Fields(input, 'invoice');
      const docstatus = docstatusOf(draft);
      const payments = paymentRows(master, draft, priced.company);
      const doc = cloneDoc(priced);
      doc.docstatus = docstatus;
      doc.payments = payments;
      return settle(master, draft, doc, true);
    },
  };
}

const VARIANT_KEYS = new Set(['payments', 'docstatus']);

function onlyPaymentsDiffer(a: Rec, b: Rec): boolean {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (VARIANT_KEYS.has(k)) continue;
    if (!Object.is(a[k], b[k]) || Object.hasOwn(a, k) !== Object.hasOwn(b, k)) return false;
  }
  return true;
}

/** header .. transaction rules: the invoice's lines, taxes and totals before any payment. */
function priceLines(master: Master, draftInput: Rec, options: QuoteOptions): Doc {
  if (typeof draftInput !== 'object' || draftInput === null || Array.isArray(draftInput)) {
    throw invalid('invoice', 'expected a POS Invoice object');
  }
  const draft = new Fields(draftInput, 'invoice');
  const doc = header(master, draft);
  const rules = new PricingRules(master, doc);
  if (options.today) doc.today = options.today;

  validateNonZeroQty(doc);

  // set_missing_item_details: rows appended as free items are visited by the same loop.
  const given = draft.table('items');
  const memo = options.lines;
  const sent: unknown = draftInput['items'];
  const rows: readonly unknown[] = memo && Array.isArray(sent) ? sent : [];
  const head = memo ? memo.header(draftInput, options.today) : '';
  for (let i = 0; i < doc.items.length; i++) {
    const line = doc.items[i];
    if (!line) continue;
    // Rows the draft sent; the free rows appended after them are priced every time.
    const key = memo && i < rows.length ? memo.key(head, i, rows[i]) : null;
    const known = key === null ? undefined : memo?.take(key);
    if (known) {
      doc.items[i] = known.line;
      doc.pricing_rules.push(...known.rules);
      continue;
    }
    const rulesBefore = doc.pricing_rules.length;
    const rowsBefore = doc.items.length;
    rules.startRow();
    setItemDetails(master, doc, rules, line, given[i]);
    if (key !== null && rules.rowWasLocal() && doc.items.length === rowsBefore) {
      memo?.keep(key, line, doc.pricing_rules.slice(rulesBefore));
    }
  }

  const ruleOf = (name: string): Fields | undefined => rules.rule(name);
  calculateTaxesAndTotals(doc, ruleOf);
  validateGrandTotal(doc);

  if (!doc.ignore_pricing_rule) {
    const txn = rules.transactionRules();
    if (txn.removeFree) doc.items = doc.items.filter((l) => !l.is_free_item);
    if (txn.discount) calculateTaxesAndTotals(doc, ruleOf);
    if (txn.free.length > 0) {
      const start = doc.items.length;
      applyFreeItems(master, doc, txn.free);
      for (let i = start; i < doc.items.length; i++) {
        const line = doc.items[i];
        if (line) setItemDetails(master, doc, rules, line, undefined);
      }
      calculateTaxesAndTotals(doc, ruleOf);
    }
  }
  for (const line of doc.items) {
    line.stock_qty = line.qty.times(line.conversion_factor ?? ZERO);
  }
  return doc;
}

/**
 * Validations, payments, loyalty and packed items on a priced invoice. `owned` says the doc is
 * already a private copy; otherwise one is made, so the priced state is never written to.
 */
function settle(master: Master, draft: Fields, priced: Doc, owned = false): Quote {
  const doc = owned ? priced : cloneDoc(priced);
  const today = doc.today;
  if (!doc.is_return) validateMaxDiscount(master, doc);
  validatePaymentsPresent(doc);
  validateUomIsInteger(master, doc, 'stock');
  validateUomIsInteger(master, doc, 'sale');

  const invoiceTotal = settlePayments(master, doc, draft);
  validateReturn(doc, invoiceTotal);
  validatePaymentSigns(doc);
  validateLoyalty(master, doc, today);
  validateFullPayment(master, doc, invoiceTotal);

  const earned = doc.is_return ? null : pointsEarned(master, doc);
  return { doc, packed_items: packedItems(master, doc), loyalty_points_earned: earned };
}
