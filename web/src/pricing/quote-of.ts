import { Dec, jsonNumbers, type Quote as Priced } from '../../../src/core/index.js';
import type { Quote } from '../api/schemas.js';

const ZERO = new Dec(0);

/**
 * The screen's view of a priced invoice: the fields of `Quote` only, each converted as
 * `toErpnextJson` converts it (the same `jsonNumbers`), so it equals
 * `quoteSchema.parse(toErpnextJson(q))` (test/web/quote-of.test.ts) without building the
 * whole invoice's JSON (some forty fields a line) and parsing it back on every scan.
 */
export function quoteOf(q: Priced): Quote {
  const d = q.doc;
  const { money, float, percent } = jsonNumbers(d);
  return {
    currency: d.currency,
    customer: d.customer,
    customer_name: d.customer_name,
    total_qty: float(d.total_qty),
    total: money(d.total),
    net_total: money(d.net_total),
    total_taxes_and_charges: money(d.total_taxes_and_charges),
    discount_amount: money(d.discount_amount),
    grand_total: money(d.grand_total),
    rounding_adjustment: money(d.rounding_adjustment),
    rounded_total: money(d.rounded_total),
    paid_amount: money(d.paid_amount),
    change_amount: money(d.change_amount),
    items: d.items.map((l) => ({
      idx: l.idx,
      item_code: l.item_code,
      item_name: l.item_name,
      qty: float(l.qty),
      uom: l.uom,
      price_list_rate: money(l.price_list_rate ?? ZERO),
      discount_percentage: percent(l.discount_percentage ?? ZERO),
      discount_amount: money(l.discount_amount ?? ZERO),
      rate: money(l.rate ?? ZERO),
      amount: money(l.amount),
      is_free_item: l.is_free_item ? 1 : 0,
      pricing_rules: l.pricing_rules,
    })),
    taxes: d.taxes.map((t) => ({ description: t.description, tax_amount: money(t.tax_amount) })),
    payments: d.payments.map((p) => ({
      mode_of_payment: p.mode_of_payment,
      amount: money(p.amount),
    })),
  };
}
