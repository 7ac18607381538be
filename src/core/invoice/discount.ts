import { ZERO, HUNDRED, type Dec } from '../money/decimal.js';
import type { TaxRow } from './doc.js';
import type { Calc } from './calc.js';

// The document's additional discount as `set_discount_amount` and `apply_discount_amount`
// spread it over the lines (erpnext/controllers/taxes_and_totals.py).

export function setDiscountAmount(c: Calc): void {
  const doc = c.doc;
  if (!doc.additional_discount_percentage.isZero()) {
    const base = doc.apply_discount_on === 'Net Total' ? doc.net_total : doc.grand_total;
    doc.discount_amount = c.f(base.times(doc.additional_discount_percentage).div(HUNDRED), c.cur);
  }
}

export function applyDiscountAmount(c: Calc): void {
  const doc = c.doc;
  if (doc.discount_amount.isZero()) {
    doc.base_discount_amount = ZERO;
    return;
  }
  doc.base_discount_amount = c.f(doc.discount_amount.times(doc.conversion_rate), c.cur);
  if (doc.apply_discount_on === 'Grand Total' && doc.is_cash_or_non_trade_discount) {
    c.discountAmountApplied = true;
    return;
  }
  const totalForDiscount = totalForDiscountAmount(c);
  if (totalForDiscount.isZero()) return;
  let netTotal = ZERO;
  let expectedNetTotal = ZERO;
  for (const item of doc.items) {
    const distributed = doc.discount_amount.times(item.net_amount).div(totalForDiscount);
    const adjusted = item.net_amount.minus(distributed);
    expectedNetTotal = expectedNetTotal.plus(adjusted);
    item.net_amount = c.f(adjusted, c.cur);
    item.distributed_discount_amount = c.f(distributed, c.cur);
    netTotal = netTotal.plus(item.net_amount);
    // Carry each line's rounding residue forward so the lines sum to the discounted total.
    const diff = c.f(expectedNetTotal.minus(netTotal), c.cur);
    if (!diff.isZero()) {
      item.net_amount = c.f(item.net_amount.plus(diff), c.cur);
      item.distributed_discount_amount = c.f(distributed.plus(diff), c.cur);
      netTotal = netTotal.plus(diff);
    }
    item.net_rate = item.qty.isZero() ? ZERO : c.f(item.net_amount.div(item.qty), c.cur);
  }
  c.discountAmountApplied = true;
  c.run();
}

function totalForDiscountAmount(c: Calc): Dec {
  const doc = c.doc;
  if (doc.apply_discount_on === 'Net Total' || doc.taxes.length === 0) return doc.net_total;
  let totalActual = ZERO;
  const actualRows = new Map<number, { tax: Dec; cumulative: Dec }>();
  const record = (tax: TaxRow, amount: Dec): void => {
    const a = tax.add_deduct_tax === 'Deduct' ? amount.neg() : amount;
    if (tax.category !== 'Valuation') totalActual = totalActual.plus(a);
    actualRows.set(tax.idx, { tax: a, cumulative: totalActual });
  };
  for (const tax of doc.taxes) {
    if (tax.charge_type === 'Actual' || tax.charge_type === 'On Item Quantity') {
      record(tax, tax.tax_amount);
      continue;
    }
    if (!tax.row_id) continue;
    const base = actualRows.get(tax.row_id);
    if (!base) continue;
    const amount = tax.charge_type === 'On Previous Row Amount' ? base.tax : base.cumulative;
    record(tax, amount.times(tax.rate).div(HUNDRED));
  }
  return (c.grandTotalForDistributingDiscount ?? doc.grand_total).minus(totalActual);
}
