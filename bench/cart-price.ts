/**
 * Pricing a 100-line cart (issue 12): on a store pulled from the demo simulator (1,000 items, the
 * seed's pricing rules of every kind, taxes, loyalty), one cart of 100 lines — every item a
 * pricing rule names, then random catalog items, random quantities — priced N times by
 *
 *  1. control, the full path as `priceCart` ran it before issue 12: resolve the lines, then two
 *     whole quotes (amount due, then the tender), each reading the store's master data again
 *     (`runQuote`, still what `outpost quote --invoice` uses);
 *  2. `priceCart` as the till runs it now: one read of the store, the lines priced once and
 *     settled twice (`priceDraft` / `PricedDraft.settle`).
 *
 * Both run in interleaved blocks, so each sees the same background load, and the final quotes
 * of both are compared byte for byte (ERPNext JSON) before anything is timed.
 *
 *   node --import tsx bench/cart-price.ts [N=500] [LINES=100]
 */
import { loadavg } from 'node:os';
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

const N = Number(process.argv[2] ?? 500);
const LINES = Number(process.argv[3] ?? 100);
const BLOCKS = 10;

/** Nearest-rank percentile of ms samples. */
function pct(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
}

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

const dir = await benchStore(1000);
const till = openTill(dir);
const term = till.term;
const rand = seededRandom(12);
const ruleItems = [
  ...new Set(
    (
      term.db
        .prepare("SELECT data FROM doc WHERE doctype = 'Pricing Rule'")
        .pluck()
        .all() as string[]
    )
      .flatMap((d) => (JSON.parse(d) as { items?: { item_code: string }[] }).items ?? [])
      .map((r) => r.item_code),
  ),
].sort();
const catalog = term.db
  .prepare("SELECT name FROM doc WHERE doctype = 'Item' ORDER BY name")
  .pluck()
  .all() as string[];
const codes = [...ruleItems];
while (codes.length < LINES) {
  codes.push(catalog[Math.floor(rand() * catalog.length)] ?? '');
}
const lines: CartLine[] = codes.slice(0, LINES).map((item_code) => ({
  item_code,
  qty: String(1 + Math.floor(rand() * 3)),
}));

const before = JSON.stringify(toErpnextJson(fullPriceBefore(term, lines)));
const after = JSON.stringify(toErpnextJson(priceCart(term, { lines }).quote));
if (before !== after) throw new Error('the two paths disagree: not timing them');
const applied = (JSON.parse(after) as { items: { pricing_rules?: string }[] }).items.filter(
  (i) => i.pricing_rules,
).length;

// Warm-up: the JIT, the statements and the store's per-snapshot caches, for both paths.
for (let i = 0; i < 50; i++) {
  fullPriceBefore(term, lines);
  priceCart(term, { lines });
}
const control: number[] = [];
const path: number[] = [];
const load0 = loadavg()[0] ?? 0;
// CPU time of the process (all its threads, the collector's included), per cart and in total:
// what the load of the machine's other work changes least. Wall time includes waiting for a core.
const cpu = { control: 0, path: 0 };
const cpuEach: { control: number[]; path: number[] } = { control: [], path: [] };
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const timed = (run: () => unknown, wall: number[], cpuOf: number[]): void => {
  const u = process.cpuUsage();
  const t = performance.now();
  run();
  wall.push(performance.now() - t);
  cpuOf.push(cpuMs(process.cpuUsage(u)));
};
for (let b = 0; b < BLOCKS; b++) {
  let u = process.cpuUsage();
  for (let i = 0; i < N / BLOCKS; i++) {
    timed(() => fullPriceBefore(term, lines), control, cpuEach.control);
  }
  cpu.control += cpuMs(process.cpuUsage(u));
  u = process.cpuUsage();
  for (let i = 0; i < N / BLOCKS; i++) {
    timed(() => priceCart(term, { lines }), path, cpuEach.path);
  }
  cpu.path += cpuMs(process.cpuUsage(u));
}
const load1 = loadavg()[0] ?? 0;
till.close();

const row = (s: number[], cpuTotal: number, cpuOf: number[]) => ({
  cpu_ms_per_cart: Number((cpuTotal / s.length).toFixed(2)),
  cpu_p50_p95_p99_ms: [0.5, 0.95, 0.99].map((p) => Number(pct(cpuOf, p).toFixed(2))),
  p50_ms: Number(pct(s, 0.5).toFixed(2)),
  p95_ms: Number(pct(s, 0.95).toFixed(2)),
  p99_ms: Number(pct(s, 0.99).toFixed(2)),
});
console.log(
  JSON.stringify(
    {
      lines: LINES,
      invoice_rows: (JSON.parse(after) as { items: unknown[] }).items.length,
      rows_with_pricing_rules: applied,
      samples_each: control.length,
      identical_quotes: true,
      control_full_price_before: row(control, cpu.control, cpuEach.control),
      price_cart_now: row(path, cpu.path, cpuEach.path),
      load_average_before_after: [Number(load0.toFixed(2)), Number(load1.toFixed(2))],
    },
    null,
    2,
  ),
);
