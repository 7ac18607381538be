import type { Dec } from '../money/decimal.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';

/**
 * `get_item_tax_template`: the Item's own Item Tax rows, else the nearest Item Group's, valid on
 * the posting date and for the invoice's tax category. A template the row already names is kept
 * when it is among the valid ones.
 */
export function itemTaxTemplate(
  master: Master,
  doc: Doc,
  item: Fields,
  current: string,
): string | null {
  const fromRows = (rows: Fields[]): string | null => {
    const withValidity: Fields[] = [];
    const without: Fields[] = [];
    for (const tax of rows) {
      const template = master.get('Item Tax Template', tax.str('item_tax_template'));
      if ((template?.str('company') ?? doc.company) !== doc.company) continue;
      if (tax.str('valid_from') || !tax.dec('maximum_net_rate').isZero()) {
        if (tax.date('valid_from') <= doc.posting_date) withValidity.push(tax);
      } else {
        without.push(tax);
      }
    }
    const taxes =
      withValidity.length > 0
        ? withValidity.sort((a, b) => (a.date('valid_from') < b.date('valid_from') ? 1 : -1))
        : without;
    if (taxes.length === 0) return null;
    if (current && taxes.some((t) => t.str('item_tax_template') === current)) return current;
    return taxes.find((t) => t.str('tax_category') === '')?.str('item_tax_template') ?? null;
  };
  let found = fromRows(item.table('taxes'));
  let group = item.str('item_group');
  const seen = new Set<string>();
  while (!found && group && !seen.has(group)) {
    seen.add(group);
    const g = master.get('Item Group', group);
    if (!g) break;
    found = fromRows(g.table('taxes'));
    group = g.str('parent_item_group');
  }
  return found;
}

/** `get_item_tax_map`: account head to rate for a template, in the template's order. */
export function taxMap(master: Master, doc: Doc, template: string): Map<string, Dec> {
  const out = new Map<string, Dec>();
  if (!template) return out;
  const t = master.link('Item Tax Template', template, 'item_tax_template');
  if (t.str('company') && t.str('company') !== doc.company) return out;
  for (const row of t.table('taxes')) out.set(row.str('tax_type'), row.dec('tax_rate'));
  return out;
}
