import { QuoteError } from '../../errors.js';
import { candidates } from './candidates.js';
import { conditionHolds } from './condition.js';
import { LEVELS } from './levels.js';
import { filterQtyAmount, suggests } from './thresholds.js';
import { cumulative, forOtherItem, mixedConditions } from './totals.js';
import type { Candidate, RuleArgs, RuleContext } from './types.js';

/** `get_pricing_rules`: candidates level by level, then pick one or stack them. */
export function getPricingRules(ctx: RuleContext, args: RuleArgs): (Candidate | 'suggestion')[] {
  if (!ctx.master.all('Pricing Rule').some((r) => ctx.memo.isActive(r))) return [];
  let rules: Candidate[] = [];
  for (const level of LEVELS) {
    rules = rules.concat(candidates(ctx, level, args));
    if (rules[0]?.rule.bool('has_priority')) continue;
    if (rules.length > 0 && !allApplyMultiple(rules)) break;
  }
  rules = rules.filter((c) => {
    // A Python condition reads the document as it stands: other rows included.
    if (c.rule.str('condition')) ctx.reach.wide = true;
    return conditionHolds(ctx.doc, c, 'item', args.item_code);
  });
  if (rules.length === 0) return [];
  if (allApplyMultiple(rules)) {
    const byPriority = new Map<number, Candidate[]>();
    for (const c of rules) {
      const picked = filterPricingRules(ctx, args, [c]);
      if (picked && picked !== 'suggestion') {
        const p = Number(picked.rule.str('priority')) || 1;
        if (picked.rule.bool('apply_multiple_pricing_rules')) {
          byPriority.set(p, [...(byPriority.get(p) ?? []), picked]);
        }
      }
    }
    return [...byPriority.keys()].sort((a, b) => a - b).flatMap((k) => byPriority.get(k) ?? []);
  }
  const one = filterPricingRules(ctx, args, rules);
  return one ? [one] : [];
}

/** `filter_pricing_rules`: thresholds, then currency, priority and price list; a tie is an error. */
function filterPricingRules(
  ctx: RuleContext,
  args: RuleArgs,
  rules: Candidate[],
): Candidate | 'suggestion' | null {
  const { master, doc } = ctx;
  const first = rules[0];
  if (!first) return null;
  const original = [...rules];
  let stockQty = args.stock_qty;
  let amount = args.price_list_rate.times(args.qty);
  const pr = first.rule;
  if (pr.bool('mixed_conditions')) {
    const [q, a, items] = mixedConditions(ctx, pr, args);
    stockQty = q;
    amount = a;
    for (const c of rules) c.apply_rule_on_other_items = items;
  } else if (pr.bool('is_cumulative')) {
    const [q, a] = cumulative(ctx, pr);
    stockQty = stockQty.plus(q);
    amount = amount.plus(a);
  }
  let kept: Candidate[];
  if (pr.str('apply_rule_on_other') && !pr.bool('mixed_conditions')) {
    kept = forOtherItem(ctx, pr, rules) ?? [];
  } else {
    kept = filterQtyAmount(master, stockQty, amount, rules, args.uom);
  }
  if (kept.length === 0) {
    for (const c of original) {
      if (c.rule.dec('threshold_percentage').isZero()) continue;
      if (suggests(c.rule, stockQty, amount)) return 'suggestion';
    }
  }
  if (kept.length > 1) {
    const sameCurrency = kept.filter((c) => c.rule.str('currency') === doc.currency);
    if (sameCurrency.length > 0) kept = sameCurrency;
  }
  if (kept.length > 0) {
    const maxPriority = Math.max(
      ...kept.map((c) => Math.trunc(Number(c.rule.str('priority')) || 0)),
    );
    if (maxPriority)
      kept = kept.filter((c) => Math.trunc(Number(c.rule.str('priority')) || 0) === maxPriority);
  }
  if (kept.length > 1) {
    const kinds = new Set(kept.map((c) => c.rule.str('rate_or_discount')));
    if (kinds.size === 1 && kinds.has('Discount Percentage')) {
      const forList = kept.filter((c) => c.rule.str('for_price_list') === doc.selling_price_list);
      if (forList.length > 0) kept = forList;
    }
  }
  if (kept.length > 1) {
    throw new QuoteError(
      'MultiplePricingRuleConflict',
      `Multiple Price Rules exists with same criteria, please resolve conflict by assigning priority. Price Rules: ${kept.map((c) => c.name).join('\n')}`,
      `items.${args.item_code}`,
    );
  }
  return kept[0] ?? null;
}

function allApplyMultiple(rules: Candidate[]): boolean {
  return rules.every((c) => c.rule.bool('apply_multiple_pricing_rules'));
}
