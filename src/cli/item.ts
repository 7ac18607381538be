import { asText, Dec } from '../core/index.js';
import { Lookup } from '../store/lookup.js';
import { flags, required, UsageError } from './args.js';
import { openContext } from './store-context.js';
import { detail, profileOf, type Detail } from './item-detail.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost item --data DIR (--barcode CODE | --code CODE | --search TEXT) [--json]

Looks an item up in the store's local copy (works offline, and on read-only media): by barcode
(exact, or a GS1 variable-measure EAN-13 with prefix 20–29 carrying a weight or a price), by
item code, or by search-as-you-type over code, name and barcode. Shows the UOM, the quantity a
weighed barcode carries, the price for the POS Profile (with pricing rules) on today's date in
the site's time zone, as a sale now would be priced, and the stock of the profile's warehouse.
`;

export const itemCommand: Command = {
  name: 'item',
  summary: 'look up an item by barcode, code or search (offline)',
  help,
  run(argv: readonly string[], io: Io): Promise<number> {
    return Promise.resolve(lookupItem(argv, io, Date.now()));
  },
};

function lookupItem(argv: readonly string[], io: Io, now: number): number {
  const { values } = flags(argv, {
    data: { type: 'string' },
    barcode: { type: 'string' },
    code: { type: 'string' },
    search: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data', 'the store directory');
  const given = [values.barcode, values.code, values.search].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --barcode, --code or --search');
  const { db, config } = openContext(dir, { readonly: true });
  try {
    const lookup = new Lookup(db);
    const profile = profileOf(db, config.pos_profile);
    const one = (row: Parameters<typeof detail>[2], uom: string, qty: Dec) =>
      detail(db, profile, row, uom, qty, now);
    let result: Detail | Detail[] | null;
    if (values.search !== undefined) {
      result = lookup.search(values.search).map((row) => one(row, row.stock_uom, new Dec(1)));
    } else if (values.code !== undefined) {
      const row = lookup.byCode(values.code);
      result = row ? one(row, row.stock_uom, new Dec(1)) : null;
    } else {
      let hit;
      try {
        hit = lookup.scan(values.barcode ?? '');
      } catch (e) {
        throw new UsageError(`--barcode: ${(e as Error).message}`);
      }
      result = hit
        ? {
            ...one(hit.item, hit.uom || hit.item.stock_uom, hit.qty ?? new Dec(1)),
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
    db.close();
  }
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
