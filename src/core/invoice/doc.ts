import type { Dec } from '../money/decimal.js';
import type { Precision } from '../money/rounding.js';

/**
 * The invoice while the engine computes it: a working copy shaped like ERPNext's POS Invoice.
 * Fields typed `Dec | null` are "not set yet" (Python None), which matters because ERPNext fills
 * an item field from the item master only when the request left it unset.
 */
export interface Line {
  idx: number;
  /** Row id standing in for the child row `name` (ERPNext's `child_docname`). */
  name: string;
  item_code: string;
  item_name: string;
  description: string;
  item_group: string;
  brand: string;
  stock_uom: string;
  uom: string;
  qty: Dec;
  conversion_factor: Dec | null;
  stock_qty: Dec;
  price_list_rate: Dec | null;
  rate: Dec | null;
  discount_percentage: Dec | null;
  discount_amount: Dec | null;
  margin_type: string;
  margin_rate_or_amount: Dec;
  rate_with_margin: Dec;
  amount: Dec;
  net_rate: Dec;
  net_amount: Dec;
  distributed_discount_amount: Dec;
  is_free_item: boolean;
  /** As ERPNext stores it: a JSON list (`[\n "PR-1"\n]`) on priced rows, a bare name on free rows. */
  pricing_rules: string;
  item_tax_template: string;
  /** Account head -> rate, in the template's order. */
  item_tax_rate: Map<string, Dec>;
  warehouse: string;
  /** Raw scan or barcode the line came from, kept for the journal. */
  barcode: string;
}

export interface TaxRow {
  idx: number;
  charge_type: string;
  account_head: string;
  description: string;
  cost_center: string;
  rate: Dec;
  row_id: number | null;
  included_in_print_rate: boolean;
  add_deduct_tax: string;
  category: string;
  tax_amount: Dec;
  total: Dec;
  tax_amount_after_discount_amount: Dec;
  tax_amount_for_current_item: Dec;
  grand_total_for_current_item: Dec;
  tax_fraction_for_current_item: Dec;
  grand_total_fraction_for_current_item: Dec;
  item_wise_tax_detail: Map<string, [Dec, Dec]>;
}

export interface Payment {
  idx: number;
  mode_of_payment: string;
  amount: Dec;
  type: string;
  account: string;
  default: boolean;
}

export interface AppliedRule {
  pricing_rule: string;
  item_code: string;
  child_docname: string;
  rule_applied: boolean;
}

interface Unsupported {
  pricing_rule: string;
  item_code: string;
  reason: string;
}

export interface Doc {
  precision: Precision;
  company: string;
  company_currency: string;
  currency: string;
  conversion_rate: Dec;
  customer: string;
  customer_name: string;
  customer_group: string;
  territory: string;
  pos_profile: string;
  posting_date: string;
  /** ERPNext's `today()`: end of life and loyalty balances are judged on it. */
  today: string;
  selling_price_list: string;
  set_warehouse: string;
  is_return: boolean;
  return_against: string;
  docstatus: 0 | 1;
  ignore_pricing_rule: boolean;
  coupon_code: string;
  campaign: string;
  sales_partner: string;
  taxes_and_charges: string;
  apply_discount_on: string;
  additional_discount_percentage: Dec;
  discount_amount: Dec;
  is_cash_or_non_trade_discount: boolean;
  disable_rounded_total: boolean;
  smallest_currency_fraction_value: Dec;
  items: Line[];
  taxes: TaxRow[];
  payments: Payment[];
  pricing_rules: AppliedRule[];
  unsupported_pricing_rules: Unsupported[];
  // totals
  total_qty: Dec;
  total: Dec;
  net_total: Dec;
  total_taxes_and_charges: Dec;
  grand_total: Dec;
  rounding_adjustment: Dec;
  rounded_total: Dec;
  base_discount_amount: Dec;
  // loyalty and payment
  loyalty_program: string;
  redeem_loyalty_points: boolean;
  loyalty_points: Dec;
  loyalty_amount: Dec;
  paid_amount: Dec;
  change_amount: Dec;
  write_off_amount: Dec;
  account_for_change_amount: string;
}
