import type { Db } from './db.js';

/** The pulled doctypes, besides Item Price, that change what a cart costs. */
const PRICING_DOCTYPES = [
  'Pricing Rule',
  'Promotional Scheme',
  'Item Tax Template',
  'Sales Taxes and Charges Template',
] as const;

/**
 * A cheap fingerprint of what prices a cart (Item Prices and the pricing documents): row counts
 * and the latest `modified`. ERPNext stamps `modified` on every save, so an added, changed or
 * deleted price moves it; a pull that only read rows again (its look-back window) does not.
 */
export function priceFingerprint(db: Db): string {
  const prices = db.prepare('SELECT count(*) AS n, max(modified) AS m FROM item_price').get() as {
    n: number;
    m: string | null;
  };
  const docs = db
    .prepare(
      `SELECT count(*) AS n, max(modified) AS m FROM doc WHERE doctype IN (${PRICING_DOCTYPES.map(() => '?').join(', ')})`,
    )
    .get(...PRICING_DOCTYPES) as { n: number; m: string | null };
  return `${prices.n}|${prices.m ?? ''}|${docs.n}|${docs.m ?? ''}`;
}
