import { Dec, ZERO, sum } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import type { Doc } from './doc.js';
import type { Fields } from '../record.js';
import type { Calc } from './calc.js';
import { applyDiscountAmount, setDiscountAmount } from './discount.js';
import { calculateItemValues } from './item-values.js';
import {
  calculateTaxes,
  determineExclusiveRate,
  forValuationOrDeduction,
  initializeTaxes,
} from './tax-rows.js';

/**
 * ERPNext's `calculate_taxes_and_totals` for a POS Invoice (erpnext/controllers/taxes_and_totals.py),
 * re-expressed on exact decimals with rounding at the same places. `ruleOf` resolves a Pricing Rule
 * by name for margins.
 */
export function calculateTaxesAndTotals(
  doc: Doc,
  ruleOf: (name: string) => Fields | undefined,
): void {
  if (doc.items.length === 0) return;
  const calc = new Calculator(doc, ruleOf);
  calc.calculate();
}

class Calculator implements Calc {
  discountAmountApplied = false;
  grandTotalDiff = ZERO;
  grandTotalForDistributingDiscount: Dec | null = null;
  readonly cur: number;
  readonly flo: number;

  constructor(
    readonly doc: Doc,
    readonly ruleOf: (name: string) => Fields | undefined,
  ) {
    this.cur = doc.precision.currency;
    this.flo = doc.precision.float;
  }

  f(v: Dec, precision: number): Dec {
    return flt(v, precision, this.doc.precision);
  }

  calculate(): void {
    this.discountAmountApplied = false;
    this.run();
    setDiscountAmount(this);
    applyDiscountAmount(this);
    const doc = this.doc;
    if (doc.apply_discount_on === 'Grand Total' && doc.is_cash_or_non_trade_discount) {
      doc.grand_total = doc.grand_total.minus(doc.discount_amount);
      doc.rounding_adjustment = ZERO;
      this.setRoundedTotal();
    }
  }

  run(): void {
    calculateItemValues(this);
    initializeTaxes(this);
    determineExclusiveRate(this);
    this.calculateNetTotal();
    calculateTaxes(this);
    this.adjustGrandTotalForInclusiveTax();
    this.calculateTotals();
  }

  private calculateNetTotal(): void {
    const doc = this.doc;
    doc.total_qty = sum(doc.items.map((i) => i.qty));
    doc.total = this.f(sum(doc.items.map((i) => i.amount)), this.cur);
    doc.net_total = this.f(sum(doc.items.map((i) => i.net_amount)), this.cur);
  }

  private adjustGrandTotalForInclusiveTax(): void {
    const doc = this.doc;
    const last = doc.taxes[doc.taxes.length - 1];
    if (!last || !doc.taxes.some((t) => t.included_in_print_rate)) return;
    const nonInclusive = sum(
      doc.taxes
        .filter((t) => !t.included_in_print_rate)
        .map((t) => forValuationOrDeduction(t.tax_amount_after_discount_amount, t)),
    );
    let diff = doc.total.plus(nonInclusive).minus(this.f(last.total, this.cur));
    if (this.discountAmountApplied && !doc.discount_amount.isZero())
      diff = diff.minus(doc.discount_amount);
    diff = this.f(diff, this.cur);
    const limit = new Dec(5).div(new Dec(10).pow(this.cur));
    this.grandTotalDiff = !diff.isZero() && diff.abs().lte(limit) ? diff : ZERO;
  }

  private calculateTotals(): void {
    const doc = this.doc;
    const last = doc.taxes[doc.taxes.length - 1];
    doc.grand_total = last ? last.total.plus(this.grandTotalDiff) : doc.net_total;
    doc.total_taxes_and_charges = last
      ? this.f(doc.grand_total.minus(doc.net_total).minus(this.grandTotalDiff), this.cur)
      : ZERO;
    doc.grand_total = this.f(doc.grand_total, this.cur);
    this.setRoundedTotal();
  }

  private setRoundedTotal(): void {
    const doc = this.doc;
    if (doc.disable_rounded_total) {
      doc.rounded_total = ZERO;
      doc.rounding_adjustment = ZERO;
      return;
    }
    doc.rounded_total = roundToSmallestFraction(
      doc.grand_total,
      doc.smallest_currency_fraction_value,
      (v) => this.f(v, this.cur),
    );
    doc.rounding_adjustment = this.f(doc.rounded_total.minus(doc.grand_total), this.cur);
  }
}

/**
 * Frappe's `round_based_on_smallest_currency_fraction`: round to the currency's smallest coin
 * (0.05 for CHF cash, 1 for JPY...). Python's `%` takes the divisor's sign, so negatives round too.
 */
function roundToSmallestFraction(value: Dec, fraction: Dec, round: (v: Dec) => Dec): Dec {
  if (fraction.isZero()) return round(value.toDecimalPlaces(0, Dec.ROUND_HALF_EVEN));
  const remainder = round(value.minus(fraction.times(value.div(fraction).floor())));
  const next = remainder.gt(fraction.div(2))
    ? value.plus(fraction.minus(remainder))
    : value.minus(remainder);
  return round(next);
}
