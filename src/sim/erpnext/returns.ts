import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { throwError } from '../errors.js';
import { readDoc } from './store.js';

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
