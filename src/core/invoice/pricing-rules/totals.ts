import { Dec, ZERO } from '../../money/decimal.js';
import type { Fields } from '../../record.js';
import { fieldOf, LEVELS, ruleItems } from './levels.js';
import { filterQtyAmount } from './thresholds.js';
import type { Candidate, RuleArgs, RuleContext } from './types.js';

/** `get_qty_and_rate_for_mixed_conditions`: totals over every row the rule covers. */
export function mixedConditions(
  ctx: RuleContext,
  rule: Fields,
  args: RuleArgs,
): [Dec, Dec, string[]] {
  ctx.reach.wide = true;
  const items = ruleItems(ctx.master, rule, false);
  const applyOn = fieldOf(rule.str('apply_on'));
  let sumQty = ZERO;
  let sumAmt = ZERO;
  if (items.length > 0 && applyOn) {
    for (const row of ctx.doc.items) {
      const v = row[applyOn] || args[applyOn];
      if (!items.includes(v)) continue;
      let amt = args.qty.times(args.price_list_rate);
      if (args.item_code !== row.item_code)
        amt = row.qty.times(
          row.price_list_rate?.isZero() === false ? row.price_list_rate : args.rate,
        );
      const rowStock = !row.stock_qty.isZero()
        ? row.stock_qty
        : !args.stock_qty.isZero()
          ? args.stock_qty
          : args.qty;
      sumQty = sumQty.plus(rowStock);
      sumAmt = sumAmt.plus(amt);
    }
    if (rule.bool('is_cumulative')) {
      const [q, a] = cumulative(ctx, rule);
      if (!q.isZero()) {
        sumQty = sumQty.plus(q);
        sumAmt = sumAmt.plus(a);
      }
    }
  }
  return [sumQty, sumAmt, items];
}

/**
 * `get_qty_amount_data_for_cumulative`: quantities of submitted invoices inside the rule's
 * validity. Offline the store holds none of ERPNext's other invoices, so this counts the
 * submitted POS Invoices the master data carries (none, unless the caller supplies them).
 */
export function cumulative({ master, reach }: RuleContext, rule: Fields): [Dec, Dec] {
  reach.wide = true;
  const items = ruleItems(master, rule, false);
  const field = fieldOf(rule.str('apply_on'));
  const from = rule.date('valid_from');
  const upto = rule.date('valid_upto');
  let qty = ZERO;
  let amount = ZERO;
  for (const inv of master.all('POS Invoice')) {
    if (inv.dec('docstatus').toNumber() !== 1) continue;
    const date = inv.date('posting_date');
    if ((from && date < from) || (upto && date > upto)) continue;
    for (const row of inv.table('items')) {
      if (field && items.length > 0 && !items.includes(row.str(field))) continue;
      qty = qty.plus(row.dec('stock_qty'));
      amount = amount.plus(row.dec('amount'));
    }
  }
  return [qty, amount];
}

/** `get_qty_and_rate_for_other_item`: the condition is on the rule's items, the effect on others. */
export function forOtherItem(
  { master, doc, reach }: RuleContext,
  rule: Fields,
  rules: Candidate[],
): Candidate[] | null {
  reach.wide = true;
  const otherItems = ruleItems(master, rule, true);
  const field = fieldOf(rule.str('apply_on'));
  if (!field) return null;
  const table = LEVELS.find((l) => l.field === field);
  const items: string[] = [];
  for (const row of rule.table(table?.table ?? '')) {
    const v = row.str(field);
    if (field === 'item_group')
      items.push(...master.descendants('Item Group', v, 'parent_item_group'));
    else items.push(v);
  }
  for (const row of doc.items) {
    if (!items.includes(row[field]) || row.qty.isZero()) continue;
    const stockQty = row.qty.times(
      row.conversion_factor?.isZero() === false ? row.conversion_factor : new Dec(1),
    );
    const plr = row.price_list_rate ?? ZERO;
    const amount = stockQty.times(!plr.isZero() ? plr : (row.rate ?? ZERO));
    const kept = filterQtyAmount(master, stockQty, amount, rules, row.uom);
    if (kept[0]) {
      kept[0].apply_rule_on_other_items = otherItems;
      return kept;
    }
  }
  return null;
}
