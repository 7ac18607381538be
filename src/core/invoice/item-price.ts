import type { Dec } from '../money/decimal.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';

/**
 * `get_price_list_rate_for`: the Item Price for the invoice's price list, customer and UOM on the
 * posting date, converted to the selling UOM and the invoice currency. Null when none exists.
 */
export function resolveItemPrice(
  master: Master,
  doc: Doc,
  item: Fields,
  uom: string,
  stockUom: string,
  conversionFactor: Dec,
  qty: Dec,
): Dec | null {
  const code = item.str('name') || item.str('item_code');
  const variantOf = item.str('variant_of');
  let found = priceFor(master, doc, code, uom, stockUom, qty);
  if (found === undefined && variantOf)
    found = priceFor(master, doc, variantOf, uom, stockUom, qty);
  if (!found) return null;
  const priceList = master.get('Price List', doc.selling_price_list);
  let rate = found.dec('price_list_rate');
  if (found.str('uom') !== uom && !priceList?.bool('price_not_uom_dependent'))
    rate = rate.times(conversionFactor);
  const plCurrency = priceList?.str('currency') || found.str('currency') || doc.currency;
  if (plCurrency !== doc.currency && plCurrency === doc.company_currency)
    rate = rate.div(doc.conversion_rate);
  return rate;
}

/** undefined: no price at all; null: a customer price exists but the quantity breaks its packing unit. */
function priceFor(
  master: Master,
  doc: Doc,
  code: string,
  uom: string,
  stockUom: string,
  qty: Dec,
): Fields | null | undefined {
  const base = master
    .where('Item Price', 'item_code', code)
    .filter(
      (p) =>
        p.str('price_list') === doc.selling_price_list &&
        !p.str('batch_no') &&
        (!p.str('valid_from') || p.date('valid_from') <= doc.posting_date) &&
        (!p.str('valid_upto') || p.date('valid_upto') >= doc.posting_date),
    );
  const pick = (rows: Fields[], u: string): Fields | undefined =>
    rows
      .filter((p) => ['', u].includes(p.str('uom')))
      .sort(
        (a, b) =>
          cmpDesc(a.date('valid_from'), b.date('valid_from')) ||
          cmpDesc(a.str('uom'), b.str('uom')),
      )[0];

  const own = doc.customer
    ? pick(
        base.filter((p) => p.str('customer') === doc.customer),
        uom,
      )
    : undefined;
  if (own) {
    const unit = own.dec('packing_unit');
    if (!unit.isZero() && !qty.mod(unit).isZero()) return null;
    return own;
  }
  const general = base.filter((p) => !p.str('customer') && !p.str('supplier'));
  return pick(general, uom) ?? (uom !== stockUom ? pick(general, stockUom) : undefined);
}

/** MariaDB ORDER BY ... DESC, where blank (NULL) sorts last. */
function cmpDesc(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  return a < b ? 1 : -1;
}
