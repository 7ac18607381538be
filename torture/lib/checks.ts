import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Dec, parseJsonWith } from '../../src/core/index.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import type { Acked } from './load-generator.js';
import type { Json, Site } from './site.js';
import { cli } from './store.js';

/**
 * The promises every part of issue 14's parts 1–3 checks at the end, against the store's
 * SQLite file and ERPNext: nothing acknowledged is lost, every chain verifies, numbers are
 * gapless, and ERPNext holds each signed sale exactly once with its totals, payments, stock and
 * loyalty as signed. Sums are Decimal (never a float that is kept or compared).
 */

/** The doctype a sale becomes in each posting mode and its unique uuid custom field. */
export const SALE = {
  pos_invoice: { doctype: 'POS Invoice', uuid: 'outpost_uuid' },
  sales_invoice: { doctype: 'Sales Invoice', uuid: 'outpost_si_uuid' },
} as const satisfies Record<PostingMode, { doctype: string; uuid: string }>;

const signedSchema = z.object({
  invoice: z.looseObject({
    customer: z.string(),
    grand_total: z.number(),
    rounded_total: z.number(),
    paid_amount: z.number(),
    /** Points redeemed (ERPNext's field); what the sale earned is loyalty_points_earned. */
    loyalty_points: z.number().optional(),
    loyalty_points_earned: z.object({ loyalty_points: z.number() }).nullable().optional(),
    items: z.array(z.looseObject({ item_code: z.string(), stock_qty: z.number() })),
    payments: z.array(z.object({ mode_of_payment: z.string(), amount: z.number() })),
  }),
});
type Signed = z.output<typeof signedSchema>['invoice'];

export interface JournalSale {
  readonly uuid: string;
  readonly invoice_no: string;
  readonly terminal: string;
  readonly invoice: Signed;
}

/** Every sale (not training) the journal signed, read from the SQLite file. */
export function journalSales(dir: string): JournalSale[] {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT uuid, invoice_no, terminal, body FROM journal WHERE type = 'sale' ORDER BY seq",
      )
      .all() as { uuid: string; invoice_no: string; terminal: string; body: string }[];
    return rows.map((r) => ({
      uuid: r.uuid,
      invoice_no: r.invoice_no,
      terminal: r.terminal,
      invoice: parseJsonWith(signedSchema, r.body, `journal ${r.uuid}`).invoice,
    }));
  } finally {
    db.close();
  }
}

