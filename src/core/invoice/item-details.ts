import { ZERO, ONE } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import { QuoteError } from '../errors.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc, Line } from './doc.js';
import {
  conversionFactor,
  type FreeItem,
  type PricingRules,
  type RuleArgs,
} from './pricing-rules.js';
import { resolveItemPrice } from './item-price.js';
import { itemTaxTemplate, taxMap } from './item-tax.js';
import { appliedRuleNames } from './rule-names.js';

// The pricing pass over the lines: item details, prices and the item pricing rules, and the
// free items product rules add.

/**
 * get_item_details + the field-filling loop of set_missing_item_details + apply_pricing_rule_on_items.
 * ERPNext fills an item field only when the request left it unset (None), except for a few forced
 * fields; the request's numeric fields that were not sent read as 0 in the pricing arguments.
 */
export function setItemDetails(
  master: Master,
  doc: Doc,
  rules: PricingRules,
  line: Line,
  sent: Fields | undefined,
): void {
  const item = master.link('Item', line.item_code, `items[${line.idx}].item_code`);
  const at = `items[${line.idx}]`;
  // validate_item_details: end of life (judged on today, inclusive), disabled, variant template.
  const eol = item.date('end_of_life');
  if (eol && eol <= doc.today) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} has reached its end of life on ${eol}`,
      `${at}.item_code`,
    );
  }
  if (item.bool('disabled')) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} is disabled`,
      `${at}.item_code`,
    );
  }
  if (item.bool('has_variants')) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} is a template, please select one of its variants`,
      `${at}.item_code`,
    );
  }
  const stockUom = item.str('stock_uom');
  const uom = line.uom || item.str('sales_uom') || stockUom;
  const sentCf = line.conversion_factor ?? ZERO;
  const cf =
    uom === stockUom ? ONE : !sentCf.isZero() ? sentCf : conversionFactor(item, uom, master);
  const qty = line.qty.isZero() ? ONE : line.qty;
  const stockQty = qty.times(cf);

  // Item tax template: the row's own if still valid for the item, else the item's or its group's.
  const template = itemTaxTemplate(master, doc, item, line.item_tax_template);
  const taxTemplate = template ?? line.item_tax_template;

  const price = resolveItemPrice(master, doc, item, uom, stockUom, cf, qty);
  const sentPlr = sent?.optDec('price_list_rate') ?? null;
  const args: RuleArgs = {
    item_code: line.item_code,
    item_group: item.str('item_group'),
    brand: item.str('brand'),
    variant_of: item.str('variant_of'),
    uom,
    qty: line.qty,
    stock_qty: stockQty,
    conversion_factor: cf,
    price_list_rate: line.is_free_item ? (line.price_list_rate ?? ZERO) : (sentPlr ?? ZERO),
    rate: line.rate ?? ZERO,
    warehouse: line.warehouse || doc.set_warehouse,
    transaction_date: doc.posting_date,
    pricing_rules: line.pricing_rules,
    is_free_item: line.is_free_item,
  };
  const details = rules.forItem(args);

  // The generic fill: only unset fields, plus the forced ones.
  line.item_name ||= item.str('item_name');
  line.description ||= item.str('description');
  line.item_group = item.str('item_group');
  line.brand = item.str('brand');
  line.stock_uom = stockUom;
  line.uom = uom;
  if (!line.conversion_factor || line.conversion_factor.isZero()) line.conversion_factor = cf;
  if (line.stock_qty.isZero()) line.stock_qty = stockQty;
  line.warehouse ||= doc.set_warehouse;
  line.price_list_rate ??= details.price_list_rate ?? price ?? ZERO;
  line.rate ??= ZERO;
  line.discount_percentage ??= details.discount_percentage ?? ZERO;
  line.discount_amount ??= details.discount_amount ?? ZERO;
  if (details.pricing_rules !== null) line.pricing_rules = details.pricing_rules;
  if (!line.margin_type) line.margin_type = details.margin_type;
  line.item_tax_template = taxTemplate;
  line.item_tax_rate = taxMap(master, doc, taxTemplate);

  if (!details.pricing_rules) return;
  const names = appliedRuleNames(details.pricing_rules);
  if (!details.validate_applied_rule) {
    if (details.price_or_product_discount === 'Price') {
      line.pricing_rules = details.pricing_rules;
      const other = details.apply_rule_on_other_items;
      if (!(other && other.length > 0 && !other.includes(line.item_code))) {
        line.discount_percentage = details.discount_percentage ?? ZERO;
        line.discount_amount = details.discount_amount ?? ZERO;
        if (details.pricing_rule_for === 'Rate')
          line.price_list_rate = details.price_list_rate ?? line.price_list_rate;
        const plr = line.price_list_rate ?? ZERO;
        if (!plr.isZero()) {
          line.rate = flt(
            plr.times(ONE.minus(line.discount_percentage.div(100))),
            doc.precision.currency,
            doc.precision,
          );
          if (!line.discount_amount.isZero()) line.rate = plr.minus(line.discount_amount);
        }
      }
    } else if (details.free_item_data.length > 0) {
      applyFreeItems(master, doc, details.free_item_data);
    }
  }
  for (const name of names) {
    doc.pricing_rules.push({
      pricing_rule: name,
      item_code: line.item_code,
      child_docname: line.name,
      rule_applied: true,
    });
  }
}

/** `apply_pricing_rule_for_free_items`: update the matching free row or append a new one. */
export function applyFreeItems(master: Master, doc: Doc, free: FreeItem[]): void {
  const pending = new Map(free.map((f) => [`${f.item_code}\u0000${f.pricing_rules}`, f]));
  for (const line of doc.items) {
    if (!line.is_free_item) continue;
    const key = `${line.item_code}\u0000${line.pricing_rules}`;
    const f = pending.get(key);
    if (f) {
      Object.assign(line, {
        qty: f.qty,
        rate: f.rate,
        price_list_rate: f.price_list_rate,
        uom: f.uom,
        conversion_factor: f.conversion_factor,
      });
      pending.delete(key);
    }
  }
  for (const f of pending.values()) {
    const item = master.link('Item', f.item_code, 'free_item');
    const idx = doc.items.length + 1;
    doc.items.push({
      idx,
      name: `row-${idx}`,
      item_code: f.item_code,
      item_name: item.str('item_name'),
      description: item.str('description'),
      item_group: item.str('item_group'),
      brand: item.str('brand'),
      stock_uom: item.str('stock_uom'),
      uom: f.uom,
      qty: f.qty,
      conversion_factor: f.conversion_factor,
      stock_qty: ZERO,
      price_list_rate: f.price_list_rate,
      rate: f.rate,
      discount_percentage: null,
      discount_amount: null,
      margin_type: '',
      margin_rate_or_amount: ZERO,
      rate_with_margin: ZERO,
      amount: ZERO,
      net_rate: ZERO,
      net_amount: ZERO,
      distributed_discount_amount: ZERO,
      is_free_item: true,
      pricing_rules: f.pricing_rules,
      item_tax_template: '',
      item_tax_rate: new Map(),
      warehouse: '',
      barcode: '',
    });
  }
}
