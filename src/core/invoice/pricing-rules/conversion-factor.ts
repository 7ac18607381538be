import { Dec } from '../../money/decimal.js';
import type { Master } from '../../master.js';
import type { Fields } from '../../record.js';

/**
 * `get_conversion_factor(item, uom)`: the item's UOM table, else the global UOM Conversion Factor
 * from the UOM to the stock UOM, else 1 (ERPNext accepts the line at factor 1).
 */
export function conversionFactor(item: Fields, uom: string, master?: Master): Dec {
  const stockUom = item.str('stock_uom');
  if (!uom || uom === stockUom) return new Dec(1);
  const row = item.table('uoms').find((u) => u.str('uom') === uom);
  if (row && !row.dec('conversion_factor').isZero()) return row.dec('conversion_factor');
  const global = master
    ?.all('UOM Conversion Factor')
    .find((f) => f.str('from_uom') === uom && f.str('to_uom') === stockUom);
  return global && !global.dec('value').isZero() ? global.dec('value') : new Dec(1);
}
