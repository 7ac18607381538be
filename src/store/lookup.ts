import { parseVariableMeasure, type VariableMeasureRule, DEFAULT_RULES } from '../core/index.js';
import { Dec } from '../core/index.js';
import type { Db } from './db.js';

export interface ItemRow {
  readonly item_code: string;
  readonly item_name: string;
  readonly item_group: string;
  readonly brand: string;
  readonly stock_uom: string;
  readonly is_stock_item: number;
}

interface ScanResult {
  readonly item: ItemRow;
  /** The UOM the barcode is registered for (blank = the item's stock UOM). */
  readonly uom: string;
  /** Quantity carried by a weighed-item barcode, in the stock UOM. */
  readonly qty: Dec | null;
  /** Price carried by a price-embedded barcode, for the whole line. */
  readonly amount: Dec | null;
  /** The raw scan, kept for the journal. */
  readonly scan: string;
  readonly rule: string | null;
}

/**
 * Stock of an item in a warehouse: the pulled Bin and what this store sold since (stock_pending).
 * All quantities are decimal strings in the stock UOM.
 */
export interface Stock {
  readonly actual_qty: string | null;
  readonly reserved_qty: string | null;
  /** Sold here (positive) or returned (negative) and not yet in a pulled Bin. */
  readonly pending_qty: string | null;
  /** actual − reserved − pending: what the till may still sell; null when nothing is known. */
  readonly stock_qty: string | null;
}

interface StockRow {
  actual_qty: string | null;
  reserved_qty: string | null;
  pending_qty: string | null;
}

/** Bin actual − reserved − local unsynced sales, in decimal arithmetic. */
function netStock(r: StockRow): Stock {
  const { actual_qty, reserved_qty, pending_qty } = r;
  let stock_qty: string | null = null;
  if (actual_qty !== null || pending_qty !== null) {
    const reserved = reserved_qty ?? '0';
    stock_qty =
      pending_qty === null && (reserved === '0' || reserved === '')
        ? (actual_qty ?? '0')
        : new Dec(actual_qty || '0')
            .minus(reserved || '0')
            .minus(pending_qty || '0')
            .toFixed();
  }
  return { actual_qty, reserved_qty, pending_qty, stock_qty };
}

/** Read paths the cashier uses; statements prepared once per connection. */
export class Lookup {
  private readonly s;
  /** Codes read ahead by `withCodes` (null: not an enabled item), while its callback runs. */
  private batch: ReadonlyMap<string, ItemRow | null> | undefined;

