import { type Dec, ZERO, sum } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import { QuoteError } from '../errors.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import { loyaltyBalance } from '../loyalty.js';
import type { Doc } from './doc.js';
import { validateWriteOff } from './validate.js';

// What the customer pays: loyalty redemption, paid amount, write-off and change.

/**
 * Paid amount (the draft's, else the payment rows plus any loyalty redemption, which a client
 * counts as paid), write-off and change; returns the total the invoice is due at.
 */
export function settlePayments(master: Master, doc: Doc, draft: Fields): Dec {
  const loyalty = loyaltyRedemption(master, doc);
  doc.paid_amount = draft.has('paid_amount')
    ? flt(draft.dec('paid_amount'), doc.precision.currency, doc.precision)
    : flt(
        sum(doc.payments.map((p) => p.amount)).plus(loyalty),
        doc.precision.currency,
        doc.precision,
      );
  doc.write_off_amount = flt(draft.dec('write_off_amount'), doc.precision.currency, doc.precision);
  validateWriteOff(master, doc);

  const invoiceTotal = !doc.rounded_total.isZero() ? doc.rounded_total : doc.grand_total;
  doc.change_amount = draft.dec('change_amount');
  if (doc.change_amount.isZero() && invoiceTotal.lt(doc.paid_amount)) {
    doc.change_amount = doc.paid_amount.minus(invoiceTotal).plus(doc.write_off_amount);
  }
  return invoiceTotal;
}

/** Loyalty amount a redemption is worth (validate_loyalty_points sets it when unset). */
function loyaltyRedemption(master: Master, doc: Doc): Dec {
  if (!doc.redeem_loyalty_points || !doc.loyalty_program || doc.loyalty_points.isZero())
    return ZERO;
  const program = master.link('Loyalty Program', doc.loyalty_program, 'loyalty_program');
  const amount = doc.loyalty_points.times(program.dec('conversion_factor'));
  if (doc.loyalty_amount.isZero())
    doc.loyalty_amount = flt(amount, doc.precision.currency, doc.precision);
  return doc.loyalty_amount;
}

/** `validate_loyalty_points`: company, balance as of today, and no more than the total. */
export function validateLoyalty(master: Master, doc: Doc, today: string): void {
  if (!doc.redeem_loyalty_points || !doc.loyalty_program || doc.loyalty_points.isZero()) return;
  const program = master.link('Loyalty Program', doc.loyalty_program, 'loyalty_program');
  if (program.str('company') !== doc.company) {
    throw new QuoteError(
      'ValidationError',
      "The Loyalty Program isn't valid for the selected company",
      'loyalty_program',
    );
  }
  const balance = loyaltyBalance(master, doc.customer, doc.loyalty_program, doc.company, today);
  if (doc.loyalty_points.gt(balance.points)) {
    throw new QuoteError(
      'ValidationError',
      "You don't have enough Loyalty Points to redeem",
      'loyalty_points',
    );
  }
  const amount = doc.loyalty_points.times(program.dec('conversion_factor'));
  const total = doc.disable_rounded_total ? doc.grand_total : doc.rounded_total;
  if (amount.gt(total)) {
    throw new QuoteError(
      'ValidationError',
      "You can't redeem Loyalty Points having more value than the Total Amount.",
      'loyalty_points',
    );
  }
}
