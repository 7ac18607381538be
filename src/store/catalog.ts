import { parseJsonWith } from '../core/index.js';
import type { Db } from './db.js';
import { cachedDocSchema } from './erp-docs.js';

/** A document as ERPNext's REST API returns it. */
export type ErpDoc = Readonly<Record<string, unknown>>;

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
const flag = (v: unknown): number => (v === 1 || v === '1' || v === true ? 1 : 0);
/** Frappe's bookkeeping on every row, which the store never reads. */
const BOOKKEEPING = new Set([
  'owner',
  'creation',
  'modified_by',
  'idx',
  'parent',
  'parentfield',
  'parenttype',
  'doctype',
  'docstatus',
]);

/**
 * Drops blank values and Frappe's row bookkeeping before caching a document: ERPNext reads a
 * missing field as blank or 0 (cstr/flt), and so does the engine, so nothing is lost while the
 * cache shrinks several fold. Top-level `name`, `modified` and `docstatus` are kept.
 */
export function compact(doc: ErpDoc, top = true): ErpDoc {
  const out: Record<string, unknown> = {};
  // Keys, not entries: no [key, value] array per field (a first pull compacts every document).
  for (const k of Object.keys(doc)) {
    const v = doc[k];
    if (v === null || v === undefined || v === '' || v === 0) continue;
    if (BOOKKEEPING.has(k) && !(top && k === 'docstatus')) continue;
    if (!top && k === 'name') continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      out[k] = v.map((row: unknown) =>
        typeof row === 'object' && row !== null ? compact(row as ErpDoc, false) : row,
      );
    } else {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Doctypes kept only in their projection tables, not as cached JSON: they are most of the rows
 * (a price per item per list, a bin per item), and the projection holds every field read.
 */
const PROJECTION_ONLY = new Set(['Item Price', 'Bin']);

interface Staged {
  seq: number;
  doctype: string;
  name: string;
  data: string | null;
  deleted: number;
}

/** A plain object (JSON's kind), as zod's `z.record` accepts one. */
const isRow = (r: unknown): r is ErpDoc => {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  const proto: unknown = Object.getPrototypeOf(r);
  return proto === Object.prototype || proto === null;
};
/**
 * A child table's rows; anything else reads as none (as Frappe reads a missing table). Checked
 * in place rather than parsed into copies: a first pull reads every item's tables once.
 */
const rows = (v: unknown): readonly ErpDoc[] => (Array.isArray(v) && v.every(isRow) ? v : []);

interface CatalogOptions {
  /**
   * A bulk load (the first pull): items are not written to the search index one by one; the
   * loader calls `fillItemSearch` once, in the transaction that completes the load (nothing
   * searches before it: nothing sells before the first pull completes).
   */
  readonly deferItemSearch?: boolean;
}

/**
 * Writes ERPNext documents into the cache and its projections. Statements are prepared once;
 * callers own the transaction (a pull batch or a publish).
 */
export class Catalog {
  private readonly s;
  private readonly deferItemSearch: boolean;

  constructor(
    private readonly db: Db,
    options: CatalogOptions = {},
  ) {
    this.deferItemSearch = options.deferItemSearch ?? false;
    this.s = {
      upsertDoc: db.prepare(
        'INSERT INTO doc (doctype, name, modified, data) VALUES (?, ?, ?, ?) ON CONFLICT (doctype, name) DO UPDATE SET modified = excluded.modified, data = excluded.data',
      ),
      deleteDoc: db.prepare('DELETE FROM doc WHERE doctype = ? AND name = ?'),
      itemId: db.prepare('SELECT id FROM item WHERE item_code = ?').pluck(),
      // Plain INSERT / UPDATE rather than an upsert with RETURNING: a statement that needs a
      // statement journal (RETURNING, OR REPLACE) makes FTS5 flush its pending rows into a new
      // segment first, and a flush per item made the catalog's first load several times slower.
      // Positional parameters here and for prices: no object built per row for the binding.
      insertItem:
        db.prepare(`INSERT INTO item (item_code, item_name, item_group, brand, stock_uom, is_stock_item, disabled, has_variants)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      updateItem: db.prepare(`UPDATE item SET item_name = ?, item_group = ?, brand = ?,
          stock_uom = ?, is_stock_item = ?, disabled = ?, has_variants = ?
        WHERE id = ?`),
      deleteItem: db.prepare('DELETE FROM item WHERE item_code = ?'),
      deleteItemFts: db.prepare('DELETE FROM item_fts WHERE rowid = ?'),
      insertItemFts: db.prepare(
        'INSERT INTO item_fts (rowid, item_code, item_name, barcodes) VALUES (?, ?, ?, ?)',
      ),
      deleteBarcodes: db.prepare('DELETE FROM item_barcode WHERE item_code = ?'),
      insertBarcode: db.prepare(
        `INSERT INTO item_barcode (barcode, item_code, uom, item_name, item_group, brand, stock_uom, is_stock_item)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (barcode) DO UPDATE SET item_code = excluded.item_code, uom = excluded.uom,
           item_name = excluded.item_name, item_group = excluded.item_group, brand = excluded.brand,
           stock_uom = excluded.stock_uom, is_stock_item = excluded.is_stock_item`,
      ),
      upsertPrice:
        db.prepare(`INSERT OR REPLACE INTO item_price (name, item_code, price_list, uom, customer, valid_from,
          valid_upto, price_list_rate, currency, packing_unit, batch_no, supplier, modified)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deletePrice: db.prepare('DELETE FROM item_price WHERE name = ?'),
      customerId: db.prepare('SELECT id FROM customer WHERE name = ?').pluck(),
      upsertCustomer:
        db.prepare(`INSERT INTO customer (name, customer_name, customer_group, mobile_no, email_id, loyalty_program, disabled)
        VALUES (@name, @customer_name, @customer_group, @mobile_no, @email_id, @loyalty_program, @disabled)
        ON CONFLICT (name) DO UPDATE SET customer_name = excluded.customer_name, customer_group = excluded.customer_group,
          mobile_no = excluded.mobile_no, email_id = excluded.email_id, loyalty_program = excluded.loyalty_program,
          disabled = excluded.disabled
        RETURNING id`),
      deleteCustomer: db.prepare('DELETE FROM customer WHERE name = ?'),
      deleteCustomerFts: db.prepare('DELETE FROM customer_fts WHERE rowid = ?'),
      insertCustomerFts: db.prepare(
        'INSERT INTO customer_fts (rowid, name, customer_name, mobile_no, email_id, phone_rev) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      upsertBin: db.prepare(
        'INSERT OR REPLACE INTO bin (name, item_code, warehouse, actual_qty, reserved_qty, projected_qty, modified) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteBin: db.prepare('DELETE FROM bin WHERE name = ?'),
      priceModified: db.prepare('SELECT modified FROM item_price WHERE name = ?').pluck(),
      binModified: db.prepare('SELECT modified FROM bin WHERE name = ?').pluck(),
      docModified: db.prepare('SELECT modified FROM doc WHERE doctype = ? AND name = ?').pluck(),
      stage: db.prepare('INSERT INTO doc_stage (doctype, name, data, deleted) VALUES (?, ?, ?, ?)'),
      staged: db.prepare(
        'SELECT seq, doctype, name, data, deleted FROM doc_stage WHERE seq > ? ORDER BY seq LIMIT 2000',
      ),
      clearStage: db.prepare('DELETE FROM doc_stage'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
  }

  /** Inserts or replaces one document and its projections. */
  apply(doctype: string, doc: ErpDoc): void {
    const name = text(doc['name']);
    if (!name) throw new Error(`${doctype}: a document without a name cannot be stored`);
    if (!PROJECTION_ONLY.has(doctype)) {
      this.s.upsertDoc.run(doctype, name, text(doc['modified']), JSON.stringify(compact(doc)));
    }
    switch (doctype) {
      case 'Item':
        this.applyItem(doc);
        break;
      case 'Item Price':
        this.s.upsertPrice.run(
          name,
          text(doc['item_code']),
          text(doc['price_list']),
          text(doc['uom']),
          text(doc['customer']),
          text(doc['valid_from']),
          text(doc['valid_upto']),
          text(doc['price_list_rate']) || '0',
          text(doc['currency']),
          text(doc['packing_unit']) || '0',
          text(doc['batch_no']),
          text(doc['supplier']),
          text(doc['modified']),
        );
        break;
      case 'Customer':
        this.applyCustomer(doc);
        break;
      case 'Bin':
        this.s.upsertBin.run(
          name,
          text(doc['item_code']),
          text(doc['warehouse']),
          text(doc['actual_qty']) || '0',
          text(doc['reserved_qty']) || '0',
          text(doc['projected_qty']) || '0',
          text(doc['modified']),
        );
        break;
    }
  }

  /** Removes a document ERPNext deleted (from Deleted Document). */
  remove(doctype: string, name: string): void {
    this.s.deleteDoc.run(doctype, name);
    switch (doctype) {
      case 'Item': {
        const id = this.s.itemId.get(name) as number | undefined;
        if (id !== undefined) this.s.deleteItemFts.run(id);
        this.s.deleteItem.run(name);
        this.s.deleteBarcodes.run(name);
        break;
      }
      case 'Item Price':
        this.s.deletePrice.run(name);
        break;
      case 'Customer': {
        const id = this.s.customerId.get(name) as number | undefined;
        if (id !== undefined) this.s.deleteCustomerFts.run(id);
        this.s.deleteCustomer.run(name);
        break;
      }
      case 'Bin':
        this.s.deleteBin.run(name);
        break;
    }
  }

  /** The `modified` the store holds for a document, wherever it is kept; undefined if absent. */
  modifiedOf(doctype: string, name: string): string | undefined {
    if (doctype === 'Item Price') return this.s.priceModified.get(name) as string | undefined;
    if (doctype === 'Bin') return this.s.binModified.get(name) as string | undefined;
    return this.s.docModified.get(doctype, name) as string | undefined;
  }

  /** Records held per doctype (the cache plus the projection-only doctypes). */
  counts(): Record<string, number> {
    const out = Object.fromEntries(
      (
        this.db.prepare('SELECT doctype, count(*) AS n FROM doc GROUP BY doctype').all() as {
          doctype: string;
          n: number;
        }[]
      ).map((r) => [r.doctype, r.n]),
    );
    out['Item Price'] = this.db.prepare('SELECT count(*) FROM item_price').pluck().get() as number;
    out['Bin'] = this.db.prepare('SELECT count(*) FROM bin').pluck().get() as number;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  private applyItem(doc: ErpDoc): void {
    const code = text(doc['item_code']) || text(doc['name']);
    const barcodes = rows(doc['barcodes']);
    const itemName = text(doc['item_name']) || code;
    const group = text(doc['item_group']);
    const brand = text(doc['brand']);
    const stockUom = text(doc['stock_uom']);
    const isStock = flag(doc['is_stock_item']);
    const disabled = flag(doc['disabled']);
    const cols = [itemName, group, brand, stockUom, isStock, disabled, flag(doc['has_variants'])];
    let id = this.s.itemId.get(code) as number | undefined;
    // A new item has no barcode rows and no search row yet: nothing to delete.
    const known = id !== undefined;
    if (id === undefined) id = Number(this.s.insertItem.run(code, ...cols).lastInsertRowid);
    else this.s.updateItem.run(...cols, id);
    if (known) this.s.deleteBarcodes.run(code);
    if (!disabled) {
      for (const b of barcodes) {
        const barcode = text(b['barcode']);
        if (!barcode) continue;
        const uom = text(b['uom']);
        this.s.insertBarcode.run(barcode, code, uom, itemName, group, brand, stockUom, isStock);
      }
    }
    if (this.deferItemSearch) return;
    // Disabled items stay in the cache (ERPNext may enable them again) but not in search.
    if (known) this.s.deleteItemFts.run(id);
    if (disabled) return;
    this.s.insertItemFts.run(id, code, itemName, barcodes.map((b) => text(b['barcode'])).join(' '));
  }

  private applyCustomer(doc: ErpDoc): void {
    const name = text(doc['name']);
    const row = {
      name,
      customer_name: text(doc['customer_name']) || name,
      customer_group: text(doc['customer_group']),
      mobile_no: text(doc['mobile_no']),
      email_id: text(doc['email_id']),
      loyalty_program: text(doc['loyalty_program']),
      disabled: flag(doc['disabled']),
    };
    const id = this.s.upsertCustomer.pluck().get(row) as number;
    this.s.deleteCustomerFts.run(id);
    const digits = row.mobile_no.replace(/\D/g, '');
    this.s.insertCustomerFts.run(
      id,
      name,
      row.customer_name,
      row.mobile_no,
      row.email_id,
      [...digits].reverse().join(''),
    );
  }

  /** Queues a change for the next publish (incremental pulls). */
  stage(doctype: string, name: string, doc: ErpDoc | null): void {
    this.s.stage.run(doctype, name, doc ? JSON.stringify(doc) : null, doc ? 0 : 1);
  }

  /**
   * Applies every staged change and bumps the snapshot version, in one transaction: a sale reads
   * either the whole previous snapshot or the whole new one.
   */
  publish(): number {
    return this.db.transaction(() => {
      // Chunks, not an open iterator: better-sqlite3 cannot write while a read cursor is open.
      let after = 0;
      for (;;) {
        const chunk = this.s.staged.all(after) as Staged[];
        if (chunk.length === 0) break;
        for (const r of chunk) {
          if (r.deleted || r.data === null) this.remove(r.doctype, r.name);
          else {
            const where = `doc_stage ${r.doctype} ${r.name}`;
            this.apply(r.doctype, parseJsonWith(cachedDocSchema(r.doctype), r.data, where));
          }
          after = r.seq;
        }
      }
      this.s.clearStage.run();
      return this.bumpSnapshot();
    })();
  }

  stagedCount(): number {
    return this.db.prepare('SELECT count(*) FROM doc_stage').pluck().get() as number;
  }

  bumpSnapshot(): number {
    const next = this.snapshotVersion() + 1;
    this.s.setMeta.run('snapshot_version', String(next));
    return next;
  }

  snapshotVersion(): number {
    return Number(this.s.getMeta.get('snapshot_version') ?? 0);
  }

  getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }
}
