import { ZERO, type Dec } from '../../money/decimal.js';
import type { Master } from '../../master.js';
import type { Fields } from '../../record.js';
import type { Doc } from '../doc.js';
import type { RuleMemo } from './rule-memo.js';

/** What every step reads: the cached master data and the invoice being quoted. */
export interface RuleContext {
  readonly master: Master;
  readonly doc: Doc;
  /** What this quote's rows have already read of the rules (see `RuleMemo`). */
  readonly memo: RuleMemo;
  /**
   * Set when the row being priced read more of the invoice than its own row and the header
   * (another row, a Python condition on the document, a free row added): a line kept by a
   * `LineMemo` must not have.
   */
  readonly reach: { wide: boolean };
}

/** Pricing-rule arguments for one item row, as ERPNext's `get_item_details` builds them. */
export interface RuleArgs {
  item_code: string;
  item_group: string;
  brand: string;
  variant_of: string;
  uom: string;
  qty: Dec;
  stock_qty: Dec;
  conversion_factor: Dec;
  /** What the request carried for the row (0 when not sent): ERPNext tests min_amt against it. */
  price_list_rate: Dec;
  rate: Dec;
  warehouse: string;
  transaction_date: string;
  /** Rule names the request carried on the row; the server re-applies those by name. */
  pricing_rules: string;
  is_free_item: boolean;
}

/** One candidate: a rule joined with the child row (item, group or brand) that matched. */
export interface Candidate {
  rule: Fields;
  name: string;
  /** The matched child row's uom (blank = any). */
  uom: string;
  apply_rule_on_other_items?: string[];
}

export interface FreeItem {
  item_code: string;
  qty: Dec;
  pricing_rules: string;
  rate: Dec;
  price_list_rate: Dec;
  uom: string;
  conversion_factor: Dec;
}

/** What `get_pricing_rule_for_item` returns for a row. */
export interface RuleDetails {
  pricing_rules: string | null;
  price_or_product_discount: string;
  pricing_rule_for: string;
  validate_applied_rule: boolean;
  discount_percentage: Dec | null;
  discount_amount: Dec | null;
  price_list_rate: Dec | null;
  margin_type: string;
  margin_rate_or_amount: Dec;
  has_margin: boolean;
  free_item_data: FreeItem[];
  apply_rule_on_other_items: string[] | null;
}

export const emptyDetails = (): RuleDetails => ({
  pricing_rules: null,
  price_or_product_discount: '',
  pricing_rule_for: '',
  validate_applied_rule: false,
  discount_percentage: null,
  discount_amount: null,
  price_list_rate: null,
  margin_type: '',
  margin_rate_or_amount: ZERO,
  has_margin: false,
  free_item_data: [],
  apply_rule_on_other_items: null,
});
