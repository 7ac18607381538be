import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../pos/till-fixture.js';
import {
  audit,
  expectAsSigned,
  expectAuditPasses,
  expectEachOnce,
  expectLoyalty,
  expectStock,
} from './checks.js';
import { sellOfflineDay } from './offline.js';
import { openSite, type Site } from './site.js';
import { itemRows, SALE, signed } from './verify.js';

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

describe.each(['pos_invoice', 'sales_invoice'] as const)(
  'an offline day, then sync (%s)',
  (mode) => {
    it(`${SALES} sales, returns, an exchange, a void, offline customers, redemptions and a closing: exactly once, as printed`, async () => {
      const site = await openSite();
      sites.push(site);
      const s = await sellOfflineDay(site, mode, { count: SALES, seed: SEED });
      const { dir, day } = s;
      expect(s.offlineExit).toBe(4);

      const codes = await pushUntilDone(dir);
      expect(codes.at(-1)).toBe(0);

      const byUuid = await expectEachOnce(site, mode, s);
      await expectAsSigned(site, mode, s, byUuid);

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
            .filter((r) => s.changed.includes(String(r[0])) && cents(r[2]) !== 0)
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

      await expectStock(site, s);
      await expectLoyalty(site, s, byUuid);
      await expectAuditPasses(site, mode, s);
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
