import { Dec, ZERO, HUNDRED } from '../../money/decimal.js';
import type { Candidate, RuleArgs, RuleDetails } from './types.js';

/** `apply_price_discount_rule`. */
export function applyPriceDiscount(
  currency: string,
  c: Candidate,
  details: RuleDetails,
  args: RuleArgs,
): void {
  const rule = c.rule;
  details.pricing_rule_for = rule.str('rate_or_discount');
  const marginType = rule.str('margin_type');
  if (
    ((marginType === 'Amount' || marginType === 'Percentage') &&
      rule.str('currency') === currency) ||
    marginType === 'Percentage'
  ) {
    details.margin_type = marginType;
    details.has_margin = true;
    details.margin_rate_or_amount = rule.bool('apply_multiple_pricing_rules')
      ? details.margin_rate_or_amount.plus(rule.dec('margin_rate_or_amount'))
      : rule.dec('margin_rate_or_amount');
  }
  const kind = rule.str('rate_or_discount');
  if (kind === 'Rate') {
    const rate = rule.str('currency') === currency ? rule.dec('rate') : ZERO;
    if (!rate.isZero()) {
      const blankUom = c.uom !== args.uom;
      details.price_list_rate = rate.times(blankUom ? args.conversion_factor : new Dec(1));
    }
    details.discount_percentage = ZERO;
  }
  for (const applyOn of ['Discount Amount', 'Discount Percentage'] as const) {
    if (kind !== applyOn) continue;
    let field: 'discount_amount' | 'discount_percentage' =
      applyOn === 'Discount Amount' ? 'discount_amount' : 'discount_percentage';
    if (
      rule.bool('apply_discount_on_rate') &&
      details.discount_percentage &&
      !details.discount_percentage.isZero()
    ) {
      const current = details[field] ?? ZERO;
      details[field] = current.plus(HUNDRED.minus(current).times(rule.dec(field).div(HUNDRED)));
    } else if (!args.price_list_rate.isZero()) {
      let value = rule.dec(field);
      let recompute = false;
      if (field === 'discount_percentage') {
        field = 'discount_amount';
        value = args.price_list_rate.times(value.div(HUNDRED));
        recompute = true;
      }
      details[field] = (details[field] ?? ZERO).plus(value);
      if (recompute && details.discount_amount && !details.discount_amount.isZero()) {
        details.discount_percentage = details.discount_amount
          .div(args.price_list_rate)
          .times(HUNDRED);
      }
    } else {
      details[field] = (details[field] ?? ZERO).plus(rule.dec(field));
    }
  }
}
