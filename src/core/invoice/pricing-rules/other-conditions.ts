import type { Master } from '../../master.js';
import type { Fields } from '../../record.js';
import type { RuleArgs, RuleContext } from './types.js';

/** `get_other_conditions` + warehouse, price list and date conditions. */
export function matchesConditions(
  { master, doc }: RuleContext,
  rule: Fields,
  args: RuleArgs | null,
): boolean {
  const eqOrBlank = (field: string, value: string): boolean =>
    value ? ['', value].includes(rule.str(field)) : rule.str(field) === '';
  if (!eqOrBlank('company', doc.company)) return false;
  if (!eqOrBlank('customer', doc.customer)) return false;
  if (rule.str('supplier') !== '') return false;
  if (!eqOrBlank('campaign', doc.campaign)) return false;
  if (!eqOrBlank('sales_partner', doc.sales_partner)) return false;
  for (const [dt, field, parent, value] of [
    ['Customer Group', 'customer_group', 'parent_customer_group', doc.customer_group],
    ['Territory', 'territory', 'parent_territory', doc.territory],
  ] as const) {
    const v = rule.str(field);
    if (value) {
      if (v !== '' && !treeValues(master, dt, value, parent, true).includes(v)) return false;
    } else if (v !== '') {
      return false;
    }
  }
  if (rule.str('supplier_group') !== '') return false;
  if (args === null) return true; // transaction rules: no date, warehouse or price list filter
  if (args.transaction_date) {
    const from = rule.date('valid_from') || '2000-01-01';
    const upto = rule.date('valid_upto') || '2500-12-31';
    if (args.transaction_date < from || args.transaction_date > upto) return false;
  }
  const wh = rule.str('warehouse');
  if (args.warehouse) {
    if (
      wh !== '' &&
      !treeValues(master, 'Warehouse', args.warehouse, 'parent_warehouse', false).includes(wh)
    ) {
      return false;
    }
  } else if (wh !== '') {
    return false;
  }
  const pl = rule.str('for_price_list');
  return pl === '' || pl === doc.selling_price_list;
}

/** `_get_tree_conditions`: the node and its ancestors (plus the root for group trees). */
export function treeValues(
  master: Master,
  doctype: string,
  value: string,
  parentField: string,
  withRoot: boolean,
): string[] {
  const out = master.ancestors(doctype, value, parentField);
  if (withRoot || doctype === 'Item Group') {
    const root = master.root(doctype, parentField);
    if (root && !out.includes(root)) out.push(root);
  }
  return out;
}
