import type { Db } from './db.js';

/**
 * Read-only queries behind `outpost conflicts`: the sales of a period, and for each one the few
 * pulled records it named, each by its primary key or a unique index, so a report over 10,000
 * sales costs a handful of indexed reads per sale and never a re-pricing.
 */

/** A sale (or the sale half of an exchange) as the `sale` index lists it. */
export interface SaleRow {
  readonly seq: number;
  readonly invoice_no: string;
  readonly uuid: string;
  readonly created_at: string;
}

/** An Item Price as the pull's projection holds it (decimal text, blank for unset). */
export interface PriceRow {
  readonly item_code: string;
  readonly price_list: string;
  readonly customer: string;
  readonly supplier: string;
  readonly batch_no: string;
  readonly uom: string;
  readonly valid_from: string;
  readonly valid_upto: string;
  readonly price_list_rate: string;
  readonly packing_unit: string;
}

/** A cached document's JSON text and its `modified` as ERPNext stamped it. */
export interface DocRow {
  readonly modified: string;
  readonly data: string;
}

/** A figure ERPNext holds that the signed record does not (recorded by the push). */
export interface TotalsRow {
  readonly uuid: string;
  readonly remote_doctype: string;
  readonly remote_name: string;
  readonly field: string;
  readonly signed: string;
  readonly erpnext: string;
}

export class ConflictReads {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      // Voids, returns and training sales change nothing ERPNext priced: only sales are compared.
      sales: db.prepare(
        `SELECT seq, invoice_no, uuid, created_at FROM sale
         WHERE kind = 'sale' AND invoice_no IS NOT NULL AND created_at >= ? ORDER BY seq`,
      ),
      prices: db.prepare(
        `SELECT item_code, price_list, customer, supplier, batch_no, uom, valid_from, valid_upto,
           price_list_rate, packing_unit
         FROM item_price WHERE item_code = ? AND price_list = ?`,
      ),
      doc: db.prepare('SELECT modified, data FROM doc WHERE doctype = ? AND name = ?'),
      docsOf: db.prepare('SELECT name, modified, data FROM doc WHERE doctype = ? ORDER BY name'),
      localCustomer: db
        .prepare('SELECT erpnext_name FROM customer_local WHERE name = ? OR uuid = ?')
        .pluck(),
      // Every record the push found different, of any kind (a return's totals count too).
      totals: db.prepare(
        `SELECT c.uuid, c.remote_doctype, c.remote_name, c.field, c.signed, c.erpnext
         FROM push_conflict c WHERE c.uuid = ? ORDER BY c.id`,
      ),
      conflictedSince: db.prepare(
        `SELECT s.seq, s.invoice_no, s.uuid, s.created_at FROM sale s
         WHERE s.invoice_no IS NOT NULL AND s.created_at >= ?
           AND EXISTS (SELECT 1 FROM push_conflict c WHERE c.uuid = s.uuid) ORDER BY s.seq`,
      ),
    };
  }

  /** Sales recorded at or after `since` (an ISO date or time, compared as text), by seq. */
  salesSince(since: string): SaleRow[] {
    return this.s.sales.all(since) as SaleRow[];
  }

  /** Sales, returns and voids at or after `since` that the push recorded a totals conflict for. */
  totalsConflictedSince(since: string): SaleRow[] {
    return this.s.conflictedSince.all(since) as SaleRow[];
  }

  /** Every Item Price of an item in a price list (the primary key's prefix). */
  prices(itemCode: string, priceList: string): PriceRow[] {
    return this.s.prices.all(itemCode, priceList) as PriceRow[];
  }

  /** A pulled document, or undefined when the store does not hold it (never pulled, deleted). */
  doc(doctype: string, name: string): DocRow | undefined {
    return this.s.doc.get(doctype, name) as DocRow | undefined;
  }

  /** Every pulled document of a doctype, by name (for the few hundred Pricing Rules). */
  docsOf(doctype: string): (DocRow & { readonly name: string })[] {
    return this.s.docsOf.all(doctype) as (DocRow & { readonly name: string })[];
  }

  /**
   * A customer created at the till: the name ERPNext gave it ('' while not pushed), or
   * undefined when `name` is not one of the till's own customers.
   */
  localCustomer(name: string): string | undefined {
    return this.s.localCustomer.get(name, name) as string | undefined;
  }

  /** The totals conflicts the push recorded for one record. */
  totals(uuid: string): TotalsRow[] {
    return this.s.totals.all(uuid) as TotalsRow[];
  }
}
