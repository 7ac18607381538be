import { Dec, ONE, ZERO, HUNDRED, sum } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import type { Doc, Line, TaxRow } from './doc.js';
import { appliedRuleNames } from './rule-names.js';
import type { Fields } from '../record.js';

/** Field precision for Percent `discount_percentage` (its DocField sets 2). */
const DISCOUNT_PERCENT_PRECISION = 2;

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

class Calculator {
  private discountAmountApplied = false;
  private grandTotalDiff = ZERO;
  private grandTotalForDistributingDiscount: Dec | null = null;
  private readonly cur: number;
  private readonly flo: number;

  constructor(
    private readonly doc: Doc,
    private readonly ruleOf: (name: string) => Fields | undefined,
  ) {
    this.cur = doc.precision.currency;
    this.flo = doc.precision.float;
  }

  private f(v: Dec, precision: number): Dec {
    return flt(v, precision, this.doc.precision);
  }

  calculate(): void {
    this.discountAmountApplied = false;
    this.run();
    this.setDiscountAmount();
    this.applyDiscountAmount();
    const doc = this.doc;
    if (doc.apply_discount_on === 'Grand Total' && doc.is_cash_or_non_trade_discount) {
      doc.grand_total = doc.grand_total.minus(doc.discount_amount);
      doc.rounding_adjustment = ZERO;
      this.setRoundedTotal();
    }
  }

  private run(): void {
    this.calculateItemValues();
    this.initializeTaxes();
    this.determineExclusiveRate();
    this.calculateNetTotal();
    this.calculateTaxes();
    this.adjustGrandTotalForInclusiveTax();
    this.calculateTotals();
  }

  private roundFloatsInItem(item: Line): void {
    const { cur, flo } = this;
    item.qty = this.f(item.qty, flo);
    item.conversion_factor = this.f(item.conversion_factor ?? ZERO, flo);
    item.stock_qty = this.f(item.stock_qty, flo);
    item.price_list_rate = this.f(item.price_list_rate ?? ZERO, cur);
    item.margin_rate_or_amount = this.f(item.margin_rate_or_amount, flo);
    item.rate_with_margin = this.f(item.rate_with_margin, cur);
    item.discount_percentage = this.f(item.discount_percentage ?? ZERO, DISCOUNT_PERCENT_PRECISION);
    item.discount_amount = this.f(item.discount_amount ?? ZERO, cur);
    item.rate = this.f(item.rate ?? ZERO, cur);
    item.amount = this.f(item.amount, cur);
    item.net_rate = this.f(item.net_rate, cur);
    item.net_amount = this.f(item.net_amount, cur);
    item.distributed_discount_amount = this.f(item.distributed_discount_amount, cur);
  }

  private calculateItemValues(): void {
    if (this.discountAmountApplied) return;
    const { cur } = this;
    for (const item of this.doc.items) {
      this.roundFloatsInItem(item);
      const plr = item.price_list_rate ?? ZERO;
      const pct = item.discount_percentage ?? ZERO;
      let rate = item.rate ?? ZERO;
      let discountAmount = item.discount_amount ?? ZERO;
      if (pct.eq(100)) {
        rate = ZERO;
      } else if (!plr.isZero()) {
        if (rate.isZero() || (item.pricing_rules && pct.gt(0))) {
          rate = this.f(plr.times(ONE.minus(pct.div(HUNDRED))), cur);
          discountAmount = plr.times(pct.div(HUNDRED));
        } else if (!discountAmount.isZero() && item.pricing_rules) {
          rate = plr.minus(discountAmount);
        }
      }
      item.rate = rate;
      item.discount_amount = discountAmount;

      const [rateWithMargin] = this.calculateMargin(item);
      item.rate_with_margin = rateWithMargin;
      if (rateWithMargin.gt(0)) {
        item.rate = this.f(rateWithMargin.times(ONE.minus(pct.div(HUNDRED))), cur);
        if (!discountAmount.isZero() && pct.isZero()) {
          item.rate = rateWithMargin.minus(discountAmount);
        } else {
          item.discount_amount = rateWithMargin.minus(item.rate);
        }
      } else if (plr.gt(0)) {
        item.discount_amount = plr.minus(item.rate);
      }

      item.net_rate = item.rate;
      if (item.qty.isZero() && this.doc.is_return) {
        item.amount = this.f(item.rate.neg(), cur);
      } else {
        item.amount = this.f(item.rate.times(item.qty), cur);
      }
      item.net_amount = item.amount;
    }
  }

