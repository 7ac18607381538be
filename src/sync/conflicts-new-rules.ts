import type { DocCache, Finding, Sale } from './conflicts-checks.js';
import { changedSince, ruleNames } from './conflicts-sale.js';

type Rec = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A cached copy drops zeros and blanks (catalog.ts `compact`): missing reads as 0. */
const on = (v: unknown): boolean => v === 1 || v === true;
const rows = (v: unknown): Rec[] =>
  Array.isArray(v) ? v.filter((r): r is Rec => typeof r === 'object' && r !== null) : [];

/**
 * Pricing Rules created or changed in ERPNext after the sale that the sale did not apply but
 * whose scope now takes in an item it sold: a promotion started while the till was offline,
 * or a rule widened. Listed as a change to look at, not as "the sale should have had it": a
 * rule's thresholds, conditions and priority decide that, and re-pricing the past is not the
 * report's job (the sale stands as printed). Scope as ERPNext reads it
 * (pricing_rule/utils.py `get_pricing_rules`): enabled, for selling, valid on the posting
 * date, and apply_on Transaction, or the item's code, its brand, or its item group or one of
 * that group's ancestors (a rule on a group covers the groups below it).
 */
export function newRuleFindings({ inv, stamp }: Sale, docs: DocCache): Finding[] {
  const applied = new Set<string>();
  for (const row of inv.items) for (const r of ruleNames(row.pricing_rules)) applied.add(r);
  for (const r of inv.pricing_rules ?? []) applied.add(r.pricing_rule);
  const out: Finding[] = [];
  for (const { name, modified, data: rule } of docs.all('Pricing Rule')) {
    if (applied.has(name) || !changedSince(modified, stamp)) continue;
    if (on(rule['disable']) || !on(rule['selling'])) continue;
    const from = str(rule['valid_from']);
    const upto = str(rule['valid_upto']);
    if ((from && from > inv.posting_date) || (upto && upto < inv.posting_date)) continue;
    const covered = coveredItems(rule, inv.items, docs);
    if (covered.length === 0) continue;
    const title = str(rule['title']);
    const label = title ? `${name} (${title})` : name;
    for (const item of covered) {
      const on_ = item ? ` covering ${item}` : ' on the whole sale';
      out.push({
        kind: 'pricing_rule',
        item_code: item,
        doctype: 'Pricing Rule',
        name,
        at_sale: 'not applied',
        now: `changed ${modified}`,
        // The store keeps no `creation` (catalog.ts compact): created and edited read alike.
        message: `Pricing rule ${label}${on_} was created or changed in ERPNext at ${modified}, after the sale, which did not apply it`,
      });
    }
  }
  return out;
}

/** The sold items a rule's apply_on takes in, in the sale's order (null: the whole sale). */
function coveredItems(
  rule: Rec,
  items: readonly { item_code: string }[],
  docs: DocCache,
): (string | null)[] {
  const applyOn = str(rule['apply_on']);
  if (applyOn === 'Transaction') return [null];
  const codes = [...new Set(items.map((i) => i.item_code))];
  if (applyOn === 'Item Code') {
    const named = new Set(rows(rule['items']).map((r) => str(r['item_code'])));
    return codes.filter((c) => named.has(c));
  }
  if (applyOn === 'Brand') {
    const named = new Set(rows(rule['brands']).map((r) => str(r['brand'])));
    return codes.filter((c) => named.has(str(docs.get('Item', c)?.data['brand'])));
  }
  if (applyOn === 'Item Group') {
    const named = new Set(rows(rule['item_groups']).map((r) => str(r['item_group'])));
    return codes.filter((c) =>
      groupAndAncestors(str(docs.get('Item', c)?.data['item_group']), docs).some((g) =>
        named.has(g),
      ),
    );
  }
  return [];
}

function groupAndAncestors(group: string, docs: DocCache): string[] {
  const out: string[] = [];
  for (let g = group; g && !out.includes(g);) {
    out.push(g);
    g = str(docs.get('Item Group', g)?.data['parent_item_group']);
  }
  return out;
}
