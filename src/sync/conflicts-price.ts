import { type Dec, toDec } from '../core/index.js';
import type { PriceRow } from '../store/conflict-reads.js';

/**
 * The Item Price a sale's row would get now, by the rules the engine priced it with
 * (src/core/invoice/item-price.ts, after ERPNext's `get_price_list_rate_for` in
 * erpnext/stock/get_item_details.py): the price list's rows without a batch, valid on the
 * posting date; the customer's own price first (refused when the quantity breaks its packing
 * unit), else a general one in the row's UOM, else in the stock UOM; the latest valid_from and a
 * UOM-specific row before a blank one. A price in another UOM is scaled by the conversion factor
 * unless the price list says prices do not depend on the UOM.
 */
export interface PriceQuery {
  readonly rows: readonly PriceRow[];
  readonly customer: string;
  readonly postingDate: string;
  readonly uom: string;
  readonly stockUom: string;
  readonly qty: Dec;
  readonly conversionFactor: Dec;
  readonly uomIndependent: boolean;
}

/** The rate now, or null when no Item Price applies. */
export function priceNow(q: PriceQuery): Dec | null {
  const valid = q.rows.filter(
    (p) =>
      !p.batch_no &&
      (!p.valid_from || p.valid_from.slice(0, 10) <= q.postingDate) &&
      (!p.valid_upto || p.valid_upto.slice(0, 10) >= q.postingDate),
  );
  let found: PriceRow | undefined;
  if (q.customer) {
    const own = pick(
      valid.filter((p) => p.customer === q.customer),
      q.uom,
    );
    if (own) {
      const unit = toDec(own.packing_unit);
      if (!unit.isZero() && !q.qty.mod(unit).isZero()) return null;
      found = own;
    }
  }
  if (!found) {
    const general = valid.filter((p) => !p.customer && !p.supplier);
    found = pick(general, q.uom) ?? (q.uom !== q.stockUom ? pick(general, q.stockUom) : undefined);
  }
  if (!found) return null;
  const rate = toDec(found.price_list_rate);
  return found.uom !== q.uom && !q.uomIndependent ? rate.times(q.conversionFactor) : rate;
}

function pick(rows: readonly PriceRow[], uom: string): PriceRow | undefined {
  return rows
    .filter((p) => p.uom === '' || p.uom === uom)
    .sort((a, b) => desc(a.valid_from, b.valid_from) || desc(a.uom, b.uom))[0];
}

/** MariaDB's ORDER BY … DESC, where blank (NULL) sorts last. */
function desc(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  return a < b ? 1 : -1;
}
