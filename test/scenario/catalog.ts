import { PROFILE } from '../pos/till-fixture.js';
import { MEMBER, POOL } from './day.js';
import { getOne, listAll, type Site } from './site.js';

/** Each item's prices (every price list, every UOM) before and after the change. */
export interface Prices {
  readonly before: Map<string, Set<number>>;
  readonly after: Map<string, Set<number>>;
}

/** What the scenario sells on a site, and HQ's price changes made while the store is offline. */
export interface Catalog {
  /** Stock items with enough on hand for the day. */
  readonly pool: readonly string[];
  /** A customer in a loyalty programme, with no points yet. */
  readonly member: string;
  /** The POS Profile's warehouse. */
  readonly warehouse: string;
  /** Raises each item's prices (every list and UOM) by 1.00: the prices before and after. */
  raisePrices(items: readonly string[]): Promise<Prices>;
}

/**
 * On the simulator: the demo seed's items and member. On a real site, named by the operator:
 * OUTPOST_SCENARIO_ITEMS (comma-separated stock item codes with ≥ 60 on hand each in the
 * profile's warehouse) and OUTPOST_SCENARIO_MEMBER (a loyalty customer).
 */
export async function scenarioCatalog(site: Site, _dir: string): Promise<Catalog> {
  const profileName = site.remote ? String(process.env['OUTPOST_CONTRACT_POS_PROFILE']) : PROFILE;
  const profile = await getOne(site, 'POS Profile', profileName);
  let pool: readonly string[] = POOL;
  let member = MEMBER;
  if (site.remote) {
    const items = process.env['OUTPOST_SCENARIO_ITEMS'];
    const who = process.env['OUTPOST_SCENARIO_MEMBER'];
    if (!items || !who) {
      throw new Error(
        'OUTPOST_SCENARIO_ITEMS and OUTPOST_SCENARIO_MEMBER: required on a real site',
      );
    }
    pool = items.split(',').map((s) => s.trim());
    member = who;
  }
  return {
    pool,
    member,
    warehouse: String(profile['warehouse']),
    raisePrices: async (codes) => {
      const rows = await listAll(
        site,
        'Item Price',
        [['item_code', 'in', codes]],
        ['name', 'item_code', 'price_list_rate'],
      );
      const before = new Map<string, Set<number>>();
      const after = new Map<string, Set<number>>();
      const add = (m: Map<string, Set<number>>, k: string, v: number) =>
        m.set(k, (m.get(k) ?? new Set<number>()).add(v));
      for (const r of rows) {
        // Cents as integers: the price is stored at 2 decimals.
        const raised = (Math.round(Number(r['price_list_rate']) * 100) + 100) / 100;
        const path = `/api/resource/Item Price/${encodeURIComponent(String(r['name']))}`;
        const put = await site.rest('PUT', path, { price_list_rate: raised });
        if (put.status !== 200) throw new Error(`Item Price ${String(r['name'])}: ${put.status}`);
        add(before, String(r['item_code']), Number(r['price_list_rate']));
        add(after, String(r['item_code']), raised);
      }
      if (after.size !== codes.length)
        throw new Error(`prices of ${codes.join(',')}: ${after.size} found`);
      return { before, after };
    },
  };
}
