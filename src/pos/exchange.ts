import { randomUUID } from 'node:crypto';
import { Dec } from '../core/index.js';
import type { Cashier } from './cashiers.js';
import type { Cart } from './cart.js';
import { PosError, invalid } from './errors.js';
import { profileModes } from './modes.js';
import { returnSale, type ReturnResult } from './returns.js';
import { returnAgainstRemote, type RemoteReturnResult, type RemoteSale } from './remote-return.js';
import { str } from './fields.js';
import { amountDue, type Payment } from './payment.js';
import { priceCart } from './price-cart.js';
import { sell, type SaleResult } from './sale.js';
import { precision } from './shift.js';
import type { Terminal } from './terminal.js';

interface ExchangeInput {
  readonly cashier: Cashier;
  /**
   * The original: a receipt number of this store (typed, or read from its QR), or another
   * store's sale as ERPNext holds it (src/server/return-anywhere.ts finds it while ERPNext
   * answers).
   */
  readonly invoiceNo: string | RemoteSale;
  /** What comes back: items and quantities of the original receipt. */
  readonly returnItems: readonly { readonly item_code: string; readonly qty: string }[];
  /** What goes out instead (the customer is the original sale's). */
  readonly cart: Omit<Cart, 'customer'>;
  /** For what the new goods cost beyond the credit; none: exact cash. */
  readonly payments?: readonly Payment[];
  readonly manager?: Cashier;
}

interface ExchangeResult {
  readonly exchange_id: string;
  readonly return: ReturnResult | RemoteReturnResult;
  readonly sale: SaleResult;
  /** The return's value applied to the new sale (moved through the cash mode). */
  readonly credit: string;
  /** What the customer pays (positive) or gets back (negative) once the credit is applied. */
  readonly difference: string;
}

/**
 * An exchange: goods of a receipt come back and others go out, in one transaction. ERPNext gets
 * what it would from its own POS: a return POS Invoice against the original and a new POS
 * Invoice. The return's value settles the new sale through the cash mode (refunded there,
 * paid back there: the drawer nets to the difference), so nothing is refunded to a card only to
 * be charged again. The customer pays the difference with `payments`, or gets back what the new
 * goods do not use, to the original modes as any return. Both records carry the exchange's id;
 * the sale also names the return. Nothing is written when either part is refused.
 */
export function exchange(term: Terminal, input: ExchangeInput): ExchangeResult {
  if (input.returnItems.length === 0) {
    throw invalid('return', 'name what comes back (--return CODE:QTY)');
  }
  if (input.cart.lines.length === 0) throw invalid('items', 'name what goes out (--item CODE)');
  const modes = profileModes(term);
  const cash = modes.cash ?? modes.default;
  const places = precision(term);
  const original = input.invoiceNo;
  const customer =
    typeof original === 'string'
      ? (term
          .stmt("SELECT customer FROM sale WHERE invoice_no = ? AND kind = 'sale'")
          .pluck()
          .get(original) as string | undefined)
      : str(original.invoice['customer']);
  if (customer === undefined) {
    throw new PosError(
      'NotFound',
      `invoice: no sale ${original as string} on this till`,
      'invoice',
    );
  }
  const id = randomUUID();
  return term.transact(() => {
    // What the new goods cost, priced on the same snapshot the sale will use.
    const due = amountDue(priceCart(term, { ...input.cart, customer }).quote);
    const back = {
      cashier: input.cashier,
      items: input.returnItems,
      exchange: { id, credit: due },
    };
    const ret =
      typeof original === 'string'
        ? returnSale(term, { ...back, invoiceNo: original })
        : returnAgainstRemote(term, { ...back, original });
    // The return's whole value: the credit and what goes back to the original modes.
    const refunded = ret.refunds.reduce((a, r) => a.plus(new Dec(r.amount).abs()), new Dec(0));
    const credit = Dec.min(refunded, due);
    const rest = due.minus(credit);
    if (rest.isZero() && input.payments?.length) {
      throw invalid(
        'payments',
        `the return (${refunded.toFixed(places)}) covers the new goods (${due.toFixed(places)}): nothing to pay`,
      );
    }
    // One row per mode, as ERPNext's POS keeps them: the credit joins any cash paid on top.
    const paid = [
      { mode: cash, amount: credit.toFixed(places) },
      ...(rest.gt(0) ? (input.payments ?? [{ mode: cash, amount: rest.toFixed(places) }]) : []),
    ];
    const byMode = new Map<string, Dec>();
    paid.forEach((p, i) => {
      if (!/^\d+(\.\d+)?$/.test(p.amount))
        throw invalid(`payments[${i}].amount`, `${p.amount} is not an amount ≥ 0`);
      byMode.set(p.mode, (byMode.get(p.mode) ?? new Dec(0)).plus(p.amount));
    });
    const payments: Payment[] = [...byMode].map(([mode, amount]) => ({
      mode,
      amount: amount.toFixed(places),
    }));
    const sale = sell(term, {
      ...input.cart,
      customer,
      cashier: input.cashier,
      payments,
      ...(input.manager ? { manager: input.manager } : {}),
      exchange: { id, returnInvoice: ret.invoice_no ?? '' },
    });
    return {
      exchange_id: id,
      return: ret,
      sale,
      credit: credit.toFixed(places),
      difference: due.minus(refunded).toFixed(places),
    };
  });
}
