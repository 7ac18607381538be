import { toDec } from '../core/index.js';
import { amountDue } from '../pos/payment.js';
import type { priceCart } from '../pos/index.js';
import type { Terminal } from '../pos/terminal.js';

type PricedCart = ReturnType<typeof priceCart>;

/**
 * What the screen needs beside ERPNext's quote to take the money: the amount still due once
 * the loyalty points are counted, and the customer's points (balance, what this sale redeems
 * and earns, and the most it may redeem). The screen never computes money: these come priced.
 */
export function priceExtras(term: Terminal, priced: PricedCart) {
  const q = priced.quote;
  return {
    amount_due: amountDue(q).toFixed(priced.places),
    loyalty: loyaltyOf(term, priced),
  };
}

function loyaltyOf(term: Terminal, priced: PricedCart) {
  const doc = priced.quote.doc;
  if (!doc.loyalty_program || priced.pointsAfter === null) return null;
  const earned = priced.quote.loyalty_points_earned?.loyalty_points ?? 0;
  // price-cart counts the balance after this sale; before it is that, less earned, plus redeemed.
  const balance = priced.pointsAfter - earned + priced.redeem;
  const program = term.doc('Loyalty Program', doc.loyalty_program);
  const factor = toDec(program?.['conversion_factor'], 'conversion_factor');
  // ERPNext's validate_loyalty_points: no more than the balance, and the points' value no more
  // than the total (rounded unless rounding is off); the store may cap a sale's redemption.
  const total = doc.disable_rounded_total ? doc.grand_total : doc.rounded_total;
  const byTotal = factor.isZero() ? 0 : total.div(factor).floor().toNumber();
  const cap = term.settings.maxRedeemPoints;
  const max = Math.max(0, Math.min(balance, byTotal, cap ?? Number.MAX_SAFE_INTEGER));
  return {
    loyalty_program: doc.loyalty_program,
    conversion_factor: factor.toString(),
    points_balance: balance,
    points_redeemed: priced.redeem,
    loyalty_amount: doc.loyalty_amount.toFixed(priced.places),
    points_earned: earned,
    points_after: priced.pointsAfter,
    max_redeem_points: max,
  };
}
