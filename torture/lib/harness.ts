import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Dec } from '../../src/core/index.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import type { PartOptions } from '../types.js';
import { stockOf } from './checks.js';
import type { SaleMix } from './load-generator.js';
import { openSite, type Site } from './site.js';
import { setupStore } from './store.js';

/**
 * What parts 1–3 share before and after their attack: a site, a store set up on it, what to
 * sell (the demo seed's stock items and loyalty member, or OUTPOST_SCENARIO_ITEMS /
 * OUTPOST_SCENARIO_MEMBER on a real site), enough stock for the run, and the Bins before.
 */

/** Stock items of the demo seed (test/scenario/day.ts's pool) and a loyalty member. */
const DEMO_POOL = [
  ...['SKU-0000019', 'SKU-0000021', 'SKU-0000022', 'SKU-0000023', 'SKU-0000025'],
  ...['SKU-0000029', 'SKU-0000030', 'SKU-0000033', 'SKU-0000035', 'SKU-0000037'],
  ...['SKU-0000038', 'SKU-0000039', 'SKU-0000040', 'SKU-0000041', 'SKU-0000042'],
];
const DEMO_MEMBER = 'Aisha Jackson';

/** Every part posts as Sales Invoices (stock moves at once, no consolidation to wait for). */
export const MODE: PostingMode = 'sales_invoice';

export interface Bench {
  readonly site: Site;
  readonly dir: string;
  readonly mix: SaleMix;
  readonly warehouse: string;
  readonly stockBefore: ReadonlyMap<string, Dec>;
}

export async function prepare(
  o: PartOptions,
  opts: { pullMinutes: number; clock?: { now(): number } },
): Promise<Bench> {
  const site = await openSite(o, opts.clock ? { clock: opts.clock } : {});
  try {
    const dir = join(o.workDir, 'store');
    mkdirSync(o.workDir, { recursive: true });
    await setupStore(site, dir, { mode: MODE, pullMinutes: opts.pullMinutes });
    const profile = await site.get('POS Profile', site.posProfile);
    const warehouse = String(profile['warehouse']);
    let mix: SaleMix = { pool: DEMO_POOL, member: DEMO_MEMBER };
    if (site.remote) {
      const items = process.env['OUTPOST_SCENARIO_ITEMS'];
      const member = process.env['OUTPOST_SCENARIO_MEMBER'];
      if (!items || !member)
        throw new Error(
          'OUTPOST_SCENARIO_ITEMS and OUTPOST_SCENARIO_MEMBER: required on a real site',
        );
      mix = { pool: items.split(',').map((s) => s.trim()), member };
    } else {
      // Opening stock for the longest run (20,000 sales × ≤ 6 units over 15 items).
      for (const item of mix.pool) site.stock(item, warehouse, 100_000);
    }
    const stockBefore = await stockOf(site, mix.pool, warehouse);
    return { site, dir, mix, warehouse, stockBefore };
  } catch (e) {
    await site.close();
    throw e;
  }
}

/** Work the push still owes ERPNext: outbox rows not done, and open review items. */
export function owed(dir: string): { pending: number; review: number } {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    const pending = db
      .prepare(
        `SELECT count(*) FROM outbox o LEFT JOIN push_job j ON j.uuid = o.uuid
         WHERE j.state IS NULL OR j.state NOT IN ('done', 'resolved')`,
      )
      .pluck()
      .get() as number;
    const review = db
      .prepare("SELECT count(*) FROM push_review WHERE status = 'open'")
      .pluck()
      .get() as number;
    return { pending, review };
  } finally {
    db.close();
  }
}