  /** `calculate_margin`: margin from the applied pricing rules, or from a rate above the list. */
  private calculateMargin(item: Line): [Dec, Dec] {
    let rateWithMargin = ZERO;
    const plr = item.price_list_rate ?? ZERO;
    if (plr.isZero()) return [ZERO, ZERO];
    if (item.pricing_rules && !this.doc.ignore_pricing_rule) {
      let hasMargin = false;
      for (const name of appliedRuleNames(item.pricing_rules)) {
        const rule = this.ruleOf(name);
        if (!rule) continue;
        const marginType = rule.str('margin_type');
        if (
          !rule.dec('margin_rate_or_amount').isZero() &&
          ((rule.str('currency') === this.doc.currency &&
            (marginType === 'Amount' || marginType === 'Percentage')) ||
            marginType === 'Percentage')
        ) {
          item.margin_type = marginType;
          item.margin_rate_or_amount = rule.dec('margin_rate_or_amount');
          hasMargin = true;
        }
      }
      if (!hasMargin) {
        item.margin_type = '';
        item.margin_rate_or_amount = ZERO;
      }
    }
    const rate = item.rate ?? ZERO;
    if (!item.pricing_rules && rate.gt(plr)) {
      item.margin_type = 'Amount';
      item.margin_rate_or_amount = this.f(rate.minus(plr), this.flo);
      item.rate_with_margin = rate;
    } else if (item.margin_type && !item.margin_rate_or_amount.isZero()) {
      const marginValue =
        item.margin_type === 'Amount'
          ? item.margin_rate_or_amount
          : plr.times(item.margin_rate_or_amount).div(HUNDRED);
      rateWithMargin = plr.plus(marginValue);
    }
    return [rateWithMargin, rateWithMargin.times(this.doc.conversion_rate)];
  }

  private initializeTaxes(): void {
    for (const tax of this.doc.taxes) {
      tax.item_wise_tax_detail = new Map();
      tax.total = ZERO;
      tax.tax_amount_after_discount_amount = ZERO;
      tax.tax_amount_for_current_item = ZERO;
      tax.grand_total_for_current_item = ZERO;
      tax.tax_fraction_for_current_item = ZERO;
      tax.grand_total_fraction_for_current_item = ZERO;
      if (
        tax.charge_type !== 'Actual' &&
        !(this.discountAmountApplied && this.doc.apply_discount_on === 'Grand Total')
      ) {
        tax.tax_amount = ZERO;
      }
      tax.rate = this.f(tax.rate, this.flo);
      tax.tax_amount = this.f(tax.tax_amount, this.cur);
    }
  }

  private taxRate(tax: TaxRow, item: Line): Dec {
    const override = item.item_tax_rate.get(tax.account_head);
    return override === undefined ? tax.rate : this.f(override, this.flo);
  }

