import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { cli } from '../pos/till-fixture.js';
import { scenarioCatalog, type Catalog, type Prices } from './catalog.js';
import { sellDay, type Day } from './day.js';
import { offlineUrl, type Site } from './site.js';
import { newStore, pointStore } from './store.js';
import { bins } from './verify.js';

/**
 * The part both scenarios share: a store sells a whole day with ERPNext out of reach while HQ
 * raises three prices; then the link is back and HQ's side is set up (`outpost
 * erpnext-setup`: fields in place, this terminal's key registered). What is left is the push,
 * clean (offline-day.test.ts) or under faults (faults.test.ts).
 */
export interface OfflineDay {
  readonly dir: string;
  readonly catalog: Catalog;
  readonly day: Day;
  /** The exit of `outpost sync --push --once` tried while the link was down. */
  readonly offlineExit: number;
  /** The Bins of the pool before the day. */
  readonly before: ReadonlyMap<string, number>;
  /** The items whose prices HQ raised meanwhile, and their prices before and after. */
  readonly changed: readonly string[];
  readonly prices: Prices;
}

export async function sellOfflineDay(
  site: Site,
  mode: PostingMode,
  o: { count: number; seed: number },
): Promise<OfflineDay> {
  const dir = await newStore(site);
  const catalog = await scenarioCatalog(site, dir);

  // The link is down: the store tries, is told it is offline, and keeps everything queued.
  site.down();
  pointStore(dir, offlineUrl(site), mode);
  const offlineExit = (await cli(['sync', '--data', dir, '--push', '--once', '--json'])).code;

  const before = await bins(site, catalog.pool, catalog.warehouse);
  const changed = catalog.pool.slice(0, 3);
  const prices = await catalog.raisePrices(changed);
  const day = await sellDay(dir, {
    count: o.count,
    seed: o.seed,
    pool: catalog.pool,
    member: catalog.member,
  });

  site.up();
  pointStore(dir, site.url, mode);
  const setup = await cli(['erpnext-setup', '--data', dir, '--json']);
  if (setup.code !== 0) {
    throw new Error(`outpost erpnext-setup exited ${setup.code}\n${setup.out}${setup.err}`);
  }
  return { dir, catalog, day, offlineExit, before, changed, prices };
}
