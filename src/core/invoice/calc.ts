import type { Dec } from '../money/decimal.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';

/** Field precision for Percent `discount_percentage` (its DocField sets 2). */
export const DISCOUNT_PERCENT_PRECISION = 2;

/**
 * The state one run of ERPNext's `calculate_taxes_and_totals` shares between its steps
 * (erpnext/controllers/taxes_and_totals.py keeps it on `self`): the document being computed and
 * the flags the discount pass sets before the totals run again.
 */
export interface Calc {
  readonly doc: Doc;
  /** Resolves a Pricing Rule by name, for margins. */
  readonly ruleOf: (name: string) => Fields | undefined;
  /** Currency precision. */
  readonly cur: number;
  /** Float precision. */
  readonly flo: number;
  discountAmountApplied: boolean;
  grandTotalDiff: Dec;
  grandTotalForDistributingDiscount: Dec | null;
  /** `flt(v, precision)` under the document's rounding method. */
  f(v: Dec, precision: number): Dec;
  /** Every step from the item values to the totals, again after a discount is spread. */
  run(): void;
}