  constructor(
    db: Db,
    private readonly rules: readonly VariableMeasureRule[] = DEFAULT_RULES,
  ) {
    const cols = 'i.item_code, i.item_name, i.item_group, i.brand, i.stock_uom, i.is_stock_item';
    const bcols = 'b.item_code, b.item_name, b.item_group, b.brand, b.stock_uom, b.is_stock_item';
    this.s = {
      barcode: db.prepare(`SELECT ${bcols}, b.uom AS uom FROM item_barcode b WHERE b.barcode = ?`),
      code: db.prepare(`SELECT ${cols} FROM item i WHERE i.item_code = ? AND i.disabled = 0`),
      // The same, for a whole cart's codes in one statement (a JSON array of codes).
      codes: db.prepare(
        `SELECT j.value AS wanted, ${cols} FROM json_each(?) j JOIN item i ON i.item_code = j.value WHERE i.disabled = 0`,
      ),
      // Rank inside FTS5 (its ORDER BY rank LIMIT keeps a bounded heap), then join the few hits.
      // Matches in rowid order under a LIMIT: SQLite stops at the limit, so a short prefix that
      // matches half the catalog costs no more than a rare one (ranking them all would not) —
      // as long as FTS5 has a prefix index of that length (migration 8: 1 to 6 characters);
      // without one it merges every matching term's doclist before the first row.
      search: db.prepare(
        `SELECT ${cols} FROM (SELECT rowid FROM item_fts WHERE item_fts MATCH ? LIMIT ?) f
         JOIN item i ON i.id = f.rowid`,
      ),
      customers: db.prepare(
        `SELECT c.name, c.customer_name, c.mobile_no, c.email_id, c.loyalty_program, c.customer_group
         FROM customer_fts f JOIN customer c ON c.id = f.rowid
         WHERE customer_fts MATCH ? AND c.disabled = 0 ORDER BY (c.name = ?) DESC, f.rank LIMIT ?`,
      ),
      // One row always: the Bin (if pulled) and the local sales not yet in it (if any).
      bin: db.prepare(
        `SELECT s.actual_qty AS actual_qty, s.reserved_qty AS reserved_qty, q.qty AS pending_qty
         FROM (SELECT @item AS item_code, @wh AS warehouse) k
         LEFT JOIN bin s ON s.item_code = k.item_code AND s.warehouse = k.warehouse
         LEFT JOIN stock_pending q ON q.item_code = k.item_code AND q.warehouse = k.warehouse`,
      ),
      // The exact-barcode scan with price and stock in one statement: one trip into SQLite.
      // The price is the row `ORDER BY valid_from DESC, uom DESC LIMIT 1` picked, the greatest
      // (valid_from, uom) and among equals the last name in key order, taken with max() over
      // the three joined by char(1) (below any character of a date, a UOM or a name, so the
      // strings order as the triples do). That sort opened a temporary B-tree on every scan,
      // and `uom IN (…)` an ephemeral table: together they cost more than the item's own
      // descent. The `+` keeps uom off the index, so the scan reads the item's few prices in
      // the list (one range of the primary key) and filters them.
      scanFull: db.prepare(
        `SELECT ${bcols}, b.uom AS uom,
           (SELECT rate FROM (SELECT p.price_list_rate AS rate, max(p.valid_from || char(1) || p.uom || char(1) || p.name)
             FROM item_price p
             WHERE p.item_code = b.item_code AND p.price_list = @pl AND p.customer = ''
               AND +p.uom IN ('', CASE b.uom WHEN '' THEN b.stock_uom ELSE b.uom END)
               AND p.valid_from <= @d AND (p.valid_upto = '' OR p.valid_upto >= @d))) AS price_list_rate,
           s.actual_qty AS actual_qty, s.reserved_qty AS reserved_qty, q.qty AS pending_qty
         FROM item_barcode b
         LEFT JOIN bin s ON s.item_code = b.item_code AND s.warehouse = @wh
         LEFT JOIN stock_pending q ON q.item_code = b.item_code AND q.warehouse = @wh
         WHERE b.barcode = @code`,
      ),

      price: db.prepare(
        `SELECT price_list_rate, uom FROM item_price
         WHERE item_code = ? AND price_list = ? AND customer = '' AND uom IN ('', ?)
           AND valid_from <= ? AND (valid_upto = '' OR valid_upto >= ?)
         ORDER BY valid_from DESC, uom DESC LIMIT 1`,
      ),
    };
  }

  /**
   * Barcode → item: the exact code first; then a GS1 variable-measure code (prefix 20–29), whose
   * item is registered under the code with the value zeroed, or under its PLU.
   */
  scan(code: string): ScanResult | null {
    const scan = code.trim();
    const exact = this.s.barcode.get(scan) as (ItemRow & { uom: string }) | undefined;
    if (exact) {
      const zero = this.zeroLabel(scan);
      return { item: exact, uom: exact.uom, scan, ...zero };
    }
    const vm = parseVariableMeasure(scan, this.rules);
    if (!vm) return null;
    const hit =
      (this.s.barcode.get(vm.lookup) as (ItemRow & { uom: string }) | undefined) ??
      (this.s.barcode.get(vm.reference) as (ItemRow & { uom: string }) | undefined) ??
      (this.s.code.get(vm.reference) as (ItemRow & { uom?: string }) | undefined);
    if (!hit) return null;
    return {
      item: hit,
      uom: hit.uom ?? '',
      qty: vm.kind === 'weight' ? vm.value : null,
      amount: vm.kind === 'price' ? vm.value : null,
      scan,
      rule: vm.rule,
    };
  }

  /**
   * The cashier's scan: item, UOM, weighed quantity, list price in the price list and stock in
   * the warehouse net of local unsynced sales, in one statement for an exact barcode. Pricing
   * rules are applied by the quote.
   */
  scanWithPrice(
    code: string,
    priceList: string,
    warehouse: string,
    date: string,
  ): (ScanResult & Stock & { price_list_rate: string | null }) | null {
    const scan = code.trim();
    const row = this.s.scanFull.get({ code: scan, pl: priceList, wh: warehouse, d: date }) as
      (ItemRow & StockRow & { uom: string; price_list_rate: string | null }) | undefined;
    if (row) {
      const { uom, price_list_rate, actual_qty, reserved_qty, pending_qty, ...item } = row;
      return {
        item,
        uom,
        scan,
        ...this.zeroLabel(scan),
        price_list_rate,
        ...netStock({ actual_qty, reserved_qty, pending_qty }),
      };
    }
    const hit = this.scan(code);
    if (!hit) return null;
    const uom = hit.uom || hit.item.stock_uom;
    const price = this.s.price.get(hit.item.item_code, priceList, uom, date, date) as
      { price_list_rate: string } | undefined;
    return {
      ...hit,
      price_list_rate: price?.price_list_rate ?? null,
      ...this.stock(hit.item.item_code, warehouse),
    };
  }

