import { ONE, ZERO, HUNDRED, type Dec } from '../money/decimal.js';
import type { Line, TaxRow } from './doc.js';
import { DISCOUNT_PERCENT_PRECISION, type Calc } from './calc.js';

// Tax rows, per item and cumulated, as `initialize_taxes`, `determine_exclusive_rate` and
// `calculate_taxes` compute them (erpnext/controllers/taxes_and_totals.py).

export function initializeTaxes(c: Calc): void {
  for (const tax of c.doc.taxes) {
    tax.item_wise_tax_detail = new Map();
    tax.total = ZERO;
    tax.tax_amount_after_discount_amount = ZERO;
    tax.tax_amount_for_current_item = ZERO;
    tax.grand_total_for_current_item = ZERO;
    tax.tax_fraction_for_current_item = ZERO;
    tax.grand_total_fraction_for_current_item = ZERO;
    if (
      tax.charge_type !== 'Actual' &&
      !(c.discountAmountApplied && c.doc.apply_discount_on === 'Grand Total')
    ) {
      tax.tax_amount = ZERO;
    }
    tax.rate = c.f(tax.rate, c.flo);
    tax.tax_amount = c.f(tax.tax_amount, c.cur);
  }
}

function taxRate(c: Calc, tax: TaxRow, item: Line): Dec {
  const override = item.item_tax_rate.get(tax.account_head);
  return override === undefined ? tax.rate : c.f(override, c.flo);
}

export function determineExclusiveRate(c: Calc): void {
  const taxes = c.doc.taxes;
  if (!taxes.some((t) => t.included_in_print_rate)) return;
  for (const item of c.doc.items) {
    let cumulated = ZERO;
    let inclusivePerQty = ZERO;
    taxes.forEach((tax, i) => {
      const [fraction, perQty] = currentTaxFraction(c, tax, item);
      tax.tax_fraction_for_current_item = fraction;
      const prev = taxes[i - 1];
      tax.grand_total_fraction_for_current_item =
        i === 0 || !prev
          ? ONE.plus(fraction)
          : prev.grand_total_fraction_for_current_item.plus(fraction);
      cumulated = cumulated.plus(fraction);
      inclusivePerQty = inclusivePerQty.plus(perQty.times(item.qty));
    });
    if (
      !c.discountAmountApplied &&
      !item.qty.isZero() &&
      (!cumulated.isZero() || !inclusivePerQty.isZero())
    ) {
      const amount = item.amount.minus(inclusivePerQty);
      item.net_amount = c.f(amount.div(ONE.plus(cumulated)), c.cur);
      item.net_rate = c.f(item.net_amount.div(item.qty), c.cur);
      item.discount_percentage = c.f(item.discount_percentage ?? ZERO, DISCOUNT_PERCENT_PRECISION);
    }
  }
}

function currentTaxFraction(c: Calc, tax: TaxRow, item: Line): [Dec, Dec] {
  let fraction = ZERO;
  let perQty = ZERO;
  if (tax.included_in_print_rate) {
    const rate = taxRate(c, tax, item);
    const ref = tax.row_id ? c.doc.taxes[tax.row_id - 1] : undefined;
    switch (tax.charge_type) {
      case 'On Net Total':
        fraction = rate.div(HUNDRED);
        break;
      case 'On Previous Row Amount':
        fraction = rate.div(HUNDRED).times(ref?.tax_fraction_for_current_item ?? ZERO);
        break;
      case 'On Previous Row Total':
        fraction = rate.div(HUNDRED).times(ref?.grand_total_fraction_for_current_item ?? ZERO);
        break;
      case 'On Item Quantity':
        perQty = rate;
        break;
    }
  }
  if (tax.add_deduct_tax === 'Deduct') return [fraction.neg(), perQty.neg()];
  return [fraction, perQty];
}

