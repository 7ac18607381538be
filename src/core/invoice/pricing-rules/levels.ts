import type { Master } from '../../master.js';
import type { Fields } from '../../record.js';

/** The item-level `apply_on` values, in the order `get_pricing_rules` scans them. */
export const LEVELS = [
  { apply_on: 'Item Code', table: 'items', field: 'item_code' },
  { apply_on: 'Item Group', table: 'item_groups', field: 'item_group' },
  { apply_on: 'Brand', table: 'brands', field: 'brand' },
] as const;

export type Level = (typeof LEVELS)[number];

export const fieldOf = (applyOn: string): 'item_code' | 'item_group' | 'brand' | '' =>
  applyOn === 'Item Code'
    ? 'item_code'
    : applyOn === 'Item Group'
      ? 'item_group'
      : applyOn === 'Brand'
        ? 'brand'
        : '';

/** `get_pricing_rule_items`: items (or groups with their descendants, or brands) a rule names. */
export function ruleItems(master: Master, rule: Fields, otherItems: boolean): string[] {
  const otherField = fieldOf(rule.str('apply_rule_on_other'));
  if (otherItems && otherField) return [rule.str(`other_${otherField}`)];
  const field = fieldOf(rule.str('apply_on'));
  const table = LEVELS.find((l) => l.field === field);
  if (!table) return [];
  const out = new Set<string>();
  for (const row of rule.table(table.table)) {
    const v = row.str(field);
    if (field === 'item_group')
      master.descendants('Item Group', v, 'parent_item_group').forEach((g) => out.add(g));
    else out.add(v);
  }
  return [...out];
}
