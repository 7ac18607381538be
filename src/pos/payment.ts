import { Dec, type Quote } from '../core/index.js';
import { checkAmountText } from './bounds.js';
import { PosError, invalid } from './errors.js';
import { checkMode, type ProfileModes } from './modes.js';
import type { PerMode } from './shift.js';

export interface Payment {
  readonly mode: string;
  /** Decimal text. */
  readonly amount: string;
}

/** The amount to collect: the rounded total (or grand total) less loyalty redeemed. */
export function amountDue(q: Quote): Dec {
  const total = q.doc.rounded_total.isZero() ? q.doc.grand_total : q.doc.rounded_total;
  return total.minus(q.doc.loyalty_amount);
}

/**
 * Checks the payments (known modes, enough paid, change only from cash) and returns the money
 * each mode takes, change deducted from the cash mode.
 */
export function moneyPerMode(
  payments: readonly Payment[],
  modes: ProfileModes,
  due: Dec,
  places: number,
): PerMode {
  const out: PerMode = {};
  let paid = new Dec(0);
  let cash = new Dec(0);
  payments.forEach((p, i) => {
    const field = `payments[${i + 1}]`;
    checkMode(modes, p.mode, `${field}.mode_of_payment`);
    if (!/^\d+(\.\d+)?$/.test(p.amount))
      throw invalid(`${field}.amount`, `${p.amount} is not an amount ≥ 0`);
    // Checked before comparing with the amount due: 4.375 must not pass as 4.38.
    checkAmountText(`${field}.amount`, p.amount, places);
    const amount = new Dec(p.amount);
    paid = paid.plus(amount);
    if (modes.typeOf(p.mode) === 'Cash') cash = cash.plus(amount);
    out[p.mode] = new Dec(out[p.mode] ?? 0).plus(amount).toFixed(places);
  });
  if (paid.lt(due)) {
    throw new PosError(
      'PaymentRefused',
      `paid ${paid.toFixed(places)}, due ${due.toFixed(places)}`,
      'payments',
    );
  }
  const change = paid.minus(due);
  if (change.gt(cash)) {
    throw new PosError(
      'PaymentRefused',
      `change of ${change.toFixed(places)} can only be given from cash (cash paid: ${cash.toFixed(places)})`,
      'payments',
    );
  }
  if (change.gt(0) && modes.cash) {
    out[modes.cash] = new Dec(out[modes.cash] ?? 0).minus(change).toFixed(places);
  }
  return out;
}
