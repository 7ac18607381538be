import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { insertDoc } from '../document.js';
import { persistDoc } from '../doc-store.js';
import { FrappeError } from '../errors.js';
import { pyFloat } from './stock.js';
import { findDocs, readDoc } from './store.js';

/** "YYYY-MM-DD HH:MM:SS.ffffff" from a date and a (possibly short) time. */
function postingDatetime(date: string, time: string): string {
  const [h = '0', m = '0', rest = '0'] = time.split(':');
  const [s = '0', frac = ''] = rest.split('.');
  const pad = (v: string): string => v.padStart(2, '0');
  const micro = frac ? `.${frac.padEnd(6, '0')}` : '';
  return `${date} ${pad(h)}:${pad(m)}:${pad(s)}${micro}`;
}

function binOf(ctx: SiteContext, item: string, warehouse: string): Doc {
  const found = findDocs(ctx, 'Bin', [
    ['item_code', '=', item],
    ['warehouse', '=', warehouse],
  ])[0];
  if (found) return found;
  return insertDoc(
    ctx,
    'Bin',
    { item_code: item, warehouse, actual_qty: 0, projected_qty: 0, valuation_rate: 0 },
    { ignorePermissions: true, ignoreMandatory: true },
  );
}

/**
 * Stock on hand just before `at`: the ledger up to then, or the Bin itself where an item's
 * stock was bulk-loaded with no ledger at all (demo seeds).
 */
function qtyBefore(
  ctx: SiteContext,
  item: string,
  warehouse: string,
  at: string,
  bin: Doc,
): number {
  // The Bin holds the balance after every entry; the balance at `at` is that less what was posted
  // later. On a complete ledger this is the sum of the entries up to `at` (ERPNext's previous
  // SLE's qty_after_transaction); on a seeded site whose opening stock has no entries it still
  // starts from the Bin's quantity instead of from 0.
  // The entries are read through docs_item_warehouse's posting_datetime range, not in a
  // doctype scan's (modified, name) order: that order is spelled out so that creation ties are
  // summed exactly as before.
  const later = findDocs(
    ctx,
    'Stock Ledger Entry',
    [
      ['item_code', '=', item],
      ['warehouse', '=', warehouse],
      ['is_cancelled', '=', 0],
      ['posting_datetime', '>', at],
    ],
    'creation asc, modified asc, name asc',
  );
  return later.reduce((rest, s) => rest - flt(s['actual_qty']), flt(bin['actual_qty']));
}

function negativeStock(ctx: SiteContext, item: string, warehouse: string, short: number) {
  const name = cstr(readDoc(ctx, 'Item', item)?.['item_name']);
  const msg = `<strong>${pyFloat(short)}</strong> units of <a href="/app/Form/Item/${item}" style="font-weight: bold;">Item ${item}: ${name}</a> needed in <a href="/app/Form/Warehouse/${warehouse}" style="font-weight: bold;">Warehouse ${warehouse}</a> to complete this transaction.`;
  return new FrappeError('NegativeStockError', 417, msg, {
    module: 'erpnext.stock.stock_ledger',
    fromErpnext: true,
  });
}

/**
 * make_sl_entries for a selling voucher with update_stock: one Stock Ledger Entry per stock row
 * (out for sales, in for returns) at the voucher's posting datetime, moving the Bin at once.
 * Returns the stock value moved per row name, for the GL.
 */
export function postStock(ctx: SiteContext, doctype: string, doc: Doc): Map<string, number> {
  const moved = new Map<string, number>();
  const settings = readDoc(ctx, 'Stock Settings', 'Stock Settings');
  const at = postingDatetime(cstr(doc['posting_date']), cstr(doc['posting_time']));
  const running = new Map<string, number>();
  for (const row of rowsOf(doc, 'items')) {
    const code = cstr(row['item_code']);
    const item = readDoc(ctx, 'Item', code);
    if (!cint(item?.['is_stock_item'])) continue;
    const wh = cstr(row['warehouse']);
    const bin = binOf(ctx, code, wh);
    const key = `${code}\u0000${wh}`;
    const before = running.get(key) ?? qtyBefore(ctx, code, wh, at, bin);
    const qty = -flt(row['stock_qty']);
    const after = before + qty;
    const allowNegative =
      cint(settings?.['allow_negative_stock']) || cint(item?.['allow_negative_stock']);
    if (after < 0 && !allowNegative) throw negativeStock(ctx, code, wh, -after);
    running.set(key, after);
    const rate = flt(bin['valuation_rate']) || flt(item?.['valuation_rate']);
    const diff = qty * rate;
    moved.set(cstr(row['name']), diff);
    row['incoming_rate'] = rate;
    insertDoc(
      ctx,
      'Stock Ledger Entry',
      {
        item_code: code,
        warehouse: wh,
        posting_date: doc['posting_date'],
        posting_time: doc['posting_time'],
        posting_datetime: at,
        voucher_type: doctype,
        voucher_no: doc['name'],
        voucher_detail_no: row['name'],
        actual_qty: qty,
        qty_after_transaction: after,
        incoming_rate: rate,
        valuation_rate: rate,
        stock_value: after * rate,
        stock_value_difference: diff,
        stock_uom: row['stock_uom'],
        company: doc['company'],
        is_cancelled: 0,
      },
      { ignorePermissions: true, ignoreLinks: true, ignoreMandatory: true },
    );
    const actual = flt(bin['actual_qty']) + qty;
    Object.assign(bin, {
      actual_qty: actual,
      projected_qty: flt(bin['projected_qty']) + qty,
      valuation_rate: rate,
      stock_value: actual * rate,
      modified: ctx.time.stamp(),
    });
    persistDoc(ctx, ctx.meta.require('Bin'), bin, false);
  }
  return moved;
}