  /**
   * A variable-measure label whose value digits are all zero is, digit for digit, the code its
   * item is registered under (the value zeroed), so the exact lookup finds it. It still carries
   * a measure, zero, which the till must refuse, never read as "no measure, quantity 1".
   */
  private zeroLabel(scan: string): Pick<ScanResult, 'qty' | 'amount' | 'rule'> {
    const none = { qty: null, amount: null, rule: null };
    let vm;
    try {
      vm = parseVariableMeasure(scan, this.rules);
    } catch {
      return none; // a registered code that is not a valid EAN-13 is only a code
    }
    if (!vm || vm.lookup !== scan) return none;
    return {
      qty: vm.kind === 'weight' ? vm.value : null,
      amount: vm.kind === 'price' ? vm.value : null,
      rule: vm.rule,
    };
  }

  byCode(code: string): ItemRow | null {
    const known = this.batch?.get(code);
    if (known !== undefined) return known;
    return (this.s.code.get(code) as ItemRow | undefined) ?? null;
  }

  /**
   * Runs `fn` with `byCode` answering the given codes from one read of them all: a cart's lines
   * resolved in one statement, not one per line, and all from the same state of the store.
   * Other codes are still read one by one. Only for the synchronous `fn`.
   */
  withCodes<T>(codes: readonly string[], fn: () => T): T {
    const outer = this.batch;
    const batch = new Map<string, ItemRow | null>(codes.map((c) => [c, null]));
    const rows = this.s.codes.all(JSON.stringify([...batch.keys()])) as (ItemRow & {
      wanted: string;
    })[];
    for (const { wanted, ...row } of rows) batch.set(wanted, row);
    this.batch = batch;
    try {
      return fn();
    } finally {
      this.batch = outer;
    }
  }

  /** Search-as-you-type over code, name and barcodes: every word a prefix; exact code first. */
  search(text: string, limit = 20): ItemRow[] {
    const q = ftsQuery(text);
    if (!q) return [];
    // The order a cashier expects: the exact code, then names that start with the first word
    // typed, then any other match.
    const out: ItemRow[] = [];
    const seen = new Set<string>();
    const add = (rows: ItemRow[]): void => {
      for (const r of rows) {
        if (out.length >= limit || seen.has(r.item_code)) continue;
        seen.add(r.item_code);
        out.push(r);
      }
    };
    // Codes are usually upper case; a cashier types either.
    const exact = this.byCode(text.trim()) ?? this.byCode(text.trim().toUpperCase());
    if (exact) add([exact]);
    const [head, ...rest] = q.split(' ');
    if (head)
      add(this.s.search.all([`item_name : ^${head}`, ...rest].join(' AND '), limit) as ItemRow[]);
    if (out.length < limit) add(this.s.search.all(q, limit) as ItemRow[]);
    return out;
  }

  /** By name, customer id (a loyalty card number can be the id), email, or phone (any ending). */
  customers(text: string, limit = 20): Record<string, string>[] {
    const digits = text.replace(/[\s()+.-]/g, '');
    const q = /^\d{4,}$/.test(digits)
      ? `${ftsQuery(text)} OR phone_rev : "${[...digits].reverse().join('')}"*`
      : ftsQuery(text);
    if (!q) return [];
    return this.s.customers.all(q, text.trim(), limit) as Record<string, string>[];
  }

  /** Stock of an item in a warehouse; every field null when neither a Bin nor a local sale. */
  stock(itemCode: string, warehouse: string): Stock {
    return netStock(this.s.bin.get({ item: itemCode, wh: warehouse }) as StockRow);
  }

  /** The Bin and local sales for an item, or null when there is neither. */
  bin(itemCode: string, warehouse: string): Stock | null {
    const st = this.stock(itemCode, warehouse);
    return st.stock_qty === null ? null : st;
  }
}

/**
 * Each word becomes a quoted prefix term, so user text can never inject FTS syntax. Control
 * characters split words too: FTS5 reads a NUL as the end of the query ("unterminated string").
 */
export function ftsQuery(text: string): string {
  return text
    .split(/[\s"*^:()+\-\p{Cc}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => `"${w.replaceAll('"', '')}"*`)
    .join(' ');
}
