import type { Level } from './levels.js';
import { matchesConditions, treeValues } from './other-conditions.js';
import type { Candidate, RuleArgs, RuleContext } from './types.js';

/** `_get_pricing_rules` for one level: the SQL query, as a filter over the cached rules. */
export function candidates(ctx: RuleContext, level: Level, args: RuleArgs): Candidate[] {
  const value = args[level.field];
  if (!value) return [];
  const out: Candidate[] = [];
  const groups =
    level.field === 'item_group'
      ? treeValues(ctx, 'Item Group', value, 'parent_item_group', false)
      : null;
  const eligible = ctx.memo.eligible(ctx.doc, args, level, ctx.master.all('Pricing Rule'), (r) =>
    matchesConditions(ctx, r, args),
  );
  for (const { rule, other, rows } of eligible) {
    const otherMatch = other === value && value !== '';
    for (const row of rows) {
      const rowValue = row.value;
      const rowUom = row.uom;
      let match: boolean;
      if (level.field === 'item_code') {
        match = rowValue === value && (!args.uom || rowUom === args.uom || rowUom === '');
        if (!match && args.variant_of && rowValue === args.variant_of) match = true;
      } else if (level.field === 'item_group') {
        match =
          (groups ?? []).includes(rowValue) && (!args.uom || rowUom === args.uom || rowUom === '');
      } else {
        match = rowValue === value;
      }
      if (match || otherMatch) out.push({ rule, name: rule.str('name'), uom: rowUom });
    }
  }
  // MariaDB: ORDER BY priority DESC (a varchar Select), name DESC.
  return out.sort((a, b) => {
    const pa = a.rule.str('priority');
    const pb = b.rule.str('priority');
    if (pa !== pb) return pa < pb ? 1 : -1;
    return a.name.toLowerCase() < b.name.toLowerCase()
      ? 1
      : a.name.toLowerCase() > b.name.toLowerCase()
        ? -1
        : 0;
  });
}
