import { expect } from 'vitest';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { cli, query } from '../pos/till-fixture.js';
import type { OfflineDay } from './offline.js';
import { listAll, type Site } from './site.js';
import { bins, fullDoc, itemRows, payments, pushedByUuid, signed } from './verify.js';

/**
 * What both scenarios assert once the push is done, whatever it went through: each document
 * exactly once, as signed, as printed; stock; loyalty; HQ's audit. Each check names the uuid,
 * invoice or item it is about, so a failure says which.
 */

type Json = Record<string, unknown>;

/** The uuids of every document the day must have delivered, sorted. */
export const expectedUuids = (s: OfflineDay): string[] =>
  s.day.documents.map((d) => String(d['uuid'])).sort();

/**
 * Nothing left to push; per uuid exactly one document in ERPNext, submitted (the void's sale
 * cancelled), none unknown; the shift's opening and closing (pos_invoice) and each customer
 * created offline exactly once. Returns the documents by uuid.
 */
export async function expectEachOnce(
  site: Site,
  mode: PostingMode,
  s: OfflineDay,
): Promise<Map<string, Json[]>> {
  const review = await cli(['review', '--data', s.dir, '--json']);
  expect(
    query(s.dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'"),
    review.out,
  ).toEqual([{ n: 0 }]);
  const expected = expectedUuids(s);
  const byUuid = await pushedByUuid(site, mode, expected);
  expect([...byUuid.keys()].sort()).toEqual(expected);
  const voided = String(s.day.sales.at(-1)?.['uuid']);
  for (const uuid of expected) {
    const docs = byUuid.get(uuid) ?? [];
    expect([uuid, docs.map((d) => d['docstatus'])]).toEqual([uuid, [uuid === voided ? 2 : 1]]);
  }
  // The shift's opening and closing: once each in pos_invoice mode, not at all in sales_invoice
  // mode. On a shared real site only this store's shift: earlier runs have closed theirs there.
  const shifts = query<{ uuid: string }>(s.dir, 'SELECT uuid FROM shift').map((r) => r.uuid);
  const filter = site.remote
    ? ['outpost_shift_uuid', 'in', shifts]
    : ['outpost_shift_uuid', 'is', 'set'];
  for (const doctype of ['POS Opening Entry', 'POS Closing Entry']) {
    const rows = await listAll(site, doctype, [filter], ['docstatus', 'status']);
    const want = mode === 'pos_invoice' ? [{ docstatus: 1, status: expectStatus(doctype) }] : [];
    expect([doctype, rows]).toEqual([doctype, want]);
  }
  // In sales_invoice mode the Z's chain anchor reaches ERPNext as one Outpost Shift Anchor.
  const anchors = await listAll(
    site,
    'Outpost Shift Anchor',
    [site.remote ? ['shift_uuid', 'in', shifts] : ['shift_uuid', 'is', 'set']],
    ['shift_uuid'],
  );
  expect(anchors.map((a) => a['shift_uuid'])).toEqual(mode === 'sales_invoice' ? shifts : []);
  for (const c of s.day.customers) {
    const rows = await listAll(site, 'Customer', [['outpost_customer_uuid', '=', c['uuid']]]);
    expect([c['customer_name'], rows.length]).toEqual([c['customer_name'], 1]);
  }
  return byUuid;
}

const expectStatus = (doctype: string) =>
  doctype === 'POS Closing Entry' ? 'Submitted' : 'Closed';

/**
 * Each document's grand, rounded and paid totals, payments and item rows equal its signed
 * journal record, and its grand total the receipt as printed; no sale was re-priced by the
 * push; the raised prices reached no sale.
 */
export async function expectAsSigned(
  site: Site,
  mode: PostingMode,
  s: OfflineDay,
  byUuid: ReadonlyMap<string, Json[]>,
): Promise<void> {
  const receipts = new Map(s.day.documents.map((d) => [String(d['uuid']), d]));
  for (const uuid of expectedUuids(s)) {
    const doc = (byUuid.get(uuid) ?? [])[0] as Json;
    const sig = signed(s.dir, uuid);
    const full = await fullDoc(site, mode, doc['name']);
    expect([uuid, full['grand_total'], full['rounded_total'], full['paid_amount']]).toEqual([
      uuid,
      sig['grand_total'],
      sig['rounded_total'],
      sig['paid_amount'],
    ]);
    expect([uuid, payments(full)]).toEqual([uuid, payments(sig)]);
    expect([uuid, itemRows(full)]).toEqual([uuid, itemRows(sig)]);
    const printed = receipts.get(uuid) as Json;
    expect([uuid, full['grand_total']]).toEqual([uuid, Number(printed['grand_total'])]);
  }
  expect(query(s.dir, 'SELECT count(*) AS n FROM push_conflict')).toEqual([{ n: 0 }]);
  for (const code of s.changed) {
    const was = s.prices.before.get(code) ?? new Set<number>();
    const now = s.prices.after.get(code) ?? new Set<number>();
    expect([...was].filter((p) => now.has(p))).toEqual([]);
    const rows = s.day.documents.flatMap((d) =>
      itemRows(signed(s.dir, d['uuid'])).filter((r) => r[0] === code && r[2] !== 0),
    );
    expect([code, rows.length > 0]).toEqual([code, true]);
    expect(rows.filter((r) => !was.has(Number(r[2])))).toEqual([]);
  }
}

/** Each Bin fell by exactly what left the shelf (in pos_invoice mode, posted by the closing). */
export async function expectStock(site: Site, s: OfflineDay): Promise<void> {
  const after = await bins(site, s.catalog.pool, s.catalog.warehouse);
  for (const code of s.catalog.pool) {
    const gone = s.day.moved.get(code) ?? 0;
    expect([code, after.get(code)]).toEqual([code, (s.before.get(code) ?? 0) - gone]);
  }
}

/**
 * Per document of the member, ERPNext's earned entry and its redemption entries equal the
 * receipt's points; a return takes its points off the original's entry, as ERPNext recomputes
 * it (loyalty_point_entry.py, on the return's submit).
 */
export async function expectLoyalty(
  site: Site,
  s: OfflineDay,
  byUuid: ReadonlyMap<string, Json[]>,
): Promise<void> {
  const { day, catalog } = s;
  const entries = await listAll(
    site,
    'Loyalty Point Entry',
    [['customer', '=', catalog.member]],
    ['loyalty_points', 'invoice', 'redeem_against'],
  );
  const reversed = new Map<string, number>();
  for (const r of [...day.returns, day.exchange.return]) {
    const against = day.sales.find((x) => x['invoice_no'] === r['return_against']);
    const n = Number(r['loyalty_points_reversed'] ?? 0);
    if (against) reversed.set(String(against['uuid']), n);
  }
  expect([...reversed.values()].some((n) => n > 0)).toBe(true);
  const want: unknown[][] = [];
  const have: unknown[][] = [];
  for (const d of day.documents.filter((x) => x['customer'] === catalog.member)) {
    const name = (byUuid.get(String(d['uuid'])) ?? [])[0]?.['name'];
    const mine = entries.filter((e) => e['invoice'] === name);
    const earned = Number(d['loyalty_points_earned']) - (reversed.get(String(d['uuid'])) ?? 0);
    want.push([d['invoice_no'], earned, 0 - Number(d['loyalty_points_redeemed'])]);
    const sum = (xs: Json[]) => xs.reduce((t, e) => t + Number(e['loyalty_points']), 0);
    have.push([
      d['invoice_no'],
      sum(mine.filter((e) => !e['redeem_against'])),
      sum(mine.filter((e) => e['redeem_against'])),
    ]);
  }
  expect(have).toEqual(want);
  expect(want.filter((w) => w[2] !== 0)).toHaveLength(3);
}

/** `outpost audit` as HQ runs it, against ERPNext alone: exit code and JSON report. */
export async function audit(site: Site): Promise<{ code: number; report: Json }> {
  const r = await cli([
    'audit',
    '--erpnext',
    site.url,
    '--api-key',
    site.key,
    '--api-secret',
    site.secret,
    '--json',
  ]);
  return { code: r.code, report: JSON.parse(r.out) as Json };
}

/**
 * HQ's audit finds every sale as signed; on the simulator (a shared real site holds other
 * runs' invoices and keys) it checked exactly this day's documents, closing and key.
 */
export async function expectAuditPasses(
  site: Site,
  mode: PostingMode,
  s: OfflineDay,
): Promise<void> {
  const clean = await audit(site);
  expect(clean.code, JSON.stringify(clean.report)).toBe(0);
  if (!site.remote) {
    expect(clean.report['checked']).toEqual({
      invoices: s.day.documents.length,
      // pos_invoice: the POS Closing Entry; sales_invoice: the Outpost Shift Anchor.
      closings: 1,
      keys: 1,
    });
  }
}
