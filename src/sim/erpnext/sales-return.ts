import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr, flt, rowsOf } from '../doc.js';
import { asDict, setDefaults } from '../doc-shape.js';
import { doesNotExist } from '../errors.js';
import type { DocMeta } from '../meta.js';
import { isFloat, isTable } from '../meta.js';
import { binQty } from './stock.js';
import { readDoc } from './store.js';

const HEADER_NEGATED = [
  'total_qty',
  'base_total',
  'base_net_total',
  'total',
  'net_total',
  'base_total_taxes_and_charges',
  'total_taxes_and_charges',
  'base_grand_total',
  'base_rounding_adjustment',
  'base_rounded_total',
  'grand_total',
  'rounding_adjustment',
  'rounded_total',
  'base_discount_amount',
  'discount_amount',
  'paid_amount',
];
const ITEM_NEGATED = ['qty', 'stock_qty', 'amount', 'base_amount', 'net_amount', 'base_net_amount'];
const SYSTEM = ['name', 'creation', 'modified', 'modified_by', 'parent'];

/**
 * get_mapped_doc's copy onto a new document: no_copy fields and the row's identity are left
 * behind, then the new document's defaults fill what is missing.
 */
function mapped(ctx: SiteContext, meta: DocMeta, doc: Doc): Doc {
  const out = asDict(ctx, meta, doc, true);
  for (const f of meta.fields) if (f.noCopy && !isTable(f)) delete out[f.fieldname];
  for (const k of SYSTEM) delete out[k];
  setDefaults(meta, out, ctx);
  // calculate_taxes_and_totals on the new document leaves every amount set, if only to 0.
  for (const f of meta.valueFields)
    if (isFloat(f) && out[f.fieldname] === undefined) out[f.fieldname] = 0;
  out['docstatus'] = 0;
  return out;
}

const negate = (doc: Doc, keys: readonly string[]): void => {
  for (const k of keys) if (typeof doc[k] === 'number') doc[k] = -flt(doc[k]) || 0;
};

/**
 * make_sales_return (make_return_doc): an unsaved credit note mapped from a POS Invoice, with
 * negative quantities, amounts and payments, each row pointing at the row it returns.
 */
export function makeSalesReturn(ctx: SiteContext, source: string): Doc {
  const meta = ctx.meta.require('POS Invoice');
  const src = readDoc(ctx, 'POS Invoice', source);
  if (!src) throw doesNotExist(`POS Invoice ${source} not found`);
  const out = mapped(ctx, meta, src);
  const now = ctx.time.stamp();
  negate(out, HEADER_NEGATED);
  Object.assign(out, {
    docstatus: 0,
    is_return: 1,
    return_against: source,
    posting_date: now.slice(0, 10),
    posting_time: now.slice(11),
    set_posting_time: 0,
    ignore_pricing_rule: 1,
    set_warehouse: '',
    consolidated_invoice: '',
    select_print_heading: 'Credit Note',
    status: 'Draft',
    paid_amount: -flt(src['paid_amount']),
    base_paid_amount: 0,
    change_amount: 0,
    base_change_amount: 0,
    outstanding_amount: 0,
    __islocal: 1,
    __onload: { load_after_mapping: true },
    __unsaved: 1,
  });
  delete out['tax_category'];
  out['loyalty_points'] ??= 0;
  out['party_account_currency'] ??= src['party_account_currency'];
  const itemMeta = ctx.meta.require('POS Invoice Item');
  out['items'] = rowsOf(src, 'items').map((row) => {
    const r = mapped(ctx, itemMeta, row);
    negate(r, ITEM_NEGATED);
    r['stock_qty'] = -flt(row['stock_qty']);
    delete r['image'];
    return {
      ...r,
      pos_invoice_item: row['name'],
      actual_qty: binQty(ctx, cstr(row['item_code']), cstr(row['warehouse'])),
      __islocal: 1,
      __unsaved: 1,
    };
  });
  const payMeta = ctx.meta.require('Sales Invoice Payment');
  out['payments'] = rowsOf(src, 'payments').map((p) => {
    const r = mapped(ctx, payMeta, p);
    delete r['owner'];
    negate(r, ['amount']);
    r['base_amount'] = flt(r['amount']) * (flt(src['conversion_rate']) || 1);
    return { ...r, __islocal: 1 };
  });
  return out;
}
