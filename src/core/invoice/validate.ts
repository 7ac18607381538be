import { Dec, ZERO } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import { QuoteError } from '../errors.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';

// ERPNext's validations of a priced POS Invoice (AccountsController, SellingController and
// POSInvoice.validate), each raising what ERPNext raises.

const profileOf = (master: Master, doc: Doc): Fields =>
  master.link('POS Profile', doc.pos_profile, 'pos_profile');

/** AccountsController.validate: zero quantities are refused before anything is priced. */
export function validateNonZeroQty(doc: Doc): void {
  if (doc.is_return) return;
  for (const line of doc.items) {
    if (line.qty.isZero()) {
      throw new QuoteError(
        'InvalidQtyError',
        `Row #${line.idx}: Quantity for Item ${line.item_code} cannot be zero.`,
        `items[${line.idx}].qty`,
      );
    }
  }
}

/** The company-currency grand total of a sale may not go below zero. */
export function validateGrandTotal(doc: Doc): void {
  if (!doc.is_return && doc.grand_total.times(doc.conversion_rate).lt(0)) {
    throw new QuoteError(
      'ValidationError',
      'Incorrect value: Grand Total (Company Currency) must be >= 0.0',
      'discount_amount',
    );
  }
}

export function validatePaymentsPresent(doc: Doc): void {
  if (doc.payments.length === 0) {
    throw new QuoteError(
      'ValidationError',
      'At least one mode of payment is required for POS invoice.',
      'payments',
    );
  }
}

/** A return: no positive quantities, and no more paid back than the invoice's total. */
export function validateReturn(doc: Doc, invoiceTotal: Dec): void {
  if (!doc.is_return) return;
  for (const line of doc.items) {
    if (line.qty.gt(0)) {
      throw new QuoteError(
        'ValidationError',
        `Row #${line.idx}: You cannot add postive quantities in a return invoice. Please remove item ${line.item_code} to complete the return.`,
        `items[${line.idx}].qty`,
      );
    }
  }
  const excess = doc.paid_amount.abs().plus(doc.write_off_amount.abs()).minus(invoiceTotal.abs());
  if (excess.gt(new Dec(1).div(new Dec(10).pow(doc.precision.currency + 1)))) {
    throw new QuoteError(
      'ValidationError',
      'Paid amount + Write Off Amount can not be greater than Grand Total',
      'paid_amount',
    );
  }
}

/** Payment rows are positive on a sale and negative on a return. */
export function validatePaymentSigns(doc: Doc): void {
  for (const p of doc.payments) {
    if (!doc.is_return && p.amount.lt(0)) {
      throw new QuoteError(
        'ValidationError',
        `Row #${p.idx} (Payment Table): Amount must be positive`,
        `payments[${p.idx}].amount`,
      );
    }
    if (doc.is_return && p.amount.gt(0)) {
      throw new QuoteError(
        'ValidationError',
        `Row #${p.idx} (Payment Table): Amount must be negative`,
        `payments[${p.idx}].amount`,
      );
    }
  }
}

/** A submitted invoice is paid in full unless the POS Profile allows partial payment. */
export function validateFullPayment(master: Master, doc: Doc, invoiceTotal: Dec): void {
  if (doc.docstatus === 1 && !profileOf(master, doc).bool('allow_partial_payment')) {
    if ((doc.is_return && !doc.paid_amount.eq(invoiceTotal)) || doc.paid_amount.lt(invoiceTotal)) {
      throw new QuoteError(
        'PartialPaymentValidationError',
        'Partial Payment in POS Invoice is not allowed.',
        'paid_amount',
      );
    }
  }
}

export function validateMaxDiscount(master: Master, doc: Doc): void {
  for (const line of doc.items) {
    const max = master.get('Item', line.item_code)?.dec('max_discount') ?? ZERO;
    if (!max.isZero() && (line.discount_percentage ?? ZERO).gt(max)) {
      throw new QuoteError(
        'ValidationError',
        `Maximum discount for Item ${line.item_code} is ${max.toString()}%`,
        `items[${line.idx}].discount_percentage`,
      );
    }
  }
}

/** ERPNext's `validate_uom_is_integer` tolerance (utilities/transaction_base.py). */
const WHOLE_TOLERANCE = new Dec('0.0000001');

export function validateUomIsInteger(master: Master, doc: Doc, which: 'stock' | 'sale'): void {
  for (const line of doc.items) {
    const uom = which === 'stock' ? line.stock_uom : line.uom;
    if (!master.get('UOM', uom)?.bool('must_be_whole_number')) continue;
    const qty = which === 'stock' ? line.stock_qty : line.qty;
    if (qty.isZero()) continue;
    const q = flt(qty, doc.precision.float, doc.precision);
    if (q.isInteger()) continue; // the common case, and |trunc(q) − q| = 0 for it
    if (q.trunc().minus(q).abs().gt(WHOLE_TOLERANCE)) {
      throw new QuoteError(
        'UOMMustBeIntegerError',
        `Row ${line.idx}: Quantity (${q.toString()}) cannot be a fraction. To allow this, disable 'Must be Whole Number' in UOM ${uom}.`,
        `items[${line.idx}].${which === 'stock' ? 'stock_qty' : 'qty'}`,
      );
    }
  }
}

export function validateWriteOff(master: Master, doc: Doc): void {
  if (doc.write_off_amount.isZero()) return;
  const limit = profileOf(master, doc).dec('write_off_limit');
  if (doc.write_off_amount.abs().gt(limit)) {
    throw new QuoteError(
      'ValidationError',
      `Write off amount ${doc.write_off_amount.toString()} is above the POS Profile's write-off limit ${limit.toString()}`,
      'write_off_amount',
    );
  }
}
