import type { Doc } from '../invoice/doc.js';
import type { Dec } from '../money/decimal.js';
import { NotEvaluable, type Py } from './values.js';
import type { Lookup } from './evaluate.js';

/**
 * The POS Invoice's columns by fieldtype (erpnext/accounts/doctype/pos_invoice/pos_invoice.json,
 * v15.71; layout-only fields left out). `doc.as_dict()` holds exactly these keys plus the
 * standard columns and `doctype` (frappe/model/base_document.py get_valid_dict and as_dict):
 * a name outside them is a NameError in the condition.
 */
const COLUMNS: Record<string, string> = {
  Check:
    'is_pos is_return set_posting_time update_billed_amount_in_sales_order ignore_pricing_rule update_stock redeem_loyalty_points allocate_advances_automatically write_off_outstanding_amount_automatically group_same_items is_discounted update_billed_amount_in_delivery_note',
  Currency:
    'total_billing_amount base_total base_net_total total net_total base_total_taxes_and_charges total_taxes_and_charges loyalty_amount base_discount_amount discount_amount base_grand_total base_rounding_adjustment base_rounded_total grand_total rounding_adjustment rounded_total total_advance outstanding_amount base_paid_amount paid_amount base_change_amount change_amount write_off_amount base_write_off_amount total_commission amount_eligible_for_commission',
  Data: 'title customer_name tax_id po_no contact_mobile contact_email scan_barcode base_in_words in_words language',
  Date: 'posting_date due_date po_date from_date to_date',
  Float:
    'conversion_rate plc_conversion_rate total_qty total_net_weight additional_discount_percentage commission_rate',
  Int: 'loyalty_points',
  Link: 'customer pos_profile company amended_from return_against project cost_center customer_address contact_person territory shipping_address_name company_address currency selling_price_list price_list_currency set_warehouse taxes_and_charges shipping_rule tax_category loyalty_program loyalty_redemption_account loyalty_redemption_cost_center payment_terms_template cash_bank_account account_for_change_amount write_off_account write_off_cost_center tc_name letter_head select_print_heading inter_company_invoice_reference customer_group campaign source debit_to party_account_currency sales_partner auto_repeat consolidated_invoice coupon_code company_contact_person',
  Select: 'naming_series apply_discount_on status is_opening',
  'Small Text':
    'address_display contact_display shipping_address company_address_display remarks against_income_account',
  Table:
    'items pricing_rules packed_items timesheets taxes advances payment_schedule payments sales_team',
  'Text Editor': 'other_charges_calculation terms',
  Time: 'posting_time',
};
const STANDARD = [
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
  'doctype',
];
const FIELDTYPE = new Map<string, string>([
  ...Object.entries(COLUMNS).flatMap(([type, names]) =>
    names.split(' ').map((n): [string, string] => [n, type]),
  ),
  ...STANDARD.map((n): [string, string] => [n, 'Standard']),
]);

/** When the condition runs: per item row (inside get_item_details), or on the whole invoice. */
export type Stage = 'item' | 'transaction';

// get_valid_dict: Check as 0/1, Int as int, Currency/Float as float, unset links as None.
const check = (b: boolean): bigint => (b ? 1n : 0n);
const float = (d: Dec): number => d.toNumber();
const link = (s: string): string | null => (s === '' ? null : s);

/**
 * The fields the till knows as ERPNext holds them while validating. Totals are computed only
 * before the transaction rules; while item rows are priced ERPNext still sees whatever totals
 * the request carried, which the engine does not keep, so they are not offered then.
 */
function known(doc: Doc, stage: Stage): Record<string, () => Py> {
  const fields: Record<string, () => Py> = {
    doctype: () => 'POS Invoice',
    docstatus: () => BigInt(doc.docstatus),
    is_pos: () => 1n,
    company: () => link(doc.company),
    currency: () => link(doc.currency),
    conversion_rate: () => float(doc.conversion_rate),
    customer: () => link(doc.customer),
    customer_name: () => link(doc.customer_name),
    customer_group: () => link(doc.customer_group),
    territory: () => link(doc.territory),
    pos_profile: () => link(doc.pos_profile),
    posting_date: () => link(doc.posting_date),
    selling_price_list: () => link(doc.selling_price_list),
    set_warehouse: () => link(doc.set_warehouse),
    is_return: () => check(doc.is_return),
    return_against: () => link(doc.return_against),
    ignore_pricing_rule: () => check(doc.ignore_pricing_rule),
    coupon_code: () => link(doc.coupon_code),
    campaign: () => link(doc.campaign),
    sales_partner: () => link(doc.sales_partner),
    taxes_and_charges: () => link(doc.taxes_and_charges),
    apply_discount_on: () => link(doc.apply_discount_on),
    additional_discount_percentage: () => float(doc.additional_discount_percentage),
    discount_amount: () => float(doc.discount_amount),
    loyalty_program: () => link(doc.loyalty_program),
    redeem_loyalty_points: () => check(doc.redeem_loyalty_points),
    loyalty_points: () => BigInt(doc.loyalty_points.trunc().toFixed()),
    loyalty_amount: () => float(doc.loyalty_amount),
  };
  if (stage === 'transaction') {
    Object.assign(fields, {
      total_qty: () => float(doc.total_qty),
      total: () => float(doc.total),
      net_total: () => float(doc.net_total),
      total_taxes_and_charges: () => float(doc.total_taxes_and_charges),
      grand_total: () => float(doc.grand_total),
      rounding_adjustment: () => float(doc.rounding_adjustment),
      rounded_total: () => float(doc.rounded_total),
    });
  }
  return fields;
}

/** The condition's locals: `doc.as_dict()` of the invoice (pricing_rule/utils.py). */
export function invoiceLookup(doc: Doc, stage: Stage): Lookup {
  const fields = known(doc, stage);
  return (name) => {
    const type = FIELDTYPE.get(name);
    if (type === undefined) return undefined;
    const value = fields[name];
    if (value) return value();
    throw new NotEvaluable(
      type === 'Table'
        ? `the child table ${name}`
        : `the field ${name}, whose value ERPNext holds at this point the till does not know`,
    );
  };
}
