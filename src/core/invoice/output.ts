import { Dec } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import type { Doc } from './doc.js';
import type { Quote } from './quote.js';

/** Frappe stores Currency/Float columns as decimal(21,9): a value never rounded keeps 9 places. */
const DB_PLACES = 9;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * How an invoice's values become JSON numbers, at the doc's precisions: one definition for
 * `toErpnextJson` and for any shorter view of the same invoice (the cashier's screen's).
 */
export function jsonNumbers(doc: Doc) {
  const cur = doc.precision.currency;
  const flo = doc.precision.float;
  const money = (v: Dec): number => flt(v, cur, doc.precision).toNumber();
  return {
    money,
    stored: (v: Dec): number => v.toDecimalPlaces(DB_PLACES, Dec.ROUND_HALF_EVEN).toNumber(),
    float: (v: Dec): number => flt(v, flo, doc.precision).toNumber(),
    base: (v: Dec): number => money(flt(v, cur, doc.precision).times(doc.conversion_rate)),
    /** A line's discount_percentage: ERPNext's field has precision 2. */
    percent: (v: Dec): number => flt(v, 2, doc.precision).toNumber(),
  };
}

/** The computed invoice as JSON with ERPNext's field names (POS Invoice as GET returns it). */
export function toErpnextJson(q: Quote): { [k: string]: Json } {
  const doc = q.doc;
  const { money, stored, float, base, percent } = jsonNumbers(doc);

  const items = doc.items.map((l) => ({
    idx: l.idx,
    name: l.name,
    item_code: l.item_code,
    item_name: l.item_name,
    description: l.description,
    item_group: l.item_group,
    brand: l.brand,
    qty: float(l.qty),
    stock_uom: l.stock_uom,
    uom: l.uom,
    conversion_factor: float(l.conversion_factor ?? new Dec(0)),
    stock_qty: float(l.stock_qty),
    price_list_rate: money(l.price_list_rate ?? new Dec(0)),
    base_price_list_rate: base(l.price_list_rate ?? new Dec(0)),
    margin_type: l.margin_type,
    margin_rate_or_amount: float(l.margin_rate_or_amount),
    rate_with_margin: money(l.rate_with_margin),
    discount_percentage: percent(l.discount_percentage ?? new Dec(0)),
    discount_amount: money(l.discount_amount ?? new Dec(0)),
    distributed_discount_amount: money(l.distributed_discount_amount),
    rate: money(l.rate ?? new Dec(0)),
    amount: money(l.amount),
    base_rate: base(l.rate ?? new Dec(0)),
    base_amount: base(l.amount),
    net_rate: money(l.net_rate),
    net_amount: money(l.net_amount),
    base_net_rate: base(l.net_rate),
    base_net_amount: base(l.net_amount),
    is_free_item: l.is_free_item ? 1 : 0,
    pricing_rules: l.pricing_rules,
    item_tax_template: l.item_tax_template,
    item_tax_rate: JSON.stringify(
      Object.fromEntries([...l.item_tax_rate].map(([k, v]) => [k, v.toNumber()])),
    ),
    warehouse: l.warehouse,
    ...(l.barcode ? { barcode: l.barcode } : {}),
  }));

  const taxes = doc.taxes.map((t) => ({
    idx: t.idx,
    charge_type: t.charge_type,
    row_id: t.row_id === null ? null : String(t.row_id),
    account_head: t.account_head,
    description: t.description,
    included_in_print_rate: t.included_in_print_rate ? 1 : 0,
    rate: float(t.rate),
    tax_amount: money(t.tax_amount),
    total: money(t.total),
    tax_amount_after_discount_amount: money(t.tax_amount_after_discount_amount),
    base_tax_amount: base(t.tax_amount),
    base_total: base(t.total),
    base_tax_amount_after_discount_amount: base(t.tax_amount_after_discount_amount),
    item_wise_tax_detail: JSON.stringify(
      Object.fromEntries(
        [...t.item_wise_tax_detail].map(([k, [r, a]]) => [k, [r.toNumber(), stored(a)]]),
      ),
    ),
  }));

  return {
    doctype: 'POS Invoice',
    company: doc.company,
    customer: doc.customer,
    customer_name: doc.customer_name,
    customer_group: doc.customer_group,
    territory: doc.territory,
    pos_profile: doc.pos_profile,
    is_pos: 1,
    is_return: doc.is_return ? 1 : 0,
    ...(doc.return_against ? { return_against: doc.return_against } : {}),
    docstatus: doc.docstatus,
    posting_date: doc.posting_date,
    set_posting_time: 1,
    currency: doc.currency,
    conversion_rate: doc.conversion_rate.toNumber(),
    selling_price_list: doc.selling_price_list,
    price_list_currency: doc.currency,
    plc_conversion_rate: doc.conversion_rate.toNumber(),
    set_warehouse: doc.set_warehouse,
    ignore_pricing_rule: doc.ignore_pricing_rule ? 1 : 0,
    taxes_and_charges: doc.taxes_and_charges,
    total_qty: float(doc.total_qty),
    total: money(doc.total),
    base_total: base(doc.total),
    net_total: money(doc.net_total),
    base_net_total: base(doc.net_total),
    total_taxes_and_charges: money(doc.total_taxes_and_charges),
    base_total_taxes_and_charges: base(doc.total_taxes_and_charges),
    apply_discount_on: doc.apply_discount_on,
    additional_discount_percentage: float(doc.additional_discount_percentage),
    discount_amount: money(doc.discount_amount),
    base_discount_amount: base(doc.discount_amount),
    grand_total: money(doc.grand_total),
    base_grand_total: base(doc.grand_total),
    rounding_adjustment: money(doc.rounding_adjustment),
    base_rounding_adjustment: base(doc.rounding_adjustment),
    rounded_total: money(doc.rounded_total),
    base_rounded_total: base(doc.rounded_total),
    loyalty_program: doc.loyalty_program,
    redeem_loyalty_points: doc.redeem_loyalty_points ? 1 : 0,
    loyalty_points: doc.loyalty_points.trunc().toNumber(),
    loyalty_amount: money(doc.loyalty_amount),
    paid_amount: money(doc.paid_amount),
    base_paid_amount: base(doc.paid_amount),
    change_amount: money(doc.change_amount),
    base_change_amount: base(doc.change_amount),
    account_for_change_amount: doc.account_for_change_amount,
    write_off_amount: money(doc.write_off_amount),
    base_write_off_amount: base(doc.write_off_amount),
    outstanding_amount: 0,
    coupon_code: doc.coupon_code,
    items,
    taxes,
    payments: doc.payments.map((p) => ({
      idx: p.idx,
      mode_of_payment: p.mode_of_payment,
      amount: money(p.amount),
      base_amount: base(p.amount),
      type: p.type,
      account: p.account,
      default: p.default ? 1 : 0,
    })),
    pricing_rules: doc.pricing_rules.map((r) => ({
      pricing_rule: r.pricing_rule,
      item_code: r.item_code,
      child_docname: r.child_docname,
      rule_applied: r.rule_applied ? 1 : 0,
    })),
    packed_items: q.packed_items.map((p, i) => ({
      idx: i + 1,
      parent_item: p.parent_item,
      parent_detail_docname: p.parent_detail_docname,
      item_code: p.item_code,
      item_name: p.item_name,
      uom: p.uom,
      qty: float(p.qty),
      warehouse: p.warehouse,
    })),
    // Not ERPNext fields: what Outpost needs to know about this quote.
    unsupported_pricing_rules: doc.unsupported_pricing_rules.map((u) => ({ ...u })),
    loyalty_points_earned: q.loyalty_points_earned
      ? {
          ...q.loyalty_points_earned,
          purchase_amount: money(q.loyalty_points_earned.purchase_amount),
        }
      : null,
  };
}
