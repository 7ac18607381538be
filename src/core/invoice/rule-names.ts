/** ERPNext's `get_applied_pricing_rules`: a JSON list, or a comma-separated string. */
export function appliedRuleNames(pricingRules: string): string[] {
  if (!pricingRules) return [];
  if (pricingRules.startsWith('[')) {
    const parsed: unknown = JSON.parse(pricingRules);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  }
  return pricingRules.split(',');
}

/** Frappe's `as_json` of a list of names (indent 1), the form ERPNext stores on item rows. */
export function formatRuleNames(names: readonly string[]): string {
  return names.length === 0
    ? '[]'
    : `[\n${names.map((n) => ` ${JSON.stringify(n)}`).join(',\n')}\n]`;
}
