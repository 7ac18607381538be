import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ean13CheckDigit } from '../../src/core/index.js';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Lookup } from '../../src/store/lookup.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'outpost-stock-')), 'store.db');
const ean = (b: string) => b + String(ean13CheckDigit(b));
const MILK = ean('400000000001');
const TEA = ean('400000000002');

function store() {
  const db = openStore(tmp());
  const cat = new Catalog(db);
  db.transaction(() => {
    cat.apply('Item', {
      name: 'MILK-1L',
      item_code: 'MILK-1L',
      item_name: 'Milk 1L',
      stock_uom: 'Nos',
      is_stock_item: 1,
      barcodes: [{ barcode: MILK, uom: 'Nos' }],
    });
    cat.apply('Item', {
      name: 'TEA',
      item_code: 'TEA',
      item_name: 'Green tea',
      stock_uom: 'Kg',
      is_stock_item: 1,
      barcodes: [{ barcode: TEA }],
    });
    cat.apply('Item Price', {
      name: 'IP-1',
      item_code: 'MILK-1L',
      price_list: 'Standard Selling',
      price_list_rate: 1.29,
    });
    cat.apply('Bin', {
      name: 'BIN-1',
      item_code: 'MILK-1L',
      warehouse: 'W',
      actual_qty: 40,
      reserved_qty: 2.5,
    });
    cat.apply('Bin', {
      name: 'BIN-2',
      item_code: 'MILK-1L',
      warehouse: 'Other',
      actual_qty: 7,
      reserved_qty: 0,
    });
  })();
  const pending = db.prepare(
    'INSERT OR REPLACE INTO stock_pending (item_code, warehouse, qty) VALUES (?, ?, ?)',
  );
  return { db, look: new Lookup(db), pending };
}

describe('stock net of local unsynced sales', () => {
  it('the scan subtracts reserved and stock_pending from the Bin, per warehouse', () => {
    const { look, pending } = store();
    expect(look.scanWithPrice(MILK, 'Standard Selling', 'W', '2026-11-27')).toMatchObject({
      price_list_rate: '1.29',
      actual_qty: '40',
      reserved_qty: '2.5',
      pending_qty: null,
      stock_qty: '37.5',
    });
    pending.run('MILK-1L', 'W', '3.1');
    const milk = look.scanWithPrice(MILK, 'Standard Selling', 'W', '2026-11-27');
    expect(milk).toMatchObject({
      item: { item_code: 'MILK-1L' },
      actual_qty: '40',
      reserved_qty: '2.5',
      pending_qty: '3.1',
      stock_qty: '34.4', // 40 − 2.5 − 3.1, in decimal arithmetic
    });
    // Another warehouse's local sales do not count.
    expect(look.scanWithPrice(MILK, 'Standard Selling', 'Other', '2026-11-27')?.stock_qty).toBe(
      '7',
    );
    // A return (negative pending) adds back.
    pending.run('MILK-1L', 'W', '-1');
    expect(look.scanWithPrice(MILK, 'Standard Selling', 'W', '2026-11-27')?.stock_qty).toBe('38.5');
    expect(look.bin('MILK-1L', 'W')).toEqual({
      actual_qty: '40',
      reserved_qty: '2.5',
      pending_qty: '-1',
      stock_qty: '38.5',
    });
  });

  it('local sales of an item without a pulled Bin give negative stock; nothing known gives null', () => {
    const { look, pending } = store();
    expect(look.scanWithPrice(TEA, 'Standard Selling', 'W', '2026-11-27')).toMatchObject({
      actual_qty: null,
      pending_qty: null,
      stock_qty: null,
    });
    expect(look.bin('TEA', 'W')).toBeNull();
    pending.run('TEA', 'W', '0.250');
    expect(look.scanWithPrice(TEA, 'Standard Selling', 'W', '2026-11-27')).toMatchObject({
      actual_qty: null,
      pending_qty: '0.250',
      stock_qty: '-0.25',
    });
    expect(look.stock('TEA', 'W').stock_qty).toBe('-0.25');
  });

  it('the exact scan is one statement, reading bin and stock_pending by their keys', () => {
    const { db, look } = store();
    const scan = (Reflect.get(look, 's') as { scanFull: { source: string } }).scanFull.source;
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${scan}`)
      .all({ code: MILK, pl: 'Standard Selling', wh: 'W', d: '2026-11-27' }) as {
      detail: string;
    }[];
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toMatch(/SEARCH b USING PRIMARY KEY \(barcode=\?\)/);
    expect(text).toMatch(/SEARCH s USING PRIMARY KEY \(item_code=\? AND warehouse=\?\)/);
    expect(text).toMatch(/SEARCH q USING PRIMARY KEY \(item_code=\? AND warehouse=\?\)/);
    // The price: one range of its primary key, no sort (the one-row max() is read as a
    // co-routine, not a table scan).
    expect(text).toMatch(
      /SEARCH p USING PRIMARY KEY \(item_code=\? AND price_list=\? AND customer=\?\)/,
    );
    expect(text).not.toMatch(/TEMP B-TREE/);
    expect(text).not.toMatch(/SCAN (?!\(subquery-\d+\))/);
  });
});
