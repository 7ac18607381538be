import { z } from 'zod';
import { LineMemo } from '../../../src/core/index.js';

/*
 * The node's records the page prices a cart on (POST /api/pricing/context, GET
 * /api/pricing/scan): the store's own `StoreMaster.recordsFor`, so the page's engine reads what
 * the node's reads. Kept per snapshot version and customer; a scan adds its item's records.
 */

const record = z.record(z.string(), z.unknown());
const records = z.record(z.string(), z.array(record));

export const contextSchema = z.object({
  snapshot_version: z.number().int(),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency_precision: z.number().int().min(0).max(9),
  cash_mode: z.string().nullable(),
  draft: record,
  records,
});
export type PricingContext = z.output<typeof contextSchema>;

export const scanSchema = z.object({
  snapshot_version: z.number().int(),
  items: z.array(
    z.object({
      item_code: z.string(),
      item_name: z.string(),
      item_group: z.string().nullish(),
      brand: z.string().nullish(),
      stock_uom: z.string(),
      uom: z.string(),
      qty: z.string(),
      barcode: z.string().optional(),
      barcode_rule: z.string().nullish(),
      barcode_amount: z.string().nullish(),
    }),
  ),
  records,
});
export type ScanAnswer = z.output<typeof scanSchema>;

type Rec = Record<string, unknown>;

/** The doctypes the node reads per item code; every other one the context holds whole. */
const PER_ITEM = new Set(['Item', 'Item Price', 'Product Bundle']);

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One snapshot's records: the context's whole doctypes and the items seen so far. */
export class PriceBook {
  private readonly items = new Map<string, Rec>();
  private readonly bundles = new Map<string, Rec>();
  /** Item code → its Item Price rows, in the node's order (one SELECT per code). */
  private readonly prices = new Map<string, Rec[]>();
  private readonly whole: Record<string, Rec[]> = {};
  private readonly freeItems: string[] = [];
  /**
   * The lines this book priced, for the next pricing of the cart: after a scan only the new line
   * is priced again (the book's records are one snapshot's, as a `LineMemo` requires).
   */
  readonly lines = new LineMemo();

  constructor(
    readonly context: PricingContext,
    readonly customer: string | undefined,
  ) {
    for (const [doctype, list] of Object.entries(context.records)) {
      if (!PER_ITEM.has(doctype)) this.whole[doctype] = list;
    }
    for (const r of this.whole['Pricing Rule'] ?? []) {
      const free = text(r['free_item']);
      if (free) this.freeItems.push(free);
    }
    this.add(context.snapshot_version, context.records);
  }

  get snapshot(): number {
    return this.context.snapshot_version;
  }

  /** Adds a scan's records; false (nothing added) when they are of another snapshot. */
  add(snapshot: number, recs: Readonly<Record<string, readonly Rec[]>>): boolean {
    if (snapshot !== this.snapshot) return false;
    for (const r of recs['Item'] ?? []) this.items.set(text(r['name']), r);
    for (const r of recs['Product Bundle'] ?? []) this.bundles.set(text(r['name']), r);
    const prices = new Map<string, Rec[]>();
    for (const r of recs['Item Price'] ?? []) {
      const code = text(r['item_code']);
      prices.set(code, [...(prices.get(code) ?? []), r]);
    }
    // An item's rows come whole from one answer; an item with no price is known too.
    for (const r of recs['Item'] ?? []) {
      const code = text(r['name']);
      this.prices.set(code, prices.get(code) ?? []);
    }
    return true;
  }

  /** Whether the book holds the item's records (else the node must price the cart). */
  has(code: string): boolean {
    return this.items.has(code);
  }

  /**
   * The master input for a cart of these codes, built as `StoreMaster.recordsFor` builds it:
   * the codes, the rules' free items, bundle components after; null when one is not known.
   */
  input(itemCodes: readonly string[]): Record<string, unknown> | null {
    const codes = new Set(itemCodes);
    for (const free of this.freeItems) codes.add(free);
    const bundles: Rec[] = [];
    for (const code of [...codes]) {
      const b = this.bundles.get(code);
      if (!b) continue;
      bundles.push(b);
      const rows = Array.isArray(b['items']) ? (b['items'] as unknown[]) : [];
      for (const row of rows) {
        if (typeof row === 'object' && row !== null && 'item_code' in row) {
          const c = text(row.item_code);
          if (c) codes.add(c);
        }
      }
    }
    if (itemCodes.some((c) => !this.items.has(c))) return null;
    const items: Rec[] = [];
    const prices: Rec[] = [];
    for (const code of codes) {
      // A free item or component the store lacks is left out, as the node leaves it out.
      const item = this.items.get(code);
      if (!item) continue;
      items.push(item);
      prices.push(...(this.prices.get(code) ?? []));
    }
    return { ...this.whole, Item: items, 'Item Price': prices, 'Product Bundle': bundles };
  }
}