  private determineExclusiveRate(): void {
    const taxes = this.doc.taxes;
    if (!taxes.some((t) => t.included_in_print_rate)) return;
    for (const item of this.doc.items) {
      let cumulated = ZERO;
      let inclusivePerQty = ZERO;
      taxes.forEach((tax, i) => {
        const [fraction, perQty] = this.currentTaxFraction(tax, item);
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
        !this.discountAmountApplied &&
        !item.qty.isZero() &&
        (!cumulated.isZero() || !inclusivePerQty.isZero())
      ) {
        const amount = item.amount.minus(inclusivePerQty);
        item.net_amount = this.f(amount.div(ONE.plus(cumulated)), this.cur);
        item.net_rate = this.f(item.net_amount.div(item.qty), this.cur);
        item.discount_percentage = this.f(
          item.discount_percentage ?? ZERO,
          DISCOUNT_PERCENT_PRECISION,
        );
      }
    }
  }

  private currentTaxFraction(tax: TaxRow, item: Line): [Dec, Dec] {
    let fraction = ZERO;
    let perQty = ZERO;
    if (tax.included_in_print_rate) {
      const rate = this.taxRate(tax, item);
      const ref = tax.row_id ? this.doc.taxes[tax.row_id - 1] : undefined;
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

  private calculateNetTotal(): void {
    const doc = this.doc;
    doc.total_qty = sum(doc.items.map((i) => i.qty));
    doc.total = this.f(sum(doc.items.map((i) => i.amount)), this.cur);
    doc.net_total = this.f(sum(doc.items.map((i) => i.net_amount)), this.cur);
  }

  private calculateTaxes(): void {
    const doc = this.doc;
    const taxes = doc.taxes;
    if (taxes.length === 0) return;
    const actual = new Map<number, Dec>();
    for (const tax of taxes) {
      if (tax.charge_type === 'Actual') actual.set(tax.idx, this.f(tax.tax_amount, this.cur));
    }
    const grandTotalDiscount =
      this.discountAmountApplied && doc.apply_discount_on === 'Grand Total';
    doc.items.forEach((item, n) => {
      taxes.forEach((tax, i) => {
        let current = this.currentTaxAmount(item, tax);
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
        const counted = this.forValuationOrDeduction(current, tax);
        const prev = taxes[i - 1];
        tax.grand_total_for_current_item =
          i === 0 || !prev
            ? item.net_amount.plus(counted)
            : prev.grand_total_for_current_item.plus(counted);
      });
    });

    if (
      doc.apply_discount_on === 'Grand Total' &&
      (this.discountAmountApplied ||
        !doc.discount_amount.isZero() ||
        !doc.additional_discount_percentage.isZero())
    ) {
      taxes.forEach((tax, i) => {
        if (this.discountAmountApplied) {
          tax.tax_amount_after_discount_amount = this.f(
            tax.tax_amount_after_discount_amount,
            this.cur,
          );
        }
        this.setCumulativeTotal(i, tax);
      });
      const last = taxes[taxes.length - 1];
      if (last) {
        if (!this.discountAmountApplied) {
          this.grandTotalForDistributingDiscount = last.total;
        } else {
          this.grandTotalDiff = this.f(
            (this.grandTotalForDistributingDiscount ?? ZERO)
              .minus(doc.discount_amount)
              .minus(last.total),
            this.cur,
          );
        }
      }
    }

    taxes.forEach((tax, i) => {
      tax.tax_amount = this.f(tax.tax_amount, this.cur);
      tax.tax_amount_after_discount_amount = this.f(tax.tax_amount_after_discount_amount, this.cur);
      this.setCumulativeTotal(i, tax);
    });
  }

  private forValuationOrDeduction(amount: Dec, tax: TaxRow): Dec {
    return tax.category === 'Valuation' ? ZERO : amount;
  }

  private setCumulativeTotal(i: number, tax: TaxRow): void {
    const amount = this.forValuationOrDeduction(tax.tax_amount_after_discount_amount, tax);
    const prev = this.doc.taxes[i - 1];
    tax.total = this.f(
      i === 0 || !prev ? this.doc.net_total.plus(amount) : prev.total.plus(amount),
      this.cur,
    );
  }

  private currentTaxAmount(item: Line, tax: TaxRow): Dec {
    const rate = this.taxRate(tax, item);
    const ref = tax.row_id ? this.doc.taxes[tax.row_id - 1] : undefined;
    let current = ZERO;
    switch (tax.charge_type) {
      case 'Actual': {
        const actual = this.f(tax.tax_amount, this.cur);
        current = this.doc.net_total.isZero()
          ? ZERO
          : item.net_amount.times(actual).div(this.doc.net_total);
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
    tax.item_wise_tax_detail.set(key, [rate, before.plus(current.times(this.doc.conversion_rate))]);
    return current;
  }

  private adjustGrandTotalForInclusiveTax(): void {
    const doc = this.doc;
    const last = doc.taxes[doc.taxes.length - 1];
    if (!last || !doc.taxes.some((t) => t.included_in_print_rate)) return;
    const nonInclusive = sum(
      doc.taxes
        .filter((t) => !t.included_in_print_rate)
        .map((t) => this.forValuationOrDeduction(t.tax_amount_after_discount_amount, t)),
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

  private setDiscountAmount(): void {
    const doc = this.doc;
    if (!doc.additional_discount_percentage.isZero()) {
      const base = doc.apply_discount_on === 'Net Total' ? doc.net_total : doc.grand_total;
      doc.discount_amount = this.f(
        base.times(doc.additional_discount_percentage).div(HUNDRED),
        this.cur,
      );
    }
  }

  private applyDiscountAmount(): void {
    const doc = this.doc;
    if (doc.discount_amount.isZero()) {
      doc.base_discount_amount = ZERO;
      return;
    }
    doc.base_discount_amount = this.f(doc.discount_amount.times(doc.conversion_rate), this.cur);
    if (doc.apply_discount_on === 'Grand Total' && doc.is_cash_or_non_trade_discount) {
      this.discountAmountApplied = true;
      return;
    }
    const totalForDiscount = this.totalForDiscountAmount();
    if (totalForDiscount.isZero()) return;
    let netTotal = ZERO;
    let expectedNetTotal = ZERO;
    for (const item of doc.items) {
      const distributed = doc.discount_amount.times(item.net_amount).div(totalForDiscount);
      const adjusted = item.net_amount.minus(distributed);
      expectedNetTotal = expectedNetTotal.plus(adjusted);
      item.net_amount = this.f(adjusted, this.cur);
      item.distributed_discount_amount = this.f(distributed, this.cur);
      netTotal = netTotal.plus(item.net_amount);
      // Carry each line's rounding residue forward so the lines sum to the discounted total.
      const diff = this.f(expectedNetTotal.minus(netTotal), this.cur);
      if (!diff.isZero()) {
        item.net_amount = this.f(item.net_amount.plus(diff), this.cur);
        item.distributed_discount_amount = this.f(distributed.plus(diff), this.cur);
        netTotal = netTotal.plus(diff);
      }
      item.net_rate = item.qty.isZero() ? ZERO : this.f(item.net_amount.div(item.qty), this.cur);
    }
    this.discountAmountApplied = true;
    this.run();
  }

  private totalForDiscountAmount(): Dec {
    const doc = this.doc;
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
    return (this.grandTotalForDistributingDiscount ?? doc.grand_total).minus(totalActual);
  }
}

/**
 * Frappe's `round_based_on_smallest_currency_fraction`: round to the currency's smallest coin
 * (0.05 for CHF cash, 1 for JPY...). Python's `%` takes the divisor's sign, so negatives round too.
 */
export function roundToSmallestFraction(value: Dec, fraction: Dec, round: (v: Dec) => Dec): Dec {
  if (fraction.isZero()) return round(value.toDecimalPlaces(0, Dec.ROUND_HALF_EVEN));
  const remainder = round(value.minus(fraction.times(value.div(fraction).floor())));
  const next = remainder.gt(fraction.div(2))
    ? value.plus(fraction.minus(remainder))
    : value.minus(remainder);
  return round(next);
}
