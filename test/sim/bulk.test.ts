import { describe, expect, it } from 'vitest';
import { bulkInsertDocs } from '../../src/sim/bulk.js';
import { data, makeSite } from './site.js';

describe('bulkInsertDocs', () => {
  it('stores REST-shaped documents with their child tables, defaults and types', () => {
    const site = makeSite();
    const ctx = site.app.contextFor('Administrator');
    const docs = [1, 2].map((i) => ({
      doctype: 'Item',
      name: `BK-${i}`,
      owner: 'Administrator',
      creation: `2026-11-01 00:00:0${i}.000000`,
      modified: `2026-11-01 00:00:0${i}.000000`,
      modified_by: 'Administrator',
      item_code: `BK-${i}`,
      item_name: `Bulk ${i}`,
      item_group: 'Products',
      stock_uom: 'Nos',
      standard_rate: '2.5',
      barcodes: [{ name: `BK-${i}-b1`, barcode: `00${i}` }],
    }));
    expect(bulkInsertDocs(ctx, docs, 1)).toBe(2);
    const doc = data(site.get('/api/resource/Item/BK-2'));
    expect(doc).toMatchObject({ item_name: 'Bulk 2', standard_rate: 2.5, is_stock_item: 1 });
    expect(doc['barcodes']).toMatchObject([
      { name: 'BK-2-b1', barcode: '002', idx: 1, parent: 'BK-2' },
    ]);
  });
});
