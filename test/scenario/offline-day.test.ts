import { afterEach, describe, expect, it } from 'vitest';
import { cli, query } from '../pos/till-fixture.js';
import { sellDay, type Day } from './day.js';
import { listAll, offlineUrl, openSite, type Site } from './site.js';
import { newStore, pointStore } from './store.js';
import { bins, fullDoc, itemRows, payments, pushedByUuid, SALE, signed } from './verify.js';
import { scenarioCatalog } from './catalog.js';

/**
 * Issue 11's scenario: a store sells a whole shift with ERPNext out of reach while HQ changes
 * prices; the link comes back; `outpost sync --push --once` regularizes everything, exactly
 * once, as printed — and HQ's `outpost audit` agrees, until someone edits an invoice.
 */

type Json = Record<string, unknown>;

const SALES = 200;
const SEED = 20261207;

let sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()));
  sites = [];
});

const pushOnce = (dir: string) => cli(['sync', '--data', dir, '--push', '--once', '--json']);

/** Runs `outpost sync --push --once` until it exits 0; each run's exit code, in order. */
async function pushUntilDone(dir: string, limit = 10): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < limit; i++) {
    const r = await pushOnce(dir);
    codes.push(r.code);
    if (r.code === 0) return codes;
    if (r.code !== 5) throw new Error(`outpost sync exited ${r.code}\n${r.out}${r.err}`);
  }
  throw new Error(`outpost sync still pending after ${limit} runs: ${codes.join(',')}`);
}

const audit = async (site: Site) => {
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
};

