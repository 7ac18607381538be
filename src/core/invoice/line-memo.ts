import type { Rec } from '../record.js';
import type { AppliedRule, Line } from './doc.js';

/** One line as the pricing pass left it, and the applied-rule rows it added to the invoice. */
interface PricedLine {
  readonly line: Line;
  readonly rules: readonly AppliedRule[];
}

/** A line's own copy: its tax map is the only mutable object a line holds. */
export const copyLine = (l: Line): Line => ({ ...l, item_tax_rate: new Map(l.item_tax_rate) });

/**
 * Lines already priced, for a till that prices the same cart again after every scan: a cart of
 * 100 lines and one more is 100 lines it has priced before. Only the pricing pass over the lines
 * (item details, prices, item pricing rules: `setItemDetails`) is kept; taxes, totals, the
 * transaction's rules and the settlement are computed afresh on every quote.
 *
 * A line is kept only when its pricing read nothing but its own row, the invoice's header and
 * the master data: the engine marks a line that read another row (a rule's Python condition on
 * the document, mixed conditions, a cumulative or other-item rule, a product rule, whose free
 * rows change the table) and such a line is priced every time. The key is the header as sent
 * (every field but the rows and the payments), today, the row's position and the row as sent:
 * any change to them is a new key, never a stale answer.
 *
 * The master data is not part of the key: a memo serves quotes on one set of records (the till's
 * snapshot), and whoever reads other records makes a new memo (test/core/line-memo.test.ts
 * prices carts with and without one, byte for byte).
 */
export class LineMemo {
  private readonly kept = new Map<string, PricedLine>();
  /** Lines given back so far (the tests read it). */
  taken = 0;

  /** At most this many lines are kept; one more empties the memo (a cart is far smaller). */
  constructor(private readonly limit = 5000) {}

  /** The key of a draft's header: every field as sent but its rows and payments, and today. */
  header(draft: Rec, today: string | undefined): string {
    return JSON.stringify([{ ...draft, items: undefined, payments: undefined }, today ?? null]);
  }

  /** The key of row `index` (0-based) of a draft with this header key. */
  key(header: string, index: number, row: unknown): string {
    return `${header}\u0000${index}\u0000${JSON.stringify(row)}`;
  }

  /** The line kept for `key`, as a new copy (with its rule rows) the quote may write to. */
  take(key: string): { line: Line; rules: AppliedRule[] } | undefined {
    const p = this.kept.get(key);
    if (p === undefined) return undefined;
    this.taken += 1;
    return { line: copyLine(p.line), rules: p.rules.map((r) => ({ ...r })) };
  }

  /** Keeps a copy of the line as priced and of the rule rows its pricing added. */
  keep(key: string, line: Line, rules: readonly AppliedRule[]): void {
    if (this.kept.size >= this.limit) this.kept.clear();
    this.kept.set(key, { line: copyLine(line), rules: rules.map((r) => ({ ...r })) });
  }

  get size(): number {
    return this.kept.size;
  }
}
