import { z } from 'zod';
import { Dec } from '../core/index.js';
import { draftHeader, resolveCustomer } from '../pos/cart.js';
import { PosError } from '../pos/errors.js';
import { str } from '../pos/fields.js';
import { profileModes } from '../pos/modes.js';
import { precision } from '../pos/shift.js';
import type { Terminal } from '../pos/terminal.js';
import type { ItemRow } from '../store/lookup.js';
import { callerOf } from './context.js';
import { directRoute, route, type Route } from './routing.js';

const text = z.string().min(1, 'required').max(140);

const contextBody = z.strictObject({
  customer: text.optional(),
  /** The items of the cart the screen holds (a reloaded or recalled cart). */
  item_codes: z.array(text).max(1_000).optional(),
});

const scanQuery = z
  .strictObject({ barcode: text.optional(), item_code: text.optional() })
  .refine((q) => (q.barcode === undefined) !== (q.item_code === undefined), {
    message: 'give exactly one of barcode or item_code',
    path: ['barcode'],
  });

/** The per-item doctypes of `StoreMaster.recordsFor`: what a scan adds to the page's book. */
const PER_ITEM = ['Item', 'Item Price', 'Product Bundle'] as const;

/**
 * The draft every cart of this till starts from, as `priceCart` builds it for its first
 * settlement: header, the default mode as a placeholder payment, unsubmitted.
 */
function draftOf(term: Terminal, customer: string | undefined) {
  const profile = term.profile();
  const local = term.localTime();
  const c = resolveCustomer(term, customer);
  return {
    today: local.date,
    customer: str(c['name']),
    draft: {
      ...draftHeader(term, { company: profile['company'], customer: c['name'] }, local),
      payments: [{ mode_of_payment: profileModes(term).default, amount: 0 }],
      docstatus: 0,
    },
  };
}

function scanned(term: Terminal, q: z.output<typeof scanQuery>) {
  const item = (row: ItemRow, uom: string, qty: Dec) => ({
    item_code: row.item_code,
    item_name: row.item_name,
    item_group: row.item_group,
    brand: row.brand,
    stock_uom: row.stock_uom,
    uom,
    qty: qty.toFixed(),
  });
  if (q.item_code !== undefined) {
    const row = term.lookup.byCode(q.item_code);
    if (!row) throw new PosError('NotFound', `no item ${q.item_code}`, 'item_code');
    return item(row, row.stock_uom, new Dec(1));
  }
  const code = q.barcode ?? '';
  let hit;
  try {
    hit = term.lookup.scan(code);
  } catch (e) {
    // A variable-measure code whose check digit is wrong: a misread, never a guess.
    if (e instanceof RangeError)
      throw new PosError('InvalidInput', `barcode: ${e.message}`, 'barcode');
    throw e;
  }
  if (!hit) throw new PosError('NotFound', `no item has barcode ${code}`, 'barcode');
  return {
    ...item(hit.item, hit.uom || hit.item.stock_uom, hit.qty ?? new Dec(1)),
    barcode: hit.scan,
    barcode_rule: hit.rule,
    barcode_amount: hit.amount?.toFixed() ?? null,
  };
}

/**
 * What the cashier's screen prices a cart on in the page, so a scan paints its priced line in
 * the frame its item arrives in: the records the node's own pricing reads (`StoreMaster`), at
 * a snapshot version the node's later price of the same cart names. The node stays the
 * authority: it prices every cart again and the screen shows the node's price when they differ.
 */
export function pricingRoutes(): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/pricing/context',
      summary:
        "What the screen prices a cart on: the till's draft, rules, taxes, settings, the customer and the given items",
      tag: 'Till',
      access: 'session',
      body: contextBody,
      handler: ({ body, caller }) => {
        const { terminal } = callerOf(caller);
        const { today, customer, draft } = draftOf(terminal, body.customer);
        const { input, snapshot } = terminal.master.recordsFor(body.item_codes ?? [], customer);
        return {
          snapshot_version: snapshot,
          today,
          currency_precision: precision(terminal),
          // The tender `priceCart` settles a cart with when no payment is given: exact cash.
          cash_mode: profileModes(terminal).cash ?? profileModes(terminal).default,
          draft,
          records: input,
        };
      },
    }),
    // Asked on every scan: the terminal's socket answers it without Fastify (direct.ts).
    directRoute({
      url: '/api/pricing/scan',
      summary: 'An item by barcode or code with the records the screen prices it on',
      tag: 'Till',
      query: scanQuery,
      handler: ({ query, caller }) => {
        const { terminal } = callerOf(caller);
        const item = scanned(terminal, query);
        const { input, snapshot } = terminal.master.recordsFor([item.item_code], '');
        const records: Record<string, unknown[]> = {};
        for (const dt of PER_ITEM) records[dt] = input[dt] ?? [];
        return { snapshot_version: snapshot, items: [item], records };
      },
    }),
  ];
}
