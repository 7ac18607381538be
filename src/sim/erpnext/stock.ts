import type { SiteContext } from '../context.js';
import { cint, flt } from '../doc.js';
import { getList } from '../query.js';
import { findDocs, readDoc } from './store.js';

/** Bin.actual_qty of an item in a warehouse (0 without a Bin). */
export function binQty(ctx: SiteContext, item: string, warehouse: string): number {
  const rows = getList(ctx, {
    doctype: 'Bin',
    fields: ['actual_qty'],
    filters: [
      ['item_code', '=', item],
      ['warehouse', '=', warehouse],
    ],
    pageLength: 1,
  });
  return flt(rows[0]?.['actual_qty']);
}

/** get_pos_reserved_qty: Σ stock_qty of submitted POS Invoice rows not yet consolidated. */
function posReservedQty(ctx: SiteContext, item: string, warehouse: string): number {
  const rows = getList(ctx, {
    doctype: 'POS Invoice',
    fields: ['items.stock_qty', 'items.item_code', 'items.warehouse'],
    filters: [
      ['docstatus', '=', 1],
      ['consolidated_invoice', 'is', 'not set'],
      ['POS Invoice Item', 'item_code', '=', item],
      ['POS Invoice Item', 'warehouse', '=', warehouse],
    ],
    pageLength: 0,
  });
  return rows
    .filter((r) => r['item_code'] === item && r['warehouse'] === warehouse)
    .reduce((s, r) => s + flt(r['stock_qty']), 0);
}

/** get_stock_availability: [available, is_stock_item] as ERPNext's POS computes it. */
export function stockAvailability(
  ctx: SiteContext,
  item: string,
  warehouse: string,
): [number, boolean] {
  const itemDoc = readDoc(ctx, 'Item', item);
  if (cint(itemDoc?.['is_stock_item'])) {
    return [binQty(ctx, item, warehouse) - posReservedQty(ctx, item, warehouse), true];
  }
  const bundle = findDocs(ctx, 'Product Bundle', [
    ['name', '=', item],
    ['disabled', '=', 0],
  ])[0];
  if (!bundle) return [0, false];
  let bundles = 1_000_000;
  for (const row of (bundle['items'] ?? []) as Record<string, unknown>[]) {
    const code = String(row['item_code']);
    const available = binQty(ctx, code, warehouse) - posReservedQty(ctx, code, warehouse);
    const max = available / flt(row['qty']);
    if (bundles > max && cint(readDoc(ctx, 'Item', code)?.['is_stock_item'])) bundles = max;
  }
  return [bundles - posReservedQty(ctx, item, warehouse), true];
}

/** Python's repr of a float as ERPNext prints quantities in messages ("168.0"). */
export function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
