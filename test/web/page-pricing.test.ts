import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteSchema, type Quote } from '../../web/src/api/schemas.js';
import type { Cart } from '../../web/src/cart.js';
import { PriceBook, contextSchema, scanSchema } from '../../web/src/pricing/book.js';
import { pagePrice } from '../../web/src/pricing/price.js';
import { reconcile } from '../../web/src/pricing/reconcile.js';
import { makeTemplate, query } from '../pos/till-fixture.js';
import { serve, type Served } from '../server/node-fixture.js';

/*
 * The screen's price of a cart (the core engine in the page, on the records the node's routes
 * give it) against the node's own (POST /api/cart/price), on a store pulled from the simulator
 * with its pricing rules, taxes and loyalty program.
 */

let s: Served;
let session: string;

beforeAll(async () => {
  const template = await makeTemplate();
  s = await serve(template.copy());
  session = await s.login();
}, 180_000);

afterAll(async () => {
  await s.close();
});

async function json(method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await s.api(method, path, { session, ...(body !== undefined ? { body } : {}) });
  expect(r.status, `${method} ${path}`).toBe(200);
  return r.json();
}

const bookFor = async (cart: Cart) =>
  new PriceBook(
    contextSchema.parse(
      await json('POST', '/api/pricing/context', {
        ...(cart.customer ? { customer: cart.customer.name } : {}),
        item_codes: cart.lines.flatMap((l) => (l.item_code ? [l.item_code] : [])),
      }),
    ),
    cart.customer?.name,
  );

/**
 * The node's price of the cart, on the fields the page prices: what the node adds beside it
 * (`amount_due`, the customer's `loyalty`; test/server/price-loyalty.test.ts) is its own.
 */
const nodePrice = async (cart: Cart): Promise<Quote> => {
  const {
    amount_due: due,
    loyalty,
    ...priced
  } = quoteSchema.parse(
    await json('POST', '/api/cart/price', {
      ...(cart.customer ? { customer: cart.customer.name } : {}),
      items: cart.lines.map((l) => ({
        item_code: l.item_code,
        qty: l.qty,
        ...(l.rate ? { rate: l.rate } : {}),
      })),
    }),
  );
  // Nothing redeemed: the customer pays the rounded total.
  expect([Number(due), loyalty === undefined]).toEqual([priced.rounded_total, false]);
  return priced;
};

/** The items the store's Pricing Rules name by code, then the catalog's first ones. */
function cartOf(n: number, qty: (i: number) => string): Cart {
  const named = query<{ code: string }>(
    s.dir,
    `SELECT DISTINCT json_extract(r.value, '$.item_code') AS code FROM doc d, json_each(d.data, '$.items') r
     WHERE d.doctype = 'Pricing Rule' AND json_extract(r.value, '$.item_code') IS NOT NULL ORDER BY code`,
  ).map((r) => r.code);
  const first = query<{ item_code: string }>(
    s.dir,
    'SELECT item_code FROM item ORDER BY item_code LIMIT ?',
    n,
  ).map((r) => r.item_code);
  const codes = [...new Set([...named, ...first])].slice(0, n);
  return {
    lines: codes.map((item_code, i) => ({
      id: i + 1,
      item_code,
      item_name: item_code,
      qty: qty(i),
    })),
    next: codes.length + 1,
  };
}

const free = (q: Quote) => q.items.filter((r) => r.is_free_item === 1).length;
const rulesApplied = (q: Quote) => q.items.filter((r) => r.pricing_rules !== '').length;

