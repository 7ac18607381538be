import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr, flt } from '../doc.js';
import { insertDoc } from '../document.js';
import { persistDoc } from '../doc-store.js';
import { findDocs } from './store.js';

const raw = { ignorePermissions: true, ignoreLinks: true, ignoreMandatory: true } as const;

/**
 * make_sl_entries(cancel=True) for a voucher being cancelled (erpnext/stock/stock_ledger.py):
 * each of its Stock Ledger Entries is flagged is_cancelled, a reversing entry (the quantity
 * negated, flagged is_cancelled too) is added at the same posting time, and the Bin gets the
 * quantity back. Returns the voucher rows (voucher_detail_no) whose stock moved: on cancel,
 * SerialBatchBundle.delink_serial_and_batch_bundle sets their serial_and_batch_bundle to "".
 */
export function cancelStock(ctx: SiteContext, doctype: string, doc: Doc): Set<string> {
  const rows = new Set<string>();
  const sles = findDocs(ctx, 'Stock Ledger Entry', [
    ['voucher_type', '=', doctype],
    ['voucher_no', '=', cstr(doc['name'])],
    ['is_cancelled', '=', 0],
  ]);
  const sleMeta = ctx.meta.require('Stock Ledger Entry');
  const binMeta = ctx.meta.require('Bin');
  for (const sle of sles) {
    persistDoc(ctx, sleMeta, { ...sle, is_cancelled: 1, modified: ctx.time.stamp() }, false);
    const qty = -flt(sle['actual_qty']);
    const bin = findDocs(ctx, 'Bin', [
      ['item_code', '=', cstr(sle['item_code'])],
      ['warehouse', '=', cstr(sle['warehouse'])],
    ])[0];
    const after = flt(bin?.['actual_qty']) + qty;
    const rate = flt(sle['valuation_rate']);
    insertDoc(
      ctx,
      'Stock Ledger Entry',
      {
        item_code: sle['item_code'],
        warehouse: sle['warehouse'],
        posting_date: sle['posting_date'],
        posting_time: sle['posting_time'],
        posting_datetime: sle['posting_datetime'],
        voucher_type: doctype,
        voucher_no: doc['name'],
        voucher_detail_no: sle['voucher_detail_no'],
        actual_qty: qty,
        qty_after_transaction: after,
        incoming_rate: sle['incoming_rate'],
        valuation_rate: rate,
        stock_value: after * rate,
        stock_value_difference: -flt(sle['stock_value_difference']),
        stock_uom: sle['stock_uom'],
        company: sle['company'],
        is_cancelled: 1,
      },
      raw,
    );
    if (bin) {
      const projected = flt(bin['projected_qty']) + qty;
      const values = { actual_qty: after, projected_qty: projected, stock_value: after * rate };
      persistDoc(ctx, binMeta, { ...bin, ...values, modified: ctx.time.stamp() }, false);
    }
    rows.add(cstr(sle['voucher_detail_no']));
  }
  return rows;
}

/**
 * make_reverse_gl_entries (erpnext/accounts/general_ledger.py): the voucher's GL Entries are
 * flagged is_cancelled and each gets a mirror entry (debit and credit swapped), flagged too.
 */
export function cancelGl(ctx: SiteContext, doctype: string, doc: Doc): void {
  const entries = findDocs(ctx, 'GL Entry', [
    ['voucher_type', '=', doctype],
    ['voucher_no', '=', cstr(doc['name'])],
    ['is_cancelled', '=', 0],
  ]);
  const meta = ctx.meta.require('GL Entry');
  for (const gl of entries) {
    persistDoc(ctx, meta, { ...gl, is_cancelled: 1, modified: ctx.time.stamp() }, false);
    const copy: Doc = {};
    for (const f of meta.valueFields)
      if (gl[f.fieldname] !== undefined) copy[f.fieldname] = gl[f.fieldname];
    Object.assign(copy, {
      debit: gl['credit'],
      credit: gl['debit'],
      debit_in_account_currency: gl['credit_in_account_currency'],
      credit_in_account_currency: gl['debit_in_account_currency'],
      is_cancelled: 1,
    });
    insertDoc(ctx, 'GL Entry', copy, raw);
  }
}
