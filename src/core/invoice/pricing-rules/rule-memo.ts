import type { Fields } from '../../record.js';
import type { Doc } from '../doc.js';
import type { Level } from './levels.js';
import type { RuleArgs } from './types.js';

/** A rule's child row for one level, read once: the value it names and its uom. */
export interface LevelRow {
  readonly value: string;
  readonly uom: string;
}

/**
 * What one quote learns about its pricing rules, kept for the quote's next rows. Every line of a
 * cart scans the same rules against the same invoice header, so a rule's enabled flags, its
 * verdict on the header's conditions and its child rows are read once per quote, not once per
 * line and level.
 *
 * Each fact is computed lazily, the first time the scan reaches that rule, so rules are read in
 * exactly the order (and a malformed one raises exactly where) the unmemoized scan would.
 */
export class RuleMemo {
  private readonly active = new Map<Fields, boolean>();
  private readonly byHeader = new Map<string, Map<Fields, boolean>>();
  private readonly rows = new Map<string, Map<Fields, readonly LevelRow[]>>();

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
   * The conditions' verdicts (`matchesConditions`) already reached for this header, date and
   * warehouse: everything a verdict reads besides the rule.
   */
  verdicts(doc: Doc, args: RuleArgs): Map<Fields, boolean> {
    const key = [
      doc.company,
      doc.customer,
      doc.campaign,
      doc.sales_partner,
      doc.customer_group,
      doc.territory,
      doc.selling_price_list,
      args.transaction_date,
      args.warehouse,
    ].join('\u0000');
    let byRule = this.byHeader.get(key);
    if (!byRule) {
      byRule = new Map();
      this.byHeader.set(key, byRule);
    }
    return byRule;
  }

  /** The rule's rows of one level's child table (`items`, `item_groups` or `brands`). */
  levelRows(rule: Fields, level: Level): readonly LevelRow[] {
    let byRule = this.rows.get(level.table);
    if (!byRule) {
      byRule = new Map();
      this.rows.set(level.table, byRule);
    }
    let v = byRule.get(rule);
    if (v === undefined) {
      v = rule
        .table(level.table)
        .map((row) => ({ value: row.str(level.field), uom: row.str('uom') }));
      byRule.set(rule, v);
    }
    return v;
  }
}
