import { Master, parseJsonWith } from '../core/index.js';
import type { Db } from './db.js';
import { cachedDocSchema } from './erp-docs.js';

/** Doctypes small enough to hold whole in memory for every quote. */
const WHOLE = [
  // The site settings (core `siteSettings` derives precision and rounding from these).
  'System Settings',
  'Global Defaults',
  'Company',
  'Currency',
  'UOM',
  'UOM Conversion Factor',
  'Item Group',
  'Customer Group',
  'Territory',
  'Brand',
  'Price List',
  'Pricing Rule',
  'Sales Taxes and Charges Template',
  'Item Tax Template',
  'Loyalty Program',
  'POS Profile',
  'Mode of Payment',
  'Warehouse',
  'Coupon Code',
] as const;

type Rec = Record<string, unknown>;

/** A cached document read back, checked against its doctype's schema (never a cast). */
const cached = (doctype: string, text: string): Rec =>
  parseJsonWith(cachedDocSchema(doctype), text, `store ${doctype}`);

/**
 * Builds the core engine's master data from the store: the small doctypes whole, and for the
 * large ones (Item, Item Price, Customer, Product Bundle, Loyalty Point Entry) only the records
 * a given cart needs. Reads run in one transaction so the quote sees one snapshot.
 */
export class StoreMaster {
  private cache: { version: number; whole: Map<string, Rec[]> } | null = null;
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      version: db.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck(),
      all: db.prepare('SELECT data FROM doc WHERE doctype = ?').pluck(),
      one: db.prepare('SELECT data FROM doc WHERE doctype = ? AND name = ?').pluck(),
      // Item Prices live only in their table; rebuild the REST shape the engine reads.
      prices: db.prepare(
        `SELECT name, item_code, price_list, uom, customer, supplier, batch_no, valid_from, valid_upto,
           price_list_rate, currency, packing_unit, modified
         FROM item_price WHERE item_code = ?`,
      ),
      lpePending: db.prepare(
        `SELECT 'local-' || id AS name, customer, loyalty_program, company, loyalty_points,
           purchase_amount, posting_date, expiry_date, invoice_no AS invoice
         FROM loyalty_pending WHERE customer = ?`,
      ),
      lpe: db
        .prepare(
          "SELECT data FROM doc WHERE doctype = 'Loyalty Point Entry' AND json_extract(data, '$.customer') = ?",
        )
        .pluck(),
    };
  }

  /** The master data for a cart, with the snapshot version it was read at. */
  forCart(itemCodes: readonly string[], customer: string): { master: Master; snapshot: number } {
    return this.db.transaction(() => {
      const version = Number(this.s.version.get() ?? 0);
      if (!this.cache || this.cache.version !== version) this.cache = this.loadWhole(version);
      const input: Record<string, unknown> = {};
      for (const [dt, list] of this.cache.whole) input[dt] = list;

      const codes = new Set(itemCodes);
      // Free items named by product rules and bundle components are priced and stocked too.
      for (const r of this.cache.whole.get('Pricing Rule') ?? []) {
        if (typeof r['free_item'] === 'string' && r['free_item']) codes.add(r['free_item']);
      }
      const bundles: Rec[] = [];
      for (const code of [...codes]) {
        const b = this.get('Product Bundle', code);
        if (!b) continue;
        bundles.push(b);
        for (const row of (b['items'] as Rec[] | undefined) ?? []) {
          if (typeof row['item_code'] === 'string') codes.add(row['item_code']);
        }
      }
      const items: Rec[] = [];
      const prices: Rec[] = [];
      for (const code of codes) {
        const it = this.get('Item', code);
        if (it) items.push(it);
        prices.push(...(this.s.prices.all(code) as Rec[]));
      }
      input['Item'] = items;
      input['Item Price'] = prices;
      input['Product Bundle'] = bundles;
      const c = customer ? this.get('Customer', customer) : undefined;
      input['Customer'] = c ? [c] : [];
      // ERPNext's entries, and those of local sales it has not confirmed yet (loyalty_pending).
      input['Loyalty Point Entry'] = customer
        ? [
            ...(this.s.lpe.all(customer) as string[]).map((d) => cached('Loyalty Point Entry', d)),
            ...(this.s.lpePending.all(customer) as Rec[]),
          ]
        : [];
      return { master: new Master(input), snapshot: version };
    })();
  }

  private get(doctype: string, name: string): Rec | undefined {
    const d = this.s.one.get(doctype, name) as string | undefined;
    return d ? cached(doctype, d) : undefined;
  }

  private loadWhole(version: number): { version: number; whole: Map<string, Rec[]> } {
    const whole = new Map<string, Rec[]>();
    for (const dt of WHOLE)
      whole.set(
        dt,
        (this.s.all.all(dt) as string[]).map((d) => cached(dt, d)),
      );
    return { version, whole };
  }
}