export function calculateTaxes(c: Calc): void {
  const doc = c.doc;
  const taxes = doc.taxes;
  if (taxes.length === 0) return;
  const actual = new Map<number, Dec>();
  for (const tax of taxes) {
    if (tax.charge_type === 'Actual') actual.set(tax.idx, c.f(tax.tax_amount, c.cur));
  }
  const grandTotalDiscount = c.discountAmountApplied && doc.apply_discount_on === 'Grand Total';
  doc.items.forEach((item, n) => {
    taxes.forEach((tax, i) => {
      let current = currentTaxAmount(c, item, tax);
      if (tax.charge_type === 'Actual') {
        const left = (actual.get(tax.idx) ?? ZERO).minus(current);
        actual.set(tax.idx, left);
        if (n === doc.items.length - 1) current = current.plus(left);
      }
      if (tax.charge_type !== 'Actual' && !grandTotalDiscount) {
        tax.tax_amount = tax.tax_amount.plus(current);
      }
      tax.tax_amount_for_current_item = current;
      tax.tax_amount_after_discount_amount = tax.tax_amount_after_discount_amount.plus(current);
      const counted = forValuationOrDeduction(current, tax);
      const prev = taxes[i - 1];
      tax.grand_total_for_current_item =
        i === 0 || !prev
          ? item.net_amount.plus(counted)
          : prev.grand_total_for_current_item.plus(counted);
    });
  });

  if (
    doc.apply_discount_on === 'Grand Total' &&
    (c.discountAmountApplied ||
      !doc.discount_amount.isZero() ||
      !doc.additional_discount_percentage.isZero())
  ) {
    taxes.forEach((tax, i) => {
      if (c.discountAmountApplied) {
        tax.tax_amount_after_discount_amount = c.f(tax.tax_amount_after_discount_amount, c.cur);
      }
      setCumulativeTotal(c, i, tax);
    });
    const last = taxes[taxes.length - 1];
    if (last) {
      if (!c.discountAmountApplied) {
        c.grandTotalForDistributingDiscount = last.total;
      } else {
        c.grandTotalDiff = c.f(
          (c.grandTotalForDistributingDiscount ?? ZERO)
            .minus(doc.discount_amount)
            .minus(last.total),
          c.cur,
        );
      }
    }
  }

  taxes.forEach((tax, i) => {
    tax.tax_amount = c.f(tax.tax_amount, c.cur);
    tax.tax_amount_after_discount_amount = c.f(tax.tax_amount_after_discount_amount, c.cur);
    setCumulativeTotal(c, i, tax);
  });
}

export function forValuationOrDeduction(amount: Dec, tax: TaxRow): Dec {
  return tax.category === 'Valuation' ? ZERO : amount;
}

function setCumulativeTotal(c: Calc, i: number, tax: TaxRow): void {
  const amount = forValuationOrDeduction(tax.tax_amount_after_discount_amount, tax);
  const prev = c.doc.taxes[i - 1];
  tax.total = c.f(i === 0 || !prev ? c.doc.net_total.plus(amount) : prev.total.plus(amount), c.cur);
}

function currentTaxAmount(c: Calc, item: Line, tax: TaxRow): Dec {
  const rate = taxRate(c, tax, item);
  const ref = tax.row_id ? c.doc.taxes[tax.row_id - 1] : undefined;
  let current = ZERO;
  switch (tax.charge_type) {
    case 'Actual': {
      const actual = c.f(tax.tax_amount, c.cur);
      current = c.doc.net_total.isZero()
        ? ZERO
        : item.net_amount.times(actual).div(c.doc.net_total);
      break;
    }
    case 'On Net Total':
      current = rate.div(HUNDRED).times(item.net_amount);
      break;
    case 'On Previous Row Amount':
      current = rate.div(HUNDRED).times(ref?.tax_amount_for_current_item ?? ZERO);
      break;
    case 'On Previous Row Total':
      current = rate.div(HUNDRED).times(ref?.grand_total_for_current_item ?? ZERO);
      break;
    case 'On Item Quantity':
      current = rate.times(item.qty);
      break;
  }
  const key = item.item_code || item.item_name;
  const before = tax.item_wise_tax_detail.get(key)?.[1] ?? ZERO;
  tax.item_wise_tax_detail.set(key, [rate, before.plus(current.times(c.doc.conversion_rate))]);
  return current;
}
