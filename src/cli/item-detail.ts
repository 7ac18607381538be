import { z } from 'zod';
import { Dec } from '../core/index.js';
import { parseJsonWith, quote, toErpnextJson, QuoteError, zonedTime } from '../core/index.js';
import type { Db } from '../store/db.js';
import { docText, firstActiveCustomer } from '../store/docs.js';
import { Lookup, type ItemRow } from '../store/lookup.js';
import { StoreMaster } from '../store/master.js';
import { UsageError } from './args.js';

/** What `outpost item` shows of one item: its price as a sale now would charge, and stock. */
export interface Detail {
  item_code: string;
  item_name: string;
  item_group: string;
  uom: string;
  qty: number;
  scan?: string;
  barcode_rule?: string;
  price: Record<string, unknown> | { error: string };
  stock: Record<string, unknown> | null;
}

interface Profile {
  readonly name: string;
  readonly warehouse: string;
  readonly customer: string;
  readonly mode: string;
  /** The site's time zone (System Settings), else the machine's: a sale's dates use it. */
  readonly timeZone: string;
}

const profileSchema = z.looseObject({
  warehouse: z.string().nullish(),
  customer: z.string().nullish(),
  payments: z
    .array(z.looseObject({ default: z.number().nullish(), mode_of_payment: z.string().nullish() }))
    .nullish(),
});
const systemSettingsSchema = z.looseObject({ time_zone: z.string().nullish() });

/** The POS Profile as `item` prices with it; refused when the store has not pulled it. */
export function profileOf(db: Db, name: string): Profile {
  const text = docText(db, 'POS Profile', name);
  if (text === undefined) {
    throw new UsageError(
      `the store has no POS Profile ${name}: run \`outpost sync --pull --once\``,
    );
  }
  const p = parseJsonWith(profileSchema, text, 'POS Profile');
  const payments = p.payments ?? [];
  const mode = payments.find((r) => r.default === 1) ?? payments[0];
  const settings = docText(db, 'System Settings', 'System Settings');
  const zone =
    settings === undefined
      ? undefined
      : parseJsonWith(systemSettingsSchema, settings, 'System Settings').time_zone;
  return {
    name,
    warehouse: p.warehouse ?? '',
    customer: p.customer ?? '',
    mode: mode?.mode_of_payment || 'Cash',
    // As the till does (pos/terminal.ts timeZone): a price on the date a sale would be dated.
    timeZone: zone || Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/** The item priced at instant `now` on the site's local date, and its stock in the warehouse. */
export function detail(
  db: Db,
  profile: Profile,
  row: ItemRow,
  uom: string,
  qty: Dec,
  now: number,
): Detail {
  let price: Detail['price'];
  const customer = profile.customer || firstActiveCustomer(db);
  const postingDate = zonedTime(now, profile.timeZone).date;
  try {
    const { master, snapshot } = new StoreMaster(db).forCart([row.item_code], customer);
    const q = quote(master, {
      customer,
      pos_profile: profile.name,
      posting_date: postingDate,
      items: [{ item_code: row.item_code, qty: qty.toNumber(), uom }],
      payments: [{ mode_of_payment: profile.mode, amount: 0 }],
    });
    const line = (toErpnextJson(q)['items'] as Record<string, unknown>[])[0] ?? {};
    price = {
      customer,
      snapshot,
      posting_date: postingDate,
      price_list: q.doc.selling_price_list,
      price_list_rate: line['price_list_rate'],
      discount_percentage: line['discount_percentage'],
      rate: line['rate'],
      amount: line['amount'],
      pricing_rules: line['pricing_rules'],
    };
  } catch (e) {
    if (!(e instanceof QuoteError)) throw e;
    price = { error: `${e.kind}: ${e.message}` };
  }
  return {
    item_code: row.item_code,
    item_name: row.item_name,
    item_group: row.item_group,
    uom,
    qty: qty.toNumber(),
    price,
    stock: stockOf(db, profile.warehouse, row),
  };
}

/**
 * A stored quantity (an exact decimal string) for the JSON output: a number when the float
 * prints back as the same decimal, else the exact string — never a float's rounding of it
 * (a stock of -1000000000000000000001 printed as -1.000000000000001e+21).
 */
export function qtyOut(text: string | null): number | string {
  const exact = new Dec(text || '0');
  const n = exact.toNumber();
  return new Dec(n).equals(exact) && Number.isFinite(n) && Math.abs(n) < 1e15 ? n : exact.toFixed();
}

/** Bin actual − reserved − what this till sold and ERPNext has not counted yet. */
function stockOf(db: Db, warehouse: string, row: ItemRow): Detail['stock'] {
  const st = new Lookup(db).stock(row.item_code, warehouse);
  if (st.stock_qty !== null) {
    return {
      warehouse,
      actual_qty: qtyOut(st.actual_qty),
      reserved_qty: qtyOut(st.reserved_qty),
      unsynced_sales_qty: qtyOut(st.pending_qty),
      available: qtyOut(st.stock_qty),
    };
  }
  return row.is_stock_item
    ? { warehouse, actual_qty: 0, reserved_qty: 0, unsynced_sales_qty: 0, available: 0 }
    : null;
}
