import type { Doc } from '../doc.js';
import { cstr, rowsOf } from '../doc.js';
import type { SiteContext } from '../context.js';
import type { HookRegistry } from '../hooks.js';
import { throwError } from '../errors.js';

/** Item.update_defaults_from_item_group: the group's defaults, else the global company/warehouse. */
function defaultsFor(doc: Doc, ctx: SiteContext): Doc[] {
  const fromGroup = ctx.db
    .children('Item Group', cstr(doc['item_group']))
    .filter((r) => r.doctype === 'Item Default')
    .map((r) => {
      const { company, default_warehouse, default_price_list, buying_cost_center } = r.data;
      const { default_supplier, expense_account, selling_cost_center, income_account } = r.data;
      return {
        company,
        default_warehouse,
        default_price_list,
        buying_cost_center,
        default_supplier,
        expense_account,
        selling_cost_center,
        income_account,
      };
    });
  if (fromGroup.length > 0) return fromGroup;
  const { company, default_warehouse: warehouse } = ctx.db.getDefaults();
  const row = warehouse === undefined ? undefined : ctx.db.get('Warehouse', warehouse);
  if (!company || !warehouse || row?.data['company'] !== company) return [];
  return [{ company, default_warehouse: warehouse }];
}

/**
 * The parts of ERPNext's Item controller the REST recordings show: item_name and description
 * default from the code, the stock UOM gets a conversion row, and a barcode is used only once.
 */
export function registerItemHooks(hooks: HookRegistry): void {
  hooks.register('Item', {
    beforeInsert: (doc: Doc) => {
      if (!doc['item_name']) doc['item_name'] = doc['item_code'];
      if (!doc['description']) doc['description'] = doc['item_name'];
    },
    validate: (doc: Doc, ctx) => {
      if (!doc['item_name']) doc['item_name'] = doc['item_code'];
      if (rowsOf(doc, 'item_defaults').length === 0) doc['item_defaults'] = defaultsFor(doc, ctx);
      doc['customer_code'] = rowsOf(doc, 'customer_items')
        .map((r) => cstr(r['ref_code']))
        .join(',');
      const uoms = rowsOf(doc, 'uoms');
      if (doc['stock_uom'] && !uoms.some((r) => r['uom'] === doc['stock_uom'])) {
        uoms.push({ uom: doc['stock_uom'], conversion_factor: 1, idx: uoms.length + 1 });
        doc['uoms'] = uoms;
      }
      for (const row of rowsOf(doc, 'barcodes')) {
        const barcode = cstr(row['barcode']);
        const other = ctx.db.sql
          .prepare<[string, string], { parent: string }>(
            `SELECT parent FROM docs WHERE doctype = 'Item Barcode'
             AND json_extract(data, '$.barcode') = ? AND parent != ? LIMIT 1`,
          )
          .get(barcode, cstr(doc['name']));
        if (other) {
          throw throwError(
            'ValidationError',
            `Barcode ${barcode} already used in Item ${other.parent}`,
            {
              fromErpnext: true,
            },
          );
        }
      }
    },
  });
}
