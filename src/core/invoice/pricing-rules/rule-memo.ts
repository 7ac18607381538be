import type { Fields } from '../../record.js';
import type { Doc } from '../doc.js';
import type { Level } from './levels.js';
import type { RuleArgs } from './types.js';

/** A rule's child row for one level, read once: the value it names and its uom. */
export interface LevelRow {
  readonly value: string;
  readonly uom: string;
}

/** A rule as one level reads it: its `other_<field>` value and its rows of the level's table. */
export interface RuleAtLevel {
  readonly rule: Fields;
  readonly other: string;
  readonly rows: readonly LevelRow[];
}

/** What a rule's conditions read besides the rule: the header's party fields, date, warehouse. */
const scopeOf = (doc: Doc, args: RuleArgs): readonly string[] => [
  doc.company,
  doc.customer,
  doc.campaign,
  doc.sales_partner,
  doc.customer_group,
  doc.territory,
  doc.selling_price_list,
  args.transaction_date,
  args.warehouse,
];

const sameScope = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * What one quote learns about its pricing rules, kept for the quote's next rows. Every line of a
 * cart scans the same rules against the same invoice header, so which rules are enabled, which
 * pass the header's conditions, and their child rows are read once per quote and level, not once
 * per line: later lines scan only the rules that can match at all.
 *
 * The first scan of a level reads the rules in exactly the order (and a malformed one raises
 * exactly where) the unmemoized scan would; the scope (header fields, date, warehouse) is part
 * of the key, so a row with another date or warehouse gets its own scan.
 */
export class RuleMemo {
  private readonly active = new Map<Fields, boolean>();
  private readonly scopes: { scope: readonly string[]; verdicts: Map<Fields, boolean> }[] = [];
  private readonly eligibleByScope = new Map<Map<Fields, boolean>, Map<string, RuleAtLevel[]>>();
  private readonly trees = new Map<string, readonly string[]>();

  /** A tree walk (`treeValues`) by its key, walked once per quote. */
  tree(key: string, walk: () => readonly string[]): readonly string[] {
    let v = this.trees.get(key);
    if (v === undefined) {
      v = walk();
      this.trees.set(key, v);
    }
    return v;
  }

  /** Enabled and selling, as the pricing-rule query's `disable = 0` and `selling = 1`. */
  isActive(rule: Fields): boolean {
    let v = this.active.get(rule);
    if (v === undefined) {
      v = !rule.bool('disable') && rule.bool('selling');
      this.active.set(rule, v);
    }
    return v;
  }

  /**
   * The rules of `all` (in order) that are active and whose conditions (`holds`, called once per
   * rule and scope) pass for this header and row, each read for `level`.
   */
  eligible(
    doc: Doc,
    args: RuleArgs,
    level: Level,
    all: readonly Fields[],
    holds: (rule: Fields) => boolean,
  ): readonly RuleAtLevel[] {
    const verdicts = this.verdicts(scopeOf(doc, args));
    let byLevel = this.eligibleByScope.get(verdicts);
    if (!byLevel) {
      byLevel = new Map();
      this.eligibleByScope.set(verdicts, byLevel);
    }
    const known = byLevel.get(level.table);
    if (known) return known;
    const out: RuleAtLevel[] = [];
    for (const rule of all) {
      if (!this.isActive(rule)) continue;
      let v = verdicts.get(rule);
      if (v === undefined) {
        v = holds(rule);
        verdicts.set(rule, v);
      }
      if (!v) continue;
      out.push({
        rule,
        other: rule.str(`other_${level.field}`),
        rows: rule
          .table(level.table)
          .map((row) => ({ value: row.str(level.field), uom: row.str('uom') })),
      });
    }
    byLevel.set(level.table, out);
    return out;
  }

  private verdicts(scope: readonly string[]): Map<Fields, boolean> {
    // A cart's rows nearly always share one scope: a short list beats hashing a joined key.
    for (const s of this.scopes) if (sameScope(s.scope, scope)) return s.verdicts;
    const verdicts = new Map<Fields, boolean>();
    this.scopes.push({ scope, verdicts });
    return verdicts;
  }
}
