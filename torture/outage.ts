import { readNodeConfig } from '../src/pos/node-config.js';
import { openNode } from '../src/pos/node.js';
import { PosError, authenticate, closeShift, openShift, sell } from '../src/pos/index.js';
import { seededRandom } from '../src/sim/faults.js';
import { checkErpnext, checkLocal } from './lib/checks.js';
import { MODE, owed, prepare } from './lib/harness.js';
import type { Acked } from './lib/load-generator.js';
import { CASHIER, MANAGER, cli } from './lib/store.js';
import type { PartOptions, PartResult, TorturePart } from './types.js';

/**
 * Part 3 (issue 14): 72 hours with ERPNext out of reach, 20,000 sales (quick: 400), on a
 * fake clock the till and the simulator share; then the link is back and the push runs until
 * the outbox is empty. ERPNext's payments per mode, stock per item and loyalty points must
 * equal the journal exactly (Decimal). On the way the offline rules (src/pos/sale-guards.ts,
 * pos.offline.max_hours = 72 by default) are held to: offline a card payment is refused (cash
 * only), and a sale past 72 h since ERPNext last answered is refused (OfflineLimit) until a
 * manager extends it.
 */

const HOUR = 3_600_000;

export const outagePart: TorturePart = {
  name: 'outage',
  title: '72 h offline on a fake clock, then reconnect: ERPNext equals the journal exactly',
  run: runOutage,
};

async function runOutage(o: PartOptions): Promise<PartResult> {
  // OUTPOST_TORTURE_OUTAGE_SALES: another size (profiling, a longer soak).
  const count = Number(process.env['OUTPOST_TORTURE_OUTAGE_SALES'] ?? (o.quick ? 400 : 20_000));
  const rand = seededRandom(o.seed);
  let now = Date.now();
  const clock = { now: () => now };
  const bench = await prepare(o, { pullMinutes: 5, clock });
  const { site, dir, mix } = bench;
  const failures: string[] = [];
  const acked = new Map<string, Acked>();
  const t0 = performance.now();
  let refusedAsOffline = 0;
  let shifts = 0;
  try {
    // The last answer from ERPNext is `outpost init`'s pull, a moment ago: the outage starts.
    site.faults?.set({ down: true });
    const start = now;
    const node = openNode({ ...readNodeConfig(dir), clock });
    try {
      const term = node.terminal();
      const cashier = authenticate(term, CASHIER.id, CASHIER.pin);
      openShift(term, cashier, { Cash: '100' });
      // Spread over 72 h less 2 minutes: the last sale is still inside the limit.
      const step = Math.floor((72 * HOUR - 2 * 60_000) / count);
      let nextClose = start + 24 * HOUR;
      for (let k = 0; k < count; k++) {
        now += step;
        if (now >= nextClose) {
          closeShift(term, cashier, {});
          openShift(term, cashier, { Cash: '100' });
          shifts += 1;
          nextClose += 24 * HOUR;
        }
        const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
          item_code: mix.pool[Math.floor(rand() * mix.pool.length)] ?? '',
          qty: String(1 + Math.floor(rand() * 2)),
        }));
        const member = rand() < 0.25 ? { customer: mix.member } : {};
        const r = sell(term, { lines, ...member, cashier });
        // Within the online window (15 min) of `outpost init`'s pull the till still counts as online.
        if (!r.offline && now - start > 16 * 60_000)
          failures.push(`${r.invoice_no} was not sold as offline`);
        acked.set(r.uuid, {
          uuid: r.uuid,
          invoice_no: r.invoice_no,
          terminal: term.name,
          grand_total: r.grand_total,
          loyalty_points_earned: r.loyalty_points_earned,
        });
        if (k === Math.floor(count / 2)) {
          // Offline, a card is not accepted (no authorisation without the link).
          const card = refusal(() =>
            sell(term, {
              lines,
              ...member,
              cashier,
              // The very cart just sold, so the amount is exactly due: only the mode is refused.
              payments: [{ mode: 'Credit Card', amount: r.rounded_total }],
            }),
          );
          if (card === 'OfflineLimit') refusedAsOffline += 1;
          else failures.push(`a card payment offline: expected OfflineLimit, got ${card}`);
        }
        if ((k + 1) % 5000 === 0)
          o.log(`${k + 1}/${count} sales, ${((now - start) / HOUR).toFixed(1)} h offline`);
      }
      // Past the limit: refused, until a manager extends it (the sale then goes through).
      now = start + 72 * HOUR + 60_000;
      const late = { lines: [{ item_code: mix.pool[0] ?? '', qty: '1' }], cashier };
      const past = refusal(() => sell(term, late));
      if (past === 'OfflineLimit') refusedAsOffline += 1;
      else
        failures.push(
          `a sale 72 h + 1 min after the last contact: expected OfflineLimit, got ${past}`,
        );
      const manager = authenticate(term, MANAGER.id, MANAGER.pin);
      const extended = sell(term, { ...late, manager });
      acked.set(extended.uuid, {
        uuid: extended.uuid,
        invoice_no: extended.invoice_no,
        terminal: term.name,
        grand_total: extended.grand_total,
        loyalty_points_earned: extended.loyalty_points_earned,
      });
      closeShift(term, cashier, {});
      shifts += 1;
    } finally {
      node.close();
    }
    const sold = (performance.now() - t0) / 1000;
    o.log(`${acked.size} sales in ${sold.toFixed(1)} s; the link is back, pushing`);
    // The link is back: `outpost sync --push --once` until nothing is owed.
    site.faults?.clear();
    const p0 = performance.now();
    let runs = 0;
    while (owed(dir).pending > 0 && runs < 20) {
      runs += 1;
      const r = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
      if (r.code !== 0 && runs === 20)
        failures.push(`outpost sync --push --once: ${r.code} ${r.out.slice(0, 1000)}`);
    }
    const pushed = (performance.now() - p0) / 1000;
    const local = await checkLocal(dir, acked);
    const erp = await checkErpnext(site, dir, MODE, {
      warehouse: bench.warehouse,
      member: mix.member,
      stockBefore: bench.stockBefore,
    });
    failures.push(...local.failures, ...erp.failures);
    const left = owed(dir);
    if (left.pending > 0 || left.review > 0)
      failures.push(`still owed after ${runs} pushes: ${JSON.stringify(left)}`);
    return {
      figures: {
        'hours offline (fake clock)': 72,
        'sales made offline': acked.size,
        'refused by the offline rules as expected (card; past 72 h)': refusedAsOffline,
        'shifts closed offline': shifts,
        'selling, s': Number(sold.toFixed(1)),
        'push after reconnecting, s': Number(pushed.toFixed(1)),
        'push runs': runs,
        ...local.figures,
        ...erp.figures,
      },
      failures,
    };
  } finally {
    await site.close();
  }
}

/** The kind of the PosError `f` throws ('none' when it does not). */
function refusal(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (e) {
    if (e instanceof PosError) return e.kind;
    throw e;
  }
}
