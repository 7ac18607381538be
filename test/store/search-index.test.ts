import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Lookup } from '../../src/store/lookup.js';
import { migrate } from '../../src/store/migrations.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'outpost-search-')), 'store.db');

const item = (code: string, name: string, barcodes: string[], disabled = 0) => ({
  name: code,
  item_code: code,
  item_name: name,
  item_group: 'Products',
  stock_uom: 'Nos',
  is_stock_item: 1,
  disabled,
  barcodes: barcodes.map((barcode) => ({ barcode, uom: 'Nos' })),
  uoms: [{ uom: 'Nos', conversion_factor: 1 }],
});

const QUERIES = [
  'b',
  'be',
  'benc',
  'bench',
  'bench item 1',
  'choc',
  'chocolate bar',
  'itm-0',
  '4006',
  'ó',
  'zz',
];

describe('item search index (migration 8: prefixes of 1 to 6 characters)', () => {
  it('rebuilds from the catalog’s rows: the same items found for every prefix, disabled ones left out, barcodes searchable', () => {
    const path = tmp();
    const db = openStore(path);
    const cat = new Catalog(db);
    db.transaction(() => {
      for (let i = 0; i < 40; i++) {
        cat.apply(
          'Item',
          item(`ITM-${String(i).padStart(4, '0')}`, `Bench item ${i}`, [
            `40060000${String(i).padStart(4, '0')}`,
          ]),
        );
      }
      cat.apply('Item', item('CHOC-1', 'Chocolate bar dark', ['4007000000011', '4007000000028']));
      cat.apply('Item', item('CHOC-2', 'Chocolate bar milk', [], 1));
      cat.apply('Item', item('CAFE-1', 'Café ólé blend', []));
    })();
    const look = new Lookup(db);
    const before = QUERIES.map((q) => look.search(q, 50).map((r) => r.item_code));
    expect(before[QUERIES.indexOf('chocolate bar')]).toEqual(['CHOC-1']);
    expect(before[QUERIES.indexOf('4006')]?.length).toBe(40);
    expect(before[QUERIES.indexOf('ó')]).toEqual(['CAFE-1']);
    expect(look.search('4007000000028', 5).map((r) => r.item_code)).toEqual(['CHOC-1']);

    // As a store at version 7 would be: migration 8 not applied, its index holding nothing yet.
    db.exec('DELETE FROM item_fts; DELETE FROM schema_migrations WHERE version = 8');
    expect(new Lookup(db).search('bench', 50)).toEqual([]);
    migrate(db);
    const after = new Lookup(db);
    expect(QUERIES.map((q) => after.search(q, 50).map((r) => r.item_code))).toEqual(before);
    expect(after.search('4007000000028', 5).map((r) => r.item_code)).toEqual(['CHOC-1']);
    expect(
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'item_fts'").pluck().get(),
    ).toContain("prefix = '1 2 3 4 5 6'");
    db.close();
  });
});
