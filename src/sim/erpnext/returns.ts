import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { FrappeError, thrownMessage, throwError } from '../errors.js';
import { findDocs, readDoc } from './store.js';

/** frappe.msgprint without raising: shown with the successful reply. */
export function msgprint(
  ctx: SiteContext,
  message: string,
  extra: Record<string, number> = {},
): void {
  ctx.messages?.push({ message, title: 'Message', ...extra });
}

/**
 * validate_returned_items, the part POS returns meet: each returned row must point at a row of
 * the original (`pos_invoice_item` / `sales_invoice_item`). A row that names none is only
 * reported (msgprint); one that names a row the original lacks is refused.
 */
export function validateReturnedItems(ctx: SiteContext, doctype: string, doc: Doc): void {
  if (!cint(doc['is_return']) || !cstr(doc['return_against'])) return;
  const original = readDoc(ctx, doctype, cstr(doc['return_against']));
  validateReturnAgainst(doctype, doc, original);
  const field = `${doctype.toLowerCase().replace(/ /g, '_')}_item`;
  const valid = new Set(
    rowsOf(original ?? {}, 'items').map((r) => `${cstr(r['item_code'])}\u0000${cstr(r['name'])}`),
  );
  for (const row of rowsOf(doc, 'items')) {
    if (!cstr(row['item_code']) || flt(row['qty']) > 0) continue;
    const ref = cstr(row[field]);
    if (ref && valid.has(`${cstr(row['item_code'])}\u0000${ref}`)) continue;
    const message = `Row # ${cint(row['idx'])}: Returned Item ${cstr(row['item_code'])} does not exist in ${doctype} ${cstr(doc['return_against'])}`;
    if (ref) throw throwError('ValidationError', message, { fromErpnext: true });
    msgprint(ctx, message);
  }
}

const bold = (v: string) => `<strong>${v}</strong>`;

/**
 * validate_return_against (erpnext/controllers/sales_and_purchase_return.py): the original
 * exists and is the same customer's. (Its posting-time and exchange-rate checks are not
 * simulated.)
 */
function validateReturnAgainst(doctype: string, doc: Doc, original: Doc | undefined): void {
  const against = cstr(doc['return_against']);
  if (!original) {
    throw throwError('ValidationError', `Invalid Return Against: ${against}`, {
      fromErpnext: true,
    });
  }
  const [mine, theirs] = [cstr(doc['customer']), cstr(original['customer'])];
  if (mine !== theirs) {
    throw throwError(
      'ValidationError',
      `The Customer ${bold(mine)} does not match with the Customer ${bold(theirs)} in the ${doctype} ${against}`,
      { title: 'Party Mismatch', fromErpnext: true },
    );
  }
}

/** Python's str() of a float: 1.0, 2.5. */
const pyFloat = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

/**
 * validate_quantity over get_already_returned_items (sales_and_purchase_return.py): per
 * original row (item_code and the row link), the submitted returns against the same original
 * and this one together may not take back more than the row holds, in stock_qty (qty on a
 * Sales Invoice without update_stock). Rows naming no original row are not counted here.
 */
export function validateReturnedQty(ctx: SiteContext, doctype: string, doc: Doc): void {
  if (!cint(doc['is_return']) || !cstr(doc['return_against'])) return;
  const against = cstr(doc['return_against']);
  const original = readDoc(ctx, doctype, against);
  if (!original) return;
  const field = `${doctype.toLowerCase().replace(/ /g, '_')}_item`;
  const column = doctype === 'Sales Invoice' && !cint(doc['update_stock']) ? 'qty' : 'stock_qty';
  const qtyOf = (r: Doc) =>
    column === 'qty'
      ? flt(r['qty'])
      : flt(r['stock_qty']) || flt(r['qty']) * (flt(r['conversion_factor']) || 1);
  const key = (code: string, row: string) => `${code}\u0000${row}`;
  const reference = new Map<string, number>();
  for (const r of rowsOf(original, 'items')) {
    const k = key(cstr(r['item_code']), cstr(r['name']));
    reference.set(k, (reference.get(k) ?? 0) + qtyOf(r));
  }
  const returned = new Map<string, number>();
  const earlier = findDocs(ctx, doctype, [
    ['is_return', '=', 1],
    ['return_against', '=', against],
    ['docstatus', '=', 1],
  ]).filter((d) => cstr(d['name']) !== cstr(doc['name']));
  for (const d of earlier) {
    for (const r of rowsOf(d, 'items')) {
      const k = key(cstr(r['item_code']), cstr(r[field]));
      returned.set(k, (returned.get(k) ?? 0) + Math.abs(qtyOf(r)));
    }
  }
  const label = column === 'qty' ? 'Qty' : 'Stock Qty';
  for (const row of rowsOf(doc, 'items')) {
    const link = cstr(row[field]);
    if (!cstr(row['item_code']) || !link) continue;
    const k = key(cstr(row['item_code']), link);
    const ref = reference.get(k) ?? 0;
    if (!ref) continue;
    const done = returned.get(k) ?? 0;
    const current = qtyOf(row);
    const max = ref - done;
    if (current > 0) {
      throw throwError('ValidationError', `${label} must be negative in return document`, {
        fromErpnext: true,
      });
    }
    if (Math.abs(current) > max) {
      const message = `Row # ${cint(row['idx'])}: Cannot return more than ${pyFloat(max)} for Item ${cstr(row['item_code'])}`;
      throw new FrappeError('StockOverReturnError', 417, message, {
        module: 'erpnext.controllers.sales_and_purchase_return',
        messages: [thrownMessage(message)],
        fromErpnext: true,
      });
    }
  }
}
