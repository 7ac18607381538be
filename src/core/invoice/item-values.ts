import { ONE, ZERO, HUNDRED, type Dec } from '../money/decimal.js';
import type { Line } from './doc.js';
import { appliedRuleNames } from './rule-names.js';
import { DISCOUNT_PERCENT_PRECISION, type Calc } from './calc.js';

// Item rates and amounts as `calculate_item_values` and `calculate_margin` set them
// (erpnext/controllers/taxes_and_totals.py).

function roundFloatsInItem(c: Calc, item: Line): void {
  const { cur, flo } = c;
  item.qty = c.f(item.qty, flo);
  item.conversion_factor = c.f(item.conversion_factor ?? ZERO, flo);
  item.stock_qty = c.f(item.stock_qty, flo);
  item.price_list_rate = c.f(item.price_list_rate ?? ZERO, cur);
  item.margin_rate_or_amount = c.f(item.margin_rate_or_amount, flo);
  item.rate_with_margin = c.f(item.rate_with_margin, cur);
  item.discount_percentage = c.f(item.discount_percentage ?? ZERO, DISCOUNT_PERCENT_PRECISION);
  item.discount_amount = c.f(item.discount_amount ?? ZERO, cur);
  item.rate = c.f(item.rate ?? ZERO, cur);
  item.amount = c.f(item.amount, cur);
  item.net_rate = c.f(item.net_rate, cur);
  item.net_amount = c.f(item.net_amount, cur);
  item.distributed_discount_amount = c.f(item.distributed_discount_amount, cur);
}

export function calculateItemValues(c: Calc): void {
  if (c.discountAmountApplied) return;
  const { cur } = c;
  for (const item of c.doc.items) {
    roundFloatsInItem(c, item);
    const plr = item.price_list_rate ?? ZERO;
    const pct = item.discount_percentage ?? ZERO;
    let rate = item.rate ?? ZERO;
    let discountAmount = item.discount_amount ?? ZERO;
    if (pct.eq(100)) {
      rate = ZERO;
    } else if (!plr.isZero()) {
      if (rate.isZero() || (item.pricing_rules && pct.gt(0))) {
        rate = c.f(plr.times(ONE.minus(pct.div(HUNDRED))), cur);
        discountAmount = plr.times(pct.div(HUNDRED));
      } else if (!discountAmount.isZero() && item.pricing_rules) {
        rate = plr.minus(discountAmount);
      }
    }
    item.rate = rate;
    item.discount_amount = discountAmount;

    const [rateWithMargin] = calculateMargin(c, item);
    item.rate_with_margin = rateWithMargin;
    if (rateWithMargin.gt(0)) {
      item.rate = c.f(rateWithMargin.times(ONE.minus(pct.div(HUNDRED))), cur);
      if (!discountAmount.isZero() && pct.isZero()) {
        item.rate = rateWithMargin.minus(discountAmount);
      } else {
        item.discount_amount = rateWithMargin.minus(item.rate);
      }
    } else if (plr.gt(0)) {
      item.discount_amount = plr.minus(item.rate);
    }

    item.net_rate = item.rate;
    if (item.qty.isZero() && c.doc.is_return) {
      item.amount = c.f(item.rate.neg(), cur);
    } else {
      item.amount = c.f(item.rate.times(item.qty), cur);
    }
    item.net_amount = item.amount;
  }
}

/** `calculate_margin`: margin from the applied pricing rules, or from a rate above the list. */
function calculateMargin(c: Calc, item: Line): [Dec, Dec] {
  let rateWithMargin = ZERO;
  const plr = item.price_list_rate ?? ZERO;
  if (plr.isZero()) return [ZERO, ZERO];
  if (item.pricing_rules && !c.doc.ignore_pricing_rule) {
    let hasMargin = false;
    for (const name of appliedRuleNames(item.pricing_rules)) {
      const rule = c.ruleOf(name);
      if (!rule) continue;
      const marginType = rule.str('margin_type');
      if (
        !rule.dec('margin_rate_or_amount').isZero() &&
        ((rule.str('currency') === c.doc.currency &&
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
    item.margin_rate_or_amount = c.f(rate.minus(plr), c.flo);
    item.rate_with_margin = rate;
  } else if (item.margin_type && !item.margin_rate_or_amount.isZero()) {
    const marginValue =
      item.margin_type === 'Amount'
        ? item.margin_rate_or_amount
        : plr.times(item.margin_rate_or_amount).div(HUNDRED);
    rateWithMargin = plr.plus(marginValue);
  }
  return [rateWithMargin, rateWithMargin.times(c.doc.conversion_rate)];
}
