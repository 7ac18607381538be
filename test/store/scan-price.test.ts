import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ean13CheckDigit } from '../../src/core/index.js';
import { Catalog } from '../../src/store/catalog.js';
import { openStore } from '../../src/store/db.js';
import { Lookup } from '../../src/store/lookup.js';

const ean = (b: string) => b + String(ean13CheckDigit(b));
const LIST = 'Standard Selling';

/** The scan's price as the statement before the max() rewrite chose it, the reference. */
const REFERENCE = `SELECT (SELECT p.price_list_rate FROM item_price p
    WHERE p.item_code = b.item_code AND p.price_list = ? AND p.customer = ''
      AND p.uom IN ('', CASE b.uom WHEN '' THEN b.stock_uom ELSE b.uom END)
      AND p.valid_from <= ? AND (p.valid_upto = '' OR p.valid_upto >= ?)
    ORDER BY p.valid_from DESC, p.uom DESC LIMIT 1)
  FROM item_barcode b WHERE b.barcode = ?`;

/** Prices that make the choice hard: dated, expired, per UOM, a customer's, ties. */
const PRICES: [item: string, name: string, fields: Record<string, string | number>][] = [
  ['A', 'A-1', { price_list_rate: 1 }],
  ['A', 'A-2', { price_list_rate: 2, valid_from: '2026-06-01' }],
  ['A', 'A-3', { price_list_rate: 3, valid_from: '2026-09-01', valid_upto: '2026-09-30' }],
  ['A', 'A-4', { price_list_rate: 4, uom: 'Box', valid_from: '2026-07-01' }],
  ['A', 'A-5', { price_list_rate: 5, customer: 'CUST-1', valid_from: '2026-08-01' }],
  ['B', 'B-1', { price_list_rate: 11, uom: 'Nos' }],
  ['B', 'B-2', { price_list_rate: 12 }],
  ['B', 'B-3', { price_list_rate: 13, valid_from: '2026-05-01' }],
  ['B', 'B-4', { price_list_rate: 14, uom: 'Nos', valid_from: '2026-05-01' }],
  // Ties on (valid_from, uom): the sort kept the last name in key order.
  ['C', 'C-2', { price_list_rate: 22, valid_from: '2026-04-01' }],
  ['C', 'C-3', { price_list_rate: 24, valid_from: '2026-04-01' }],
  ['C', 'C-1', { price_list_rate: 21, valid_from: '2026-04-01' }],
  ['C', 'C-4', { price_list_rate: 23, uom: 'Kg', valid_from: '2026-04-01' }],
  ['D', 'D-1', { price_list_rate: 31, valid_from: '2026-10-01' }],
  ['D', 'D-2', { price_list_rate: 32, price_list: 'Other' }],
];
const BARCODES: Record<string, { barcode: string; uom?: string }[]> = {
  A: [{ barcode: ean('400000000011') }, { barcode: ean('400000000012'), uom: 'Box' }],
  B: [{ barcode: ean('400000000021'), uom: 'Nos' }, { barcode: ean('400000000022') }],
  C: [{ barcode: ean('400000000031') }, { barcode: ean('400000000032'), uom: 'Kg' }],
  D: [{ barcode: ean('400000000041') }],
};
const DATES = ['2026-01-01', '2026-05-01', '2026-06-15', '2026-07-01', '2026-09-15', '2026-10-02'];

describe('the scan’s list price (one statement, no sort)', () => {
  it('picks the price the ORDER BY … LIMIT 1 statement picked, for every barcode and date', () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-scan-price-')), 'store.db'));
    const cat = new Catalog(db);
    db.transaction(() => {
      for (const [code, barcodes] of Object.entries(BARCODES)) {
        cat.apply('Item', {
          name: code,
          item_code: code,
          item_name: code,
          stock_uom: 'Nos',
          barcodes,
        });
      }
      for (const [item, name, fields] of PRICES) {
        cat.apply('Item Price', { name, item_code: item, price_list: LIST, ...fields });
      }
    })();
    const look = new Lookup(db);
    const reference = db.prepare(REFERENCE).pluck();
    const got: Record<string, (string | null)[]> = {};
    for (const barcodes of Object.values(BARCODES)) {
      for (const { barcode } of barcodes) {
        got[barcode] = DATES.map((d) => {
          const want = (reference.get(LIST, d, d, barcode) as string | undefined) ?? null;
          const rate = look.scanWithPrice(barcode, LIST, 'W', d)?.price_list_rate ?? null;
          expect(rate, `${barcode} on ${d}`).toBe(want);
          return rate;
        });
      }
    }
    // The known answers, so the reference itself is pinned too.
    // The known answers (by barcode, for each date), so the reference is pinned too.
    expect(Object.values(got)).toEqual([
      ['1', '1', '2', '2', '3', '2'],
      ['1', '1', '2', '4', '3', '4'],
      ['11', '14', '14', '14', '14', '14'],
      ['11', '14', '14', '14', '14', '14'],
      [null, '24', '24', '24', '24', '24'],
      [null, '23', '23', '23', '23', '23'],
      [null, null, null, null, null, '31'],
    ]);
  });
});
