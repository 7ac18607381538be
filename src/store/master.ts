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

/** One item code's records as the engine reads them (see `StoreMaster.perCode`). */
interface PerCode {
  readonly bundle: Rec | undefined;
  readonly item: Rec | undefined;
  readonly itemPrices: readonly Rec[];
}

/** Item codes kept parsed per snapshot: a busy store's daily range, not a 1M catalog. */
const PER_CODE_LIMIT = 20_000;

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
  private codes: { version: number; map: Map<string, PerCode> } = { version: -1, map: new Map() };
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
    const { input, snapshot } = this.recordsFor(itemCodes, customer);
    return { master: new Master(input), snapshot };
  }

  /**
   * The records `forCart` indexes, in ERPNext's REST shape: what the cashier's screen prices a
   * cart on in the page (the same records, so the same price as the node's).
   */
  recordsFor(
    itemCodes: readonly string[],
    customer: string,
  ): { input: Record<string, unknown[]>; snapshot: number } {
    return this.db.transaction(() => {
      const version = Number(this.s.version.get() ?? 0);
      if (!this.cache || this.cache.version !== version) this.cache = this.loadWhole(version);
      const input: Record<string, unknown[]> = {};
      for (const [dt, list] of this.cache.whole) input[dt] = list;

      const codes = new Set(itemCodes);
      // Free items named by product rules and bundle components are priced and stocked too.
      for (const r of this.cache.whole.get('Pricing Rule') ?? []) {
        if (typeof r['free_item'] === 'string' && r['free_item']) codes.add(r['free_item']);
      }
      const bundles: Rec[] = [];
      for (const code of [...codes]) {
        const b = this.perCode(version, code).bundle;
        if (!b) continue;
        bundles.push(b);
        for (const row of (b['items'] as Rec[] | undefined) ?? []) {
          if (typeof row['item_code'] === 'string') codes.add(row['item_code']);
        }
      }
      const items: Rec[] = [];
      const prices: Rec[] = [];
      for (const code of codes) {
        const { item, itemPrices } = this.perCode(version, code);
        if (item) items.push(item);
        prices.push(...itemPrices);
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
      return { input, snapshot: version };
    })();
  }

  /**
   * An item's own records (Item, Product Bundle, Item Prices) at a snapshot, parsed once: they
   * change only by a pull's publish, which bumps the version, so a till selling the same items
   * all day reads and checks each once per snapshot instead of once per line per quote. Version
   * 0 (a first pull under way, nothing sells) is never kept.
   */
  private perCode(version: number, code: string): PerCode {
    if (this.codes.version !== version || this.codes.map.size >= PER_CODE_LIMIT) {
      this.codes = { version, map: new Map() };
    }
    let entry = this.codes.map.get(code);
    if (!entry) {
      entry = {
        bundle: this.get('Product Bundle', code),
        item: this.get('Item', code),
        itemPrices: this.s.prices.all(code) as Rec[],
      };
      if (version > 0) this.codes.map.set(code, entry);
    }
    return entry;
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