function storeQuery<T>(dir: string, sql: string): T[] {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

export interface Verdict {
  readonly figures: Record<string, number | string>;
  readonly failures: string[];
}

/** Local promises: acknowledged sales kept, chains verify, numbers gapless. */
export async function checkLocal(dir: string, acked: ReadonlyMap<string, Acked>): Promise<Verdict> {
  const failures: string[] = [];
  const sales = journalSales(dir);
  const byUuid = new Map(sales.map((s) => [s.uuid, s]));
  const lost = [...acked.values()].filter((a) => byUuid.get(a.uuid)?.invoice_no !== a.invoice_no);
  if (lost.length > 0)
    failures.push(
      `${lost.length} acknowledged sale(s) not in the journal: ${lost
        .slice(0, 5)
        .map((a) => a.invoice_no)
        .join(', ')}`,
    );
  const verify = await cli(['verify', '--data', dir]);
  if (verify.code !== 0)
    failures.push(`outpost verify exited ${verify.code}: ${verify.out.slice(0, 2000)}`);
  // Every numbered record (sales, returns) per series: 1..N with no hole, N = the counter.
  const numbered = storeQuery<{ invoice_no: string }>(
    dir,
    'SELECT invoice_no FROM journal WHERE invoice_no IS NOT NULL',
  );
  const series = new Map<string, number[]>();
  for (const { invoice_no } of numbered) {
    const prefix = invoice_no.slice(0, -6);
    series.set(prefix, [...(series.get(prefix) ?? []), Number(invoice_no.slice(-6))]);
  }
  const counters = new Map(
    storeQuery<{ prefix: string; last_no: number }>(
      dir,
      'SELECT prefix, last_no FROM invoice_series',
    ).map((r) => [r.prefix, r.last_no]),
  );
  let gaps = 0;
  for (const [prefix, nos] of series) {
    nos.sort((a, b) => a - b);
    const holes = nos.filter((n, i) => n !== i + 1).length;
    if (holes > 0 || counters.get(prefix) !== nos.length) {
      gaps += 1;
      failures.push(
        `series ${prefix}: ${nos.length} numbers, counter ${counters.get(prefix)}, ${holes} out of place`,
      );
    }
  }
  return {
    figures: {
      'sales in the journal': sales.length,
      'acknowledged sales lost': lost.length,
      'series (gapless)': series.size - gaps,
      'chains verified': verify.code === 0 ? 'all' : 'FAILED',
    },
    failures,
  };
}

/** An ERPNext number (JSON number or decimal string) as a Decimal, via its shortest text. */
const dec = (v: unknown): Dec =>
  new Dec(typeof v === 'number' || typeof v === 'string' ? String(v) : 0);

/**
 * ERPNext's side after the final sync: the outbox drained; each journal sale exactly once,
 * submitted, its totals and payments as signed; per mode, per item and in loyalty points the
 * sums equal the journal's exactly. `stockBefore`: the Bins of the sold items before the run.
 */
export async function checkErpnext(
  site: Site,
  dir: string,
  mode: PostingMode,
  o: { warehouse: string; member: string; stockBefore: ReadonlyMap<string, Dec> },
): Promise<Verdict> {
  const failures: string[] = [];
  const left = storeQuery<{ state: string; n: number }>(
    dir,
    "SELECT state, count(*) AS n FROM push_job WHERE state != 'done' GROUP BY state",
  );
  if (left.length > 0) failures.push(`push not drained: ${JSON.stringify(left)}`);
  const sales = journalSales(dir);
  const { doctype, uuid } = SALE[mode];
  const uuids = sales.map((s) => s.uuid);
  const rows = await site.list(
    doctype,
    [site.remote ? [uuid, 'in', uuids] : [uuid, 'is', 'set']],
    ['name', uuid, 'docstatus', 'grand_total', 'rounded_total', 'paid_amount'],
  );
  const docs = new Map<string, Json[]>();
  for (const r of rows) docs.set(String(r[uuid]), [...(docs.get(String(r[uuid])) ?? []), r]);
  const journal = new Set(uuids);
  const missing = sales.filter((s) => (docs.get(s.uuid) ?? []).length === 0);
  const doubled = [...docs.entries()].filter(([, d]) => d.length > 1);
  const strangers = [...docs.keys()].filter((u) => !journal.has(u));
  if (missing.length > 0)
    failures.push(
      `${missing.length} journal sale(s) not in ERPNext: ${missing
        .slice(0, 5)
        .map((s) => s.invoice_no)
        .join(', ')}`,
    );
  if (doubled.length > 0)
    failures.push(
      `${doubled.length} sale(s) in ERPNext more than once: ${doubled
        .slice(0, 5)
        .map(([u, d]) => `${u} ×${d.length}`)
        .join(', ')}`,
    );
  if (strangers.length > 0)
    failures.push(`${strangers.length} ERPNext document(s) with an uuid the journal lacks`);
  let mismatched = 0;
  const names = new Set<string>();
  for (const s of sales) {
    const d = docs.get(s.uuid)?.[0];
    if (!d) continue;
    names.add(String(d['name']));
    const want = [1, s.invoice.grand_total, s.invoice.rounded_total, s.invoice.paid_amount];
    const have = [d['docstatus'], d['grand_total'], d['rounded_total'], d['paid_amount']];
    if (want.some((w, i) => !dec(w).eq(dec(have[i])))) {
      mismatched += 1;
      if (mismatched <= 5)
        failures.push(
          `${s.invoice_no}: ERPNext [docstatus, grand, rounded, paid] ${JSON.stringify(have)}, signed ${JSON.stringify(want)}`,
        );
    }
  }
  // Payments per mode: the child rows of this run's documents, summed exactly.
  const paid = await site.list(
    doctype,
    [site.remote ? [uuid, 'in', uuids] : [uuid, 'is', 'set']],
    ['name', 'payments.mode_of_payment', 'payments.amount'],
  );
  const erpModes = new Map<string, Dec>();
  for (const p of paid) {
    const m = p['mode_of_payment'];
    if (!names.has(String(p['name'])) || typeof m !== 'string') continue;
    erpModes.set(m, (erpModes.get(m) ?? new Dec(0)).plus(dec(p['amount'])));
  }
  const journalModes = new Map<string, Dec>();
  for (const s of sales)
    for (const p of s.invoice.payments)
      journalModes.set(
        p.mode_of_payment,
        (journalModes.get(p.mode_of_payment) ?? new Dec(0)).plus(dec(p.amount)),
      );
  const modeDiff = diff(journalModes, erpModes);
  if (modeDiff.length > 0)
    failures.push(`payments per mode differ (mode, journal, ERPNext): ${JSON.stringify(modeDiff)}`);
  // Stock: each sold item's Bin fell by exactly the stock quantity signed.
  const moved = new Map<string, Dec>();
  for (const s of sales)
    for (const it of s.invoice.items)
      moved.set(it.item_code, (moved.get(it.item_code) ?? new Dec(0)).plus(dec(it.stock_qty)));
  const bins = await site.list(
    'Bin',
    [
      ['item_code', 'in', [...moved.keys()]],
      ['warehouse', '=', o.warehouse],
    ],
    ['item_code', 'actual_qty'],
  );
  const after = new Map(bins.map((b) => [String(b['item_code']), dec(b['actual_qty'])]));
  const wantStock = new Map(
    [...moved].map(([k, q]) => [k, (o.stockBefore.get(k) ?? new Dec(0)).minus(q)]),
  );
  const stockDiff = diff(wantStock, after);
  if (stockDiff.length > 0)
    failures.push(
      `stock per item differs (item, expected, ERPNext): ${JSON.stringify(stockDiff.slice(0, 5))}`,
    );
  // Loyalty: the member's entries on this run's invoices equal the points the receipts earned.
  const entries = await site.list(
    'Loyalty Point Entry',
    [['customer', '=', o.member]],
    ['invoice', 'loyalty_points'],
  );
  let erpPoints = new Dec(0);
  for (const e of entries)
    if (names.has(String(e['invoice']))) erpPoints = erpPoints.plus(dec(e['loyalty_points']));
  let journalPoints = new Dec(0);
  // ERPNext's entries: + earned on the invoice, − redeemed (redeem_against) on the same invoice.
  for (const s of sales) {
    if (s.invoice.customer !== o.member) continue;
    const earned = s.invoice.loyalty_points_earned?.loyalty_points ?? 0;
    journalPoints = journalPoints.plus(earned).minus(s.invoice.loyalty_points ?? 0);
  }
  if (!erpPoints.eq(journalPoints))
    failures.push(
      `loyalty points of ${o.member}: journal ${journalPoints.toString()}, ERPNext ${erpPoints.toString()}`,
    );
  const total = [...journalModes.values()].reduce((a, b) => a.plus(b), new Dec(0));
  return {
    figures: {
      'sales in ERPNext': docs.size,
      'missing in ERPNext': missing.length,
      duplicates: doubled.length,
      'totals not as signed': mismatched,
      'payments (journal = ERPNext)': total.toFixed(2),
      'items whose stock matched': moved.size - stockDiff.length,
      'loyalty points (journal = ERPNext)': journalPoints.toString(),
    },
    failures,
  };
}

function diff(want: ReadonlyMap<string, Dec>, have: ReadonlyMap<string, Dec>): string[][] {
  const keys = new Set([...want.keys(), ...have.keys()]);
  return [...keys]
    .filter((k) => !(want.get(k) ?? new Dec(0)).eq(have.get(k) ?? new Dec(0)))
    .map((k) => [
      k,
      (want.get(k) ?? new Dec(0)).toString(),
      (have.get(k) ?? new Dec(0)).toString(),
    ]);
}

/** The Bins of `items` in `warehouse`, exactly. */
export async function stockOf(
  site: Site,
  items: readonly string[],
  warehouse: string,
): Promise<Map<string, Dec>> {
  const bins = await site.list(
    'Bin',
    [
      ['item_code', 'in', items],
      ['warehouse', '=', warehouse],
    ],
    ['item_code', 'actual_qty'],
  );
  return new Map(bins.map((b) => [String(b['item_code']), dec(b['actual_qty'])]));
}
