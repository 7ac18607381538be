import type { Fields } from '../../record.js';
import type { RuleArgs, RuleContext } from './types.js';

/** `get_other_conditions` + warehouse, price list and date conditions. */
export function matchesConditions(ctx: RuleContext, rule: Fields, args: RuleArgs | null): boolean {
  const { doc } = ctx;
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
      if (v !== '' && !treeValues(ctx, dt, value, parent, true).includes(v)) return false;
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
      !treeValues(ctx, 'Warehouse', args.warehouse, 'parent_warehouse', false).includes(wh)
    ) {
      return false;
    }
  } else if (wh !== '') {
    return false;
  }
  const pl = rule.str('for_price_list');
  return pl === '' || pl === doc.selling_price_list;
}

/**
 * `_get_tree_conditions`: the node and its ancestors (plus the root for group trees), read once
 * per quote (`memo`) since every line asks the same few.
 */
export function treeValues(
  { master, memo }: Pick<RuleContext, 'master' | 'memo'>,
  doctype: string,
  value: string,
  parentField: string,
  withRoot: boolean,
): readonly string[] {
  return memo.tree(`${doctype}\u0000${value}\u0000${parentField}\u0000${String(withRoot)}`, () => {
    const out = master.ancestors(doctype, value, parentField);
    if (withRoot || doctype === 'Item Group') {
      const root = master.root(doctype, parentField);
      if (root && !out.includes(root)) out.push(root);
    }
    return out;
  });
}
