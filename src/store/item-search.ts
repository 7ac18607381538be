import type { Db } from './db.js';

/**
 * Fills the item search index (item_fts) from the catalog's rows in one statement, replacing
 * whatever it held: enabled items only, their barcodes as one column (their order within it
 * does not matter to a match). The caller owns the transaction, so a reader sees the old index
 * or the whole new one.
 *
 * Why not row by row during a bulk load: with prefixes of 1 to 6 characters (migration 8) each
 * word is indexed seven times, and the index is the largest single cost of loading an item.
 * One INSERT … SELECT in rowid order, after the rows are in, appends to one growing set of
 * pending terms and flushes it in large segments; row by row, each page's commit flushes its
 * own small segments, which FTS5 merges again and again as the load goes on.
 */
export function fillItemSearch(db: Db): number {
  db.exec('DELETE FROM item_fts');
  return db
    .prepare(
      `INSERT INTO item_fts (rowid, item_code, item_name, barcodes)
       SELECT i.id, i.item_code, i.item_name,
         coalesce((SELECT group_concat(b.barcode, ' ') FROM item_barcode b WHERE b.item_code = i.item_code), '')
       FROM item i WHERE i.disabled = 0 ORDER BY i.id`,
    )
    .run().changes;
}
