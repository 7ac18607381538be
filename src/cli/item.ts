import { asText, Dec, quote, toErpnextJson, QuoteError } from '../core/index.js';
import { Lookup, type ItemRow } from '../store/lookup.js';
import { StoreMaster } from '../store/master.js';
import type { Db } from '../store/db.js';
import { flags, required, UsageError } from './args.js';
import { openContext } from './store-context.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost item --data DIR (--barcode CODE | --code CODE | --search TEXT) [--json]

Looks an item up in the store's local copy (works offline): by barcode (exact, or a GS1
variable-measure EAN-13 with prefix 20–29 carrying a weight or a price), by item code, or by
search-as-you-type over code, name and barcode. Shows the UOM, the quantity a weighed barcode
carries, the price for the POS Profile (with pricing rules), and the stock of the profile's
warehouse.
`;

interface Detail {
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

export const itemCommand: Command = {
  name: 'item',
  summary: 'look up an item by barcode, code or search (offline)',
  help,
  run(argv: readonly string[], io: Io): Promise<number> {
    return Promise.resolve(lookupItem(argv, io));
  },
};

function lookupItem(argv: readonly string[], io: Io): number {
  {
    const { values } = flags(argv, {
      data: { type: 'string' },
      barcode: { type: 'string' },
      code: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const given = [values.barcode, values.code, values.search].filter(
      (v) => v !== undefined,
    ).length;
    if (given !== 1) throw new UsageError('give exactly one of --barcode, --code or --search');
    const ctx = openContext(dir);
    try {
      const lookup = new Lookup(ctx.db);
      const profile = profileOf(ctx.db, ctx.config.pos_profile);
      let result: Detail | Detail[] | null;
      if (values.search !== undefined) {
        result = lookup
          .search(values.search)
          .map((row) => detail(ctx.db, profile, row, row.stock_uom, new Dec(1)));
      } else if (values.code !== undefined) {
        const row = lookup.byCode(values.code);
        result = row ? detail(ctx.db, profile, row, row.stock_uom, new Dec(1)) : null;
      } else {
        let hit;
        try {
          hit = lookup.scan(values.barcode ?? '');
        } catch (e) {
          throw new UsageError(`--barcode: ${(e as Error).message}`);
        }
        result = hit
          ? {
              ...detail(
                ctx.db,
                profile,
                hit.item,
                hit.uom || hit.item.stock_uom,
                hit.qty ?? new Dec(1),
              ),
              scan: hit.scan,
              ...(hit.rule ? { barcode_rule: hit.rule } : {}),
              ...(hit.amount ? { barcode_amount: hit.amount.toNumber() } : {}),
            }
          : null;
      }
      if (result === null || (Array.isArray(result) && result.length === 0)) {
        io.stderr('outpost item: not found\n');
        if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
        return 1;
      }
      io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : human(result));
      return 0;
    } finally {
      ctx.db.close();
    }
  }
}

interface Profile {
  name: string;
  warehouse: string;
  customer: string;
  mode: string;
}

function profileOf(db: Db, name: string): Profile {
  const data = db
    .prepare("SELECT data FROM doc WHERE doctype = 'POS Profile' AND name = ?")
    .pluck()
    .get(name) as string | undefined;
  if (!data)
    throw new UsageError(`the store has no POS Profile ${name}: run \`outpost sync --pull\``);
  const p = JSON.parse(data) as Record<string, unknown>;
  const payments = Array.isArray(p['payments']) ? (p['payments'] as Record<string, unknown>[]) : [];
  const mode = payments.find((r) => r['default'] === 1) ?? payments[0];
  return {
    name,
    warehouse: asText(p['warehouse']),
    customer: asText(p['customer']),
    mode: asText(mode?.['mode_of_payment']) || 'Cash',
  };
}

function detail(db: Db, profile: Profile, row: ItemRow, uom: string, qty: Dec): Detail {
  let price: Detail['price'];
  const customer = profile.customer || firstCustomer(db);
  try {
    const { master, snapshot } = new StoreMaster(db).forCart([row.item_code], customer);
    const q = quote(master, {
      customer,
      pos_profile: profile.name,
      posting_date: new Date().toISOString().slice(0, 10),
      items: [{ item_code: row.item_code, qty: qty.toNumber(), uom }],
      payments: [{ mode_of_payment: profile.mode, amount: 0 }],
    });
    const line = (toErpnextJson(q)['items'] as Record<string, unknown>[])[0] ?? {};
    price = {
      customer,
      snapshot,
      price_list: q.doc.selling_price_list,
      price_list_rate: line['price_list_rate'],
      discount_percentage: line['discount_percentage'],
      rate: line['rate'],
      amount: line['amount'],
      pricing_rules: line['pricing_rules'],
    };
  } catch (e) {
    price = { error: e instanceof QuoteError ? `${e.kind}: ${e.message}` : (e as Error).message };
  }
  // Bin actual − reserved − what this till sold and ERPNext has not counted yet.
  const st = new Lookup(db).stock(row.item_code, profile.warehouse);
  const stock =
    st.stock_qty !== null
      ? {
          warehouse: profile.warehouse,
          actual_qty: Number(st.actual_qty ?? 0),
          reserved_qty: Number(st.reserved_qty ?? 0),
          unsynced_sales_qty: Number(st.pending_qty ?? 0),
          available: Number(st.stock_qty),
        }
      : row.is_stock_item
        ? {
            warehouse: profile.warehouse,
            actual_qty: 0,
            reserved_qty: 0,
            unsynced_sales_qty: 0,
            available: 0,
          }
        : null;
  return {
    item_code: row.item_code,
    item_name: row.item_name,
    item_group: row.item_group,
    uom,
    qty: qty.toNumber(),
    price,
    stock,
  };
}

function firstCustomer(db: Db): string {
  return (
    (db
      .prepare('SELECT name FROM customer WHERE disabled = 0 ORDER BY name LIMIT 1')
      .pluck()
      .get() as string | undefined) ?? ''
  );
}

function human(result: Detail | Detail[]): string {
  const one = (d: Detail): string => {
    const p =
      'error' in d.price
        ? `price: ${asText(d.price['error'])}`
        : `price ${String(d.price['rate'])} (list ${String(d.price['price_list_rate'])}, ${String(d.price['price_list'])})`;
    const s = d.stock
      ? `stock ${String(d.stock['available'])} in ${String(d.stock['warehouse'])}`
      : 'not stocked';
    return `${d.item_code}  ${d.item_name}  ${d.qty} ${d.uom}  ${p}  ${s}${d.scan ? `  scan ${d.scan}` : ''}`;
  };
  return `${(Array.isArray(result) ? result : [result]).map(one).join('\n')}\n`;
}
