import { Dec, Master, priceDraft } from '../../../src/core/index.js';
import type { Quote } from '../api/schemas.js';
import type { Cart } from '../cart.js';
import type { PriceBook } from './book.js';
import { quoteOf } from './quote-of.js';

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The cart priced in the page exactly as the node's `priceCart` prices it when no payment is
 * given (src/pos/price-cart.ts): the same engine on the same records, the draft settled first
 * unsubmitted for the amount due, then submitted with exact cash. Null when only the node can
 * price it: a label line (its quantity is read from the scan on the node), an item or customer
 * the book does not hold, or anything the engine refuses (the node's refusal is the one shown).
 */
export function pagePrice(book: PriceBook, cart: Cart): Quote | null {
  if (cart.lines.length === 0 || cart.customer?.name !== book.customer) return null;
  const items: Record<string, string>[] = [];
  for (const l of cart.lines) {
    if (l.barcode !== undefined || l.item_code === undefined) return null;
    if (!DECIMAL.test(l.qty) || new Dec(l.qty).isZero()) return null;
    if (l.rate !== undefined && !DECIMAL.test(l.rate)) return null;
    items.push({
      item_code: l.item_code,
      qty: l.qty,
      ...(l.rate !== undefined ? { rate: l.rate } : {}),
    });
  }
  const input = book.input(items.map((i) => i.item_code ?? ''));
  if (!input) return null;
  const { draft: header, today, currency_precision: places, cash_mode: cash } = book.context;
  if (cash === null) return null;
  const draft = { ...header, items };
  try {
    const priced = priceDraft(new Master(input), draft, { today, lines: book.lines });
    const d = priced.settle(draft).doc;
    // pos/payment.ts amountDue: the rounded total when there is one, less loyalty redeemed.
    const due = (d.rounded_total.isZero() ? d.grand_total : d.rounded_total).minus(
      d.loyalty_amount,
    );
    const q = priced.settle({
      ...draft,
      docstatus: 1,
      payments: [{ mode_of_payment: cash, amount: due.toFixed(places) }],
    });
    return quoteOf(q);
  } catch {
    return null;
  }
}
