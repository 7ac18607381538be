import { z } from 'zod';
import { parseJsonWith } from '../schema.js';

const RuleNameList = z.array(z.string());

/**
 * ERPNext's `get_applied_pricing_rules`: a JSON list, or a comma-separated string. A list that is
 * not JSON of strings is refused naming the field, not read as no rules.
 */
export function appliedRuleNames(pricingRules: string, where = 'pricing_rules'): string[] {
  if (!pricingRules) return [];
  if (pricingRules.startsWith('[')) return parseJsonWith(RuleNameList, pricingRules, where);
  return pricingRules.split(',');
}

/** Frappe's `as_json` of a list of names (indent 1), the form ERPNext stores on item rows. */
export function formatRuleNames(names: readonly string[]): string {
  return names.length === 0
    ? '[]'
    : `[\n${names.map((n) => ` ${JSON.stringify(n)}`).join(',\n')}\n]`;
}
