import { ZERO } from '../../money/decimal.js';
import { appliedRuleNames, formatRuleNames } from '../rule-names.js';
import { fieldOf, LEVELS, ruleItems } from './levels.js';
import { applyPriceDiscount } from './price-discount.js';
import { productDiscount } from './product-discount.js';
import { getPricingRules } from './select.js';
import {
  emptyDetails,
  type Candidate,
  type RuleArgs,
  type RuleContext,
  type RuleDetails,
} from './types.js';

/** ERPNext's `get_pricing_rule_for_item` on the server (`for_validate`, with the document). */
export function pricingRuleForItem(ctx: RuleContext, args: RuleArgs): RuleDetails {
  const { master, doc } = ctx;
  const details = emptyDetails();
  if (args.is_free_item || doc.ignore_pricing_rule || !args.item_code) return details;

  let found: (Candidate | 'suggestion')[];
  if (args.pricing_rules) {
    found = appliedRuleNames(args.pricing_rules).map((name) => {
      const rule = master.link('Pricing Rule', name, `Pricing Rule ${name}`);
      const table = LEVELS.find((l) => l.apply_on === rule.str('apply_on'));
      const row = table
        ? rule.table(table.table).find((r) => r.str(table.field) === args[table.field])
        : undefined;
      const otherField = fieldOf(rule.str('apply_rule_on_other'));
      return {
        rule,
        name,
        uom: row?.str('uom') ?? '',
        apply_rule_on_other_items: ruleItems(master, rule, otherField !== ''),
      };
    });
  } else {
    found = getPricingRules(ctx, args);
  }
  if (found.length === 0) return details;

  const applied: string[] = [];
  for (const c of found) {
    if (c === 'suggestion') continue;
    const rule = c.rule;
    if (rule.bool('coupon_code_based')) {
      if (!doc.coupon_code) continue;
      const coupon = master.all('Coupon Code').find((cc) => cc.str('pricing_rule') === c.name);
      if (!coupon || coupon.str('name') !== doc.coupon_code) continue;
    }
    details.validate_applied_rule = rule.bool('validate_applied_rule');
    details.price_or_product_discount = rule.str('price_or_product_discount');
    applied.push(c.name);
    if (rule.bool('mixed_conditions') || rule.str('apply_rule_on_other')) {
      if (c.apply_rule_on_other_items && c.apply_rule_on_other_items.length > 0) {
        details.apply_rule_on_other_items = c.apply_rule_on_other_items;
      }
    }
    if (!details.validate_applied_rule) {
      if (rule.str('price_or_product_discount') === 'Price')
        applyPriceDiscount(doc.currency, c, details, args);
      else productDiscount(ctx, rule, details, args);
    }
  }
  if (!details.has_margin) {
    details.margin_type = '';
    details.margin_rate_or_amount = ZERO;
  }
  details.pricing_rules = formatRuleNames(applied);
  return details;
}
