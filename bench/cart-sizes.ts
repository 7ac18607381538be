/**
 * Pricing carts of 1, 10, 100 and 300 lines (issue 15), on the demo store bench/cart-price.ts
 * uses (1,000 items, every kind of pricing rule, taxes, loyalty):
 *
 *  - full: the same cart priced again (`priceCart`, the till's path: one store read, the lines
 *    priced once by `priceDraft`, settled twice);
 *  - incremental: one line added to a priced cart, a different item each time (what the screen
 *    asks on each scan: the node prices the whole cart again; no engine path re-prices only the
 *    new line, see docs/BENCHMARKS.md "Pricing and lookup");
 *  - control, in alternate blocks: the path before issue 12 (two whole quotes on two reads of
 *    the store), on the same carts.
 *
 * Every cart's quote is first checked byte for byte against the control's.
 *
 *   node --import tsx bench/cart-sizes.ts [--quick] [--json FILE]
 */
import { openTill } from '../src/cli/till.js';
import { toErpnextJson } from '../src/core/index.js';
import { amountDue } from '../src/pos/payment.js';
import { draftHeader, draftLines, resolveCustomer, runQuote } from '../src/pos/cart.js';
import { priceCart } from '../src/pos/price-cart.js';
import { profileModes } from '../src/pos/modes.js';
import { precision } from '../src/pos/shift.js';
import type { CartLine, Terminal } from '../src/pos/index.js';
import { seededRandom } from '../src/sim/faults.js';
import { benchStore } from './cart-setup.js';
import { jsonArg, ms, report, type Figure } from './figures.js';
import { load1, pct } from './serve-client.js';

const { json, args } = jsonArg(process.argv.slice(2));
const QUICK = args.includes('--quick');
const SIZES: readonly [number, number][] = [
  [1, 400],
  [10, 300],
  [100, 120],
  [300, 50],
];
const BLOCKS = 5;

/** The control: `priceCart` before issue 12, two whole quotes on two reads of the store. */
function fullPriceBefore(term: Terminal, lines: readonly CartLine[]) {
  const profile = term.profile();
  const modes = profileModes(term);
  const places = precision(term);
  const local = term.localTime();
  const customer = resolveCustomer(term, undefined);
  const draft = {
    ...draftHeader(term, { company: profile['company'], customer: customer['name'] }, local),
    items: draftLines(term, lines),
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
  };
  const first = runQuote(term, { ...draft, docstatus: 0 }, local.date).quote;
  const due = amountDue(first);
  const payments = [{ mode: modes.cash ?? modes.default, amount: due.toFixed(places) }];
  return runQuote(
    term,
    {
      ...draft,
      docstatus: 1,
      payments: payments.map((p) => ({ mode_of_payment: p.mode, amount: p.amount })),
    },
    local.date,
  ).quote;
}

const load0 = load1();
const dir = await benchStore(1000);
const till = openTill(dir);
const term = till.term;
const rand = seededRandom(15);
// Items that price on their own (a priced cart of one line each), in a fixed order.
const catalog = (
  term.db
    .prepare("SELECT name FROM doc WHERE doctype = 'Item' ORDER BY name")
    .pluck()
    .all() as string[]
).filter((code) => {
  try {
    priceCart(term, { lines: [{ item_code: code, qty: '1' }] });
    return true;
  } catch {
    return false;
  }
});
const line = (code: string): CartLine => ({
  item_code: code,
  qty: String(1 + Math.floor(rand() * 3)),
});
const pickCode = (): string => catalog[Math.floor(rand() * catalog.length)] ?? '';

const figures: Figure[] = [];
for (const [size, fullSamples] of SIZES) {
  const samples = QUICK ? Math.max(BLOCKS, Math.floor(fullSamples / 10)) : fullSamples;
  const cart = Array.from({ length: size }, () => line(pickCode()));
  // One new line per incremental sample, priced on top of the cart.
  const added = Array.from({ length: samples }, () => [...cart, line(pickCode())]);
  for (const c of [cart, added[0] ?? cart]) {
    const a = JSON.stringify(toErpnextJson(fullPriceBefore(term, c)));
    const b = JSON.stringify(toErpnextJson(priceCart(term, { lines: c }).quote));
    if (a !== b) throw new Error(`${size} lines: the two paths disagree; not timing them`);
  }
  for (let i = 0; i < 20; i++) {
    priceCart(term, { lines: cart });
    fullPriceBefore(term, cart);
  }
  const t = {
    full: [] as number[],
    inc: [] as number[],
    cFull: [] as number[],
    cInc: [] as number[],
  };
  const time = (into: number[], run: () => unknown): void => {
    const t0 = performance.now();
    run();
    into.push(performance.now() - t0);
  };
  const per = samples / BLOCKS;
  for (let b = 0; b < BLOCKS; b++) {
    for (let i = b * per; i < (b + 1) * per; i++) {
      time(t.full, () => priceCart(term, { lines: cart }));
      time(t.inc, () => priceCart(term, { lines: added[i] ?? cart }));
    }
    for (let i = b * per; i < (b + 1) * per; i++) {
      time(t.cFull, () => fullPriceBefore(term, cart));
      time(t.cInc, () => fullPriceBefore(term, added[i] ?? cart));
    }
  }
  const p = (xs: number[]) => `${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.99))}`;
  const ratio = (a: number[], c: number[]) =>
    `${(pct(c, 0.5) / pct(a, 0.5)).toFixed(1)}× faster (p50)`;
  const goal100 = size === 100;
  figures.push({
    figure: `cart of ${size} line${size > 1 ? 's' : ''}, priced again (full) p50 / p99`,
    measured: p(t.full),
    control: `${p(t.cFull)} (before issue 12)`,
    ratio: ratio(t.full, t.cFull),
    goal: goal100 ? 'p95 ≤ 5 ms (issue 12)' : '–',
    ok: goal100 ? pct(t.full, 0.95) <= 5 : null,
  });
  figures.push({
    figure: `cart of ${size} → ${size + 1} lines, one line added (incremental) p50 / p99`,
    measured: p(t.inc),
    control: `${p(t.cInc)} (before issue 12)`,
    ratio: ratio(t.inc, t.cInc),
  });
}
till.close();
report(json, {
  bench: 'cart-sizes',
  figures,
  notes: [
    `samples per size: ${SIZES.map(([s, n]) => `${s}: ${QUICK ? Math.max(BLOCKS, Math.floor(n / 10)) : n}`).join(', ')}; load average ${load0} → ${load1()}`,
  ],
});
