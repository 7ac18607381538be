import type { Item } from './api/schemas.js';

/** How a quantity in a unit may be typed: whole units, or up to `precision` decimals. */
export interface Unit {
  readonly whole: boolean;
  readonly precision: number;
}

export type Units = ReadonlyMap<string, Unit>;

/** A weighed item waiting for its weight: what the weight dialog asks for. */
export interface Weighing {
  readonly item_code: string;
  readonly item_name: string;
  /** The unit it is sold in (its stock UOM, e.g. Kg) and the decimals a quantity may have. */
  readonly uom: string;
  readonly precision: number;
  /** Why it is asked (a scale's label that carries no weight), shown above the field. */
  readonly reason?: string;
}

/** What a found item (a scan, a search pick) becomes in the cart. */
export type Adding =
  | { readonly add: 'code' }
  /** A weighed or price label, or a pack barcode: the scan itself is the line. */
  | { readonly add: 'label'; readonly barcode: string }
  /** Sold by weight and none came with it: the cashier types it. */
  | { readonly ask: Weighing }
  | { readonly refuse: string };

const ZERO = /^0+(\.0+)?$/;

/**
 * Decides how `item` joins the cart. An item sold in a unit that is not whole (the catalog's
 * UOM, must_be_whole_number off: Kg) asks for its weight when it comes without one: picked in
 * the search, scanned by a plain code, or scanned from a scale's label printed with nothing
 * on the scale (0 kg). A label with a weight or a price is the line itself, as the node reads
 * it. `units` null (the node has not said yet): nothing is asked, as before units were known.
 */
export function adding(item: Item, units: Units | null): Adding {
  const code = item.barcode;
  const label = (item.barcode_rule ?? '') !== '' || item.uom !== item.stock_uom;
  const unit = units?.get(item.stock_uom);
  // Only in the stock UOM: a line sold by item code is priced in it.
  const ask =
    unit !== undefined && !unit.whole && item.uom === item.stock_uom
      ? {
          ask: {
            item_code: item.item_code,
            item_name: item.item_name,
            uom: item.stock_uom,
            precision: unit.precision,
          },
        }
      : null;
  if (code !== undefined && label && ZERO.test(item.qty)) {
    if (ask !== null) {
      return {
        ask: {
          ...ask.ask,
          reason: `The label reads 0 ${item.stock_uom}: weigh it and type the weight.`,
        },
      };
    }
    // A scale's label template, or a misprint: nothing weighed, nothing to sell.
    return { refuse: `${item.item_name}: the label reads a quantity of 0; weigh it again.` };
  }
  if (code !== undefined && label) return { add: 'label', barcode: code };
  return ask ?? { add: 'code' };
}