describe("the page's price of a cart is the node's", () => {
  it('101 lines under the pricing rules, walk-in customer', async () => {
    const cart = cartOf(101, (i) => String((i % 7) + 1));
    const page = pagePrice(await bookFor(cart), cart);
    const node = await nodePrice(cart);
    expect(page).toEqual(node);
    // The rules the simulator seeds: discounts on some lines, and free items added after theirs.
    expect([node.items.length, free(node), rulesApplied(node), node.grand_total]).toEqual([
      103, 2, 26, 2509.67,
    ]);
  });

  it('a customer in the loyalty program, a price set by the cashier, quantities that reach the rules', async () => {
    const [customer] = query<{ name: string; customer_name: string }>(
      s.dir,
      "SELECT name, json_extract(data, '$.customer_name') AS customer_name FROM doc WHERE doctype = 'Customer' AND json_extract(data, '$.loyalty_program') IS NOT NULL ORDER BY name LIMIT 1",
    );
    expect(customer).toBeDefined();
    const base = cartOf(30, (i) => String(i % 3 === 0 ? 12 : 2));
    const cart: Cart = {
      ...base,
      lines: base.lines.map((l, i) => (i === 4 ? { ...l, rate: '1.50' } : l)),
      ...(customer ? { customer } : {}),
    };
    const page = pagePrice(await bookFor(cart), cart);
    const node = await nodePrice(cart);
    expect(page).toEqual(node);
    expect(node.customer).toBe(customer?.name);
    expect([node.items[4]?.rate, free(node), rulesApplied(node), node.grand_total]).toEqual([
      1.21, 2, 14, 1266.87,
    ]);
  });

  it('a cart scanned line by line, edited and cut on one book: every price the node’s, the lines priced before reused', async () => {
    const full = cartOf(40, (i) => String((i % 4) + 1));
    const book = await bookFor(full);
    const steps: Cart[] = full.lines.map((_, n) => ({
      ...full,
      lines: full.lines.slice(0, n + 1),
    }));
    // A quantity raised past the rules' thresholds, a line removed from the middle, the first one.
    const edited = full.lines.map((l, i) => (i === 7 ? { ...l, qty: '12' } : l));
    steps.push({ ...full, lines: edited });
    steps.push({ ...full, lines: edited.filter((_, i) => i !== 20) });
    steps.push({ ...full, lines: edited.filter((_, i) => i !== 20 && i !== 0) });
    for (const cart of steps) {
      expect(pagePrice(book, cart), `${cart.lines.length} lines`).toEqual(await nodePrice(cart));
    }
    // Each step priced most of its lines before: far more lines reused than priced afresh.
    expect(book.lines.taken).toBeGreaterThan(700);
  });

  it('a scanned item joins the book from its one request, and the page prices it at once', async () => {
    const cart = cartOf(20, () => '1');
    const book = await bookFor(cart);
    const [row] = query<{ item_code: string; barcode: string }>(
      s.dir,
      `SELECT item_code, min(barcode) AS barcode FROM item_barcode WHERE uom = stock_uom
       AND barcode NOT GLOB '2[0-9]*' AND item_code NOT IN (${cart.lines.map(() => '?').join(',')})
       GROUP BY item_code ORDER BY item_code LIMIT 1`,
      ...cart.lines.map((l) => l.item_code),
    );
    const scan = scanSchema.parse(await json('GET', `/api/pricing/scan?barcode=${row?.barcode}`));
    expect(scan.items[0]?.item_code).toBe(row?.item_code);
    const more: Cart = {
      lines: [...cart.lines, { id: 99, item_code: row?.item_code ?? '', item_name: '', qty: '1' }],
      next: 100,
    };
    expect(pagePrice(book, more)).toBeNull(); // not in the book yet: the node prices it
    expect(book.add(scan.snapshot_version, scan.records)).toBe(true);
    expect(pagePrice(book, more)).toEqual(await nodePrice(more));
  });
});

describe("when the node's price differs from the page's", () => {
  it("shows the node's, logs what differed, and the node names the newer snapshot", async () => {
    const cart = cartOf(3, () => '1');
    const code = cart.lines[0]?.item_code ?? '';
    const book = await bookFor(cart);
    const page = pagePrice(book, cart);
    expect(page).not.toBeNull();
    // A pull lands between the page's read and the node's price: the item's price went up by 1.
    const db = new Database(join(s.dir, 'store.db'));
    try {
      db.transaction(() => {
        db.prepare(
          'UPDATE item_price SET price_list_rate = price_list_rate + 1 WHERE item_code = ?',
        ).run(code);
        db.prepare(
          "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'snapshot_version'",
        ).run();
      })();
    } finally {
      db.close();
    }
    const answer = (await json('POST', '/api/cart/price', {
      items: cart.lines.map((l) => ({ item_code: l.item_code, qty: l.qty })),
    })) as { snapshot_version: number };
    expect(answer.snapshot_version).toBe(book.snapshot + 1);
    const node = quoteSchema.parse(answer);
    const logged: string[][] = [];
    const shown = reconcile(page, node, (_m, d) => logged.push(d));
    expect(shown).toEqual({ quote: node, differed: true });
    expect(logged.length).toBe(1);
    const rate = (q: Quote | null) => q?.items[0]?.price_list_rate;
    expect(rate(node)).toBe((rate(page) ?? 0) + 1);
    expect(logged[0]).toContain(
      `items.0.price_list_rate: ${JSON.stringify(rate(page))} → ${JSON.stringify(rate(node))}`,
    );
    // The same cart priced again on the book read anew is the node's again (on the fields
    // the page prices).
    expect(pagePrice(await bookFor(cart), cart)).toEqual(await nodePrice(cart));
  });

  it('a page price equal to the node’s is shown as the node’s and nothing is logged', () => {
    const logged: string[][] = [];
    const q = quoteSchema.parse({
      currency: 'EUR',
      customer: 'c',
      customer_name: 'C',
      total_qty: 1,
      total: 2,
      net_total: 2,
      total_taxes_and_charges: 0,
      discount_amount: 0,
      grand_total: 2,
      rounding_adjustment: 0,
      rounded_total: 2,
      paid_amount: 2,
      change_amount: 0,
      items: [],
      taxes: [],
      payments: [],
    });
    expect(reconcile({ ...q }, q, (_m, d) => logged.push(d))).toEqual({
      quote: q,
      differed: false,
    });
    expect(logged).toEqual([]);
  });
});
