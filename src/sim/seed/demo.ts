import { addDays, type SeedDoc } from './record.js';
import { accounts, companies, costCenters, currencies, uoms, warehouses } from './org.js';
import { itemTaxTemplates, salesTaxTemplates } from './taxes.js';
import { brands, itemGroups, productBundles } from './items.js';
import { binRecords, itemPriceRecords, itemRecord } from './item-records.js';
import { customerGroups, loyaltyPrograms, priceLists, territories } from './parties.js';
import { customerRecord } from './customers.js';
import { modesOfPayment, posProfiles } from './pos.js';
import { pricingRules } from './pricing-rules.js';
import { HEROES } from './heroes.js';
import { MAX_ITEMS, itemSpec } from './spec.js';

export interface DemoSeedOptions {
  /** Number of Items, hero items included (default 2000; at least 18). */
  readonly items?: number;
  /** Number of Customers, the walk-in customer included (default 500; at least 1). */
  readonly customers?: number;
  /** Timestamp stamped on every record's creation/modified: `YYYY-MM-DD HH:MM:SS.ffffff`. */
  readonly now: string;
  /** PRNG seed: another seed gives another, equally valid, catalog. */
  readonly seed?: number;
}

/** The records of one doctype. Iterating generates them afresh, so each pass is identical. */
export interface SeedTable {
  readonly doctype: string;
  readonly records: Iterable<SeedDoc>;
}

const DEFAULT_SEED = 0x0d7;

/**
 * The "Outpost Demo Retail" company as ERPNext v15 documents, one table per doctype, in an order
 * a loader can insert in: every Link points to a record of an earlier table or earlier in the
 * same table (tree parents first). Items, their prices and bins, and customers are generated
 * lazily, one record at a time, so a million items never sit in memory at once.
 *
 * The Company's default-account fields are left unset, as ERPNext leaves them until it has
 * created the chart of accounts, which needs the Company first: save `companyAccountDefaults()`
 * on it after the Account and Cost Center tables.
 *
 * @example
 * for (const { doctype, records } of demoSeed({ items: 1_000_000, now: '2026-11-27 09:00:00.000000' }))
 *   for (const doc of records) insert(doctype, doc);
 */
export function demoSeed(opts: DemoSeedOptions): SeedTable[] {
  const items = count('items', opts.items ?? 2000, HEROES.length, MAX_ITEMS);
  const customers = count('customers', opts.customers ?? 500, 1, 10_000_000);
  const now = opts.now;
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/.test(now)) {
    throw new RangeError(
      `demoSeed: now must look like "2026-11-27 09:30:00.000000", got ${JSON.stringify(now)}`,
    );
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  // A year back, so back-dated offline sales still find their prices.
  const pricesFrom = addDays(now, -365);
  const perItem = (make: (i: number) => Iterable<SeedDoc>): Iterable<SeedDoc> => ({
    *[Symbol.iterator]() {
      for (let i = 0; i < items; i++) yield* make(i);
    },
  });
  const table = (doctype: string, records: Iterable<SeedDoc>): SeedTable => ({ doctype, records });
  return [
    table('Currency', currencies(now)),
    table('Company', companies(now)),
    table('Account', accounts(now)),
    table('Cost Center', costCenters(now)),
    table('Warehouse', warehouses(now)),
    table('UOM', uoms(now)),
    table('Item Tax Template', itemTaxTemplates(now)),
    table('Sales Taxes and Charges Template', salesTaxTemplates(now)),
    table('Item Group', itemGroups(now)),
    table('Brand', brands(now)),
    table('Price List', priceLists(now)),
    table('Customer Group', customerGroups(now)),
    table('Territory', territories(now)),
    table('Mode of Payment', modesOfPayment(now)),
    table('Loyalty Program', loyaltyPrograms(now)),
    table(
      'Item',
      perItem((i) => [itemRecord(itemSpec(seed, i), now)]),
    ),
    table(
      'Item Price',
      perItem((i) => itemPriceRecords(itemSpec(seed, i), now, pricesFrom)),
    ),
    table(
      'Bin',
      perItem((i) => binRecords(itemSpec(seed, i), now)),
    ),
    table('Product Bundle', productBundles(seed, now)),
    table('Customer', {
      *[Symbol.iterator]() {
        for (let i = 0; i < customers; i++) yield customerRecord(seed, i, now);
      },
    }),
    table('Pricing Rule', pricingRules(now)),
    table('POS Profile', posProfiles(now)),
  ];
}

function count(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `demoSeed: ${name} must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}
