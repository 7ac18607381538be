import type { Dec } from './money/decimal.js';
import type { Master } from './master.js';
import type { Doc } from './invoice/doc.js';

export interface PackedItem {
  readonly parent_item: string;
  readonly parent_detail_docname: string;
  readonly item_code: string;
  readonly item_name: string;
  readonly uom: string;
  readonly qty: Dec;
  readonly warehouse: string;
}

/**
 * Product Bundle components of each bundle line (ERPNext's `make_packing_list`): component qty =
 * bundle row qty × the line's stock qty. The price stays on the bundle line; components carry the
 * stock movement. ERPNext's POS Invoice leaves `packed_items` empty over REST (it builds them at
 * consolidation); the store needs them at sale time to reserve component stock.
 */
export function packedItems(master: Master, doc: Doc): PackedItem[] {
  const out: PackedItem[] = [];
  for (const line of doc.items) {
    const bundle = master.get('Product Bundle', line.item_code);
    if (!bundle || bundle.bool('disabled')) continue;
    for (const row of bundle.table('items')) {
      const code = row.str('item_code');
      const item = master.get('Item', code);
      out.push({
        parent_item: line.item_code,
        parent_detail_docname: line.name,
        item_code: code,
        item_name: item?.str('item_name') ?? code,
        uom: row.str('uom') || item?.str('stock_uom') || '',
        qty: row.dec('qty').times(line.stock_qty),
        warehouse: line.warehouse,
      });
    }
  }
  return out;
}
