import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr, flt } from '../doc.js';
import { erpnextValidationError, throwError } from '../errors.js';
import type { HookRegistry } from '../hooks.js';
import { parseStoredDoc } from '../stored-json.js';

const DUPLICATE =
  'Item Price appears multiple times based on Price List, Supplier/Customer, Currency, Item, Batch, UOM, Qty, and Dates.';

/** ERPNext's check_duplicates: same item, price list, uom, dates, party, batch and packing unit. */
function isDuplicate(doc: Doc, ctx: SiteContext): boolean {
  const keys = ['uom', 'valid_from', 'valid_upto', 'customer', 'supplier', 'batch_no'];
  const rows = ctx.db.sql
    .prepare<[string, string, string], { data: string }>(
      `SELECT data FROM docs WHERE doctype = 'Item Price' AND name != ?
       AND json_extract(data, '$.item_code') = ? AND json_extract(data, '$.price_list') = ?`,
    )
    .all(cstr(doc['name']), cstr(doc['item_code']), cstr(doc['price_list']));
  return rows.some((r) => {
    const other = parseStoredDoc(r.data, 'docs: Item Price');
    return (
      keys.every((k) => cstr(other[k]) === cstr(doc[k])) &&
      flt(other['packing_unit']) === flt(doc['packing_unit'])
    );
  });
}

/** ERPNext's Item Price controller: price list flags and currency, item details, duplicates. */
export function registerItemPriceHooks(hooks: HookRegistry): void {
  hooks.register('Item Price', {
    validate: (doc, ctx) => {
      const item = ctx.db.get('Item', cstr(doc['item_code']));
      if (!item) throw throwError('ValidationError', `Item ${cstr(doc['item_code'])} not found.`);
      const list = ctx.db.get('Price List', cstr(doc['price_list']));
      if (!list || list.data['enabled'] === 0) {
        const name = cstr(doc['price_list']);
        throw throwError(
          'ValidationError',
          `The price list <a href="/app/price-list/${name}">${name}</a> does not exist or is disabled`,
        );
      }
      doc['buying'] = list.data['buying'];
      doc['selling'] = list.data['selling'];
      doc['currency'] = list.data['currency'];
      doc['item_name'] = item.data['item_name'];
      doc['item_description'] = item.data['description'];
      if (isDuplicate(doc, ctx)) {
        throw erpnextValidationError(
          'ItemPriceDuplicateItem',
          'erpnext.stock.doctype.item_price.item_price',
          DUPLICATE,
        );
      }
      // before_save: the reference party follows the list's side.
      if (doc['selling']) doc['reference'] = doc['customer'];
      if (doc['buying']) doc['reference'] = doc['supplier'];
      if (doc['selling'] && !doc['buying']) doc['supplier'] = null;
      if (doc['buying'] && !doc['selling']) doc['customer'] = null;
    },
  });
}