describe.each(['pos_invoice', 'sales_invoice'] as const)(
  'an offline day, then sync (%s)',
  (mode) => {
    it(`${SALES} sales, returns, an exchange, a void, offline customers, redemptions and a closing: exactly once, as printed`, async () => {
      const site = await openSite();
      sites.push(site);
      const dir = await newStore(site);
      const catalog = await scenarioCatalog(site, dir);

      // The link is down: the store tries and is told it is offline, nothing is lost.
      site.down();
      pointStore(dir, offlineUrl(site), mode);
      expect((await pushOnce(dir)).code).toBe(4);

      const before = await bins(site, catalog.pool, catalog.warehouse);
      // HQ changes three prices while the store cannot hear it.
      const changed = catalog.pool.slice(0, 3);
      const prices = await catalog.raisePrices(changed);

      const day: Day = await sellDay(dir, {
        count: SALES,
        seed: SEED,
        pool: catalog.pool,
        member: catalog.member,
      });

      site.up();
      pointStore(dir, site.url, mode);
      // HQ's side, as on a real site: fields in place and this terminal's key registered.
      const setup = await cli(['erpnext-setup', '--data', dir, '--json']);
      expect(setup.code, setup.out + setup.err).toBe(0);
      const codes = await pushUntilDone(dir);
      expect(codes.at(-1)).toBe(0);
      const review = await cli(['review', '--data', dir, '--json']);
      expect(
        query(dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'"),
        review.out,
      ).toEqual([{ n: 0 }]);

      // Exactly one submitted document per sale uuid; the void cancelled, nothing else.
      const expected = day.documents.map((d) => String(d['uuid'])).sort();
      const byUuid = await pushedByUuid(site, mode, expected);
      expect([...byUuid.keys()].sort()).toEqual(expected);
      const voided = String(day.sales.at(-1)?.['uuid']);
      for (const uuid of expected) {
        const docs = byUuid.get(uuid) ?? [];
        expect(docs.map((d) => d['docstatus'])).toEqual([uuid === voided ? 2 : 1]);
      }

      // Payments and totals equal the signed journal records, and the receipts as printed.
      const receipts = new Map(day.documents.map((d) => [String(d['uuid']), d]));
      for (const uuid of expected) {
        const doc = (byUuid.get(uuid) ?? [])[0] as Json;
        const sig = signed(dir, uuid);
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
      // The raised prices did not reach any sale: each stands at the price it was sold at.
      const printedAt = (code: string) =>
        day.documents.flatMap((d) =>
          itemRows(signed(dir, d['uuid'])).filter((r) => r[0] === code && r[2] !== 0),
        );
      for (const code of changed) {
        const was = prices.before.get(code) ?? new Set<number>();
        const now = prices.after.get(code) ?? new Set<number>();
        expect([...was].filter((p) => now.has(p))).toEqual([]);
        const rows = printedAt(code);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((r) => !was.has(Number(r[2])))).toEqual([]);
      }
      // No sale was re-priced by the push.
      expect(query(dir, 'SELECT count(*) AS n FROM push_conflict')).toEqual([{ n: 0 }]);
      // After a pull, \`outpost conflicts\` lists the raised prices against the sales that
      // printed the old ones: a price row for each sold (non-free) line of a raised item, its
      // value at sale the printed one, its value now a raised one.
      expect((await cli(['sync', '--data', dir, '--pull', '--once'])).code).toBe(0);
      const report = await cli(['conflicts', '--data', dir, '--json', '--since', '2000-01-01']);
      expect(report.code).toBe(0);
      const rows = (JSON.parse(report.out) as { conflicts: Json[] }).conflicts;
      const cents = (v: unknown) => Math.round(Number(v) * 100);
      const wantConflicts = day.documents
        .filter((d) => !signed(dir, d['uuid'])['is_return'])
        .flatMap((d) =>
          itemRows(signed(dir, d['uuid']))
            .filter((r) => changed.includes(String(r[0])) && cents(r[2]) !== 0)
            .map((r) => [String(d['uuid']), r[0], cents(r[2]), cents(r[2]) + 100]),
        );
      const got = rows.map((r) => [
        r['uuid'],
        r['item_code'],
        cents(r['at_sale']),
        cents(r['now']),
      ]);
      expect(rows.map((r) => r['kind'])).toEqual(rows.map(() => 'price'));
      const order = (a: unknown[], b: unknown[]) =>
        JSON.stringify(a).localeCompare(JSON.stringify(b));
      expect(got.sort(order)).toEqual(wantConflicts.sort(order));

      // Stock fell by exactly what left the shelf (in pos_invoice mode, posted by the closing).
      if (mode === 'pos_invoice') {
        const closings = await listAll(
          site,
          'POS Closing Entry',
          [['outpost_shift_uuid', 'is', 'set']],
          ['name', 'status'],
        );
        expect(closings.map((c) => c['status'])).toEqual(['Submitted']);
      }
      const after = await bins(site, catalog.pool, catalog.warehouse);
      for (const code of catalog.pool) {
        const gone = day.moved.get(code) ?? 0;
        expect([code, after.get(code)]).toEqual([code, (before.get(code) ?? 0) - gone]);
      }

      // Loyalty: per document, ERPNext's earned entry and its redemption entries equal the
      // receipt's points; a return takes its points off the original's entry, as ERPNext
      // recomputes it (loyalty_point_entry.py, on the return's submit).
      const entries = await listAll(
        site,
        'Loyalty Point Entry',
        [['customer', '=', catalog.member]],
        ['loyalty_points', 'invoice', 'redeem_against'],
      );
      const reversed = new Map<string, number>();
      for (const r of [...day.returns, day.exchange.return]) {
        const against = day.sales.find((s) => s['invoice_no'] === r['return_against']);
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
        have.push([
          d['invoice_no'],
          mine
            .filter((e) => !e['redeem_against'])
            .reduce((t, e) => t + Number(e['loyalty_points']), 0),
          mine
            .filter((e) => e['redeem_against'])
            .reduce((t, e) => t + Number(e['loyalty_points']), 0),
        ]);
      }
      expect(have).toEqual(want);
      expect(want.filter((w) => w[2] !== 0)).toHaveLength(3);

      // HQ's audit reads ERPNext alone and finds every sale as signed...
      const clean = await audit(site);
      expect(clean.code, JSON.stringify(clean.report)).toBe(0);
      // A shared real site holds other runs' invoices and keys: the counts are the simulator's.
      if (!site.remote) {
        expect(clean.report['checked']).toEqual({
          invoices: expected.length,
          closings: mode === 'pos_invoice' ? 1 : 0,
          keys: 1,
        });
      }
      // ...until someone edits one in ERPNext's database (not possible on a real site).
      if (site.tamper) {
        const victim = day.sales[42] as Json;
        const name = String((byUuid.get(String(victim['uuid'])) ?? [])[0]?.['name']);
        site.tamper(SALE[mode].doctype, name, { grand_total: 9999.99 });
        const found = await audit(site);
        expect(found.code).toBe(1);
        expect(
          (found.report['problems'] as Json[]).map((p) => [p['kind'], p['name'], p['message']]),
        ).toEqual([
          ['edited', name, `grand_total: signed ${String(victim['grand_total'])}, ERPNext 9999.99`],
        ]);
      }
    }, 180_000);
  },
);
