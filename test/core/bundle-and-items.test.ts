import { describe, expect, it } from 'vitest';
import { quote } from '../../src/core/index.js';
import { baseMaster, draft, item, price, run } from './fixture.js';

describe('bundles and item checks', () => {
  const m = baseMaster({
    Item: [item('KIT', 'Tools')],
    'Item Price': [price('KIT', 29.99)],
    'Product Bundle': [
      {
        name: 'KIT',
        new_item_code: 'KIT',
        items: [
          { item_code: 'HAMMER', qty: 1, uom: 'Nos' },
          { item_code: 'NAILS', qty: 100, uom: 'Nos' },
        ],
      },
    ],
  });

  it('a bundle is priced on the parent and lists its components scaled by the quantity', () => {
    const q = quote(m, draft([{ item_code: 'KIT', qty: 2 }]));
    expect(q.doc.grand_total.toNumber()).toBe(59.98);
    expect(q.packed_items.map((p) => [p.parent_item, p.item_code, p.qty.toNumber()])).toEqual([
      ['KIT', 'HAMMER', 2],
      ['KIT', 'NAILS', 200],
    ]);
  });

  it('refuses disabled, end-of-life and template items, naming the row', () => {
    const bad = baseMaster({
      Item: [
        item('OLD', 'Tools', { end_of_life: '2026-11-27' }),
        item('OFF', 'Tools', { disabled: 1 }),
        item('TSHIRT', 'Tools', { has_variants: 1 }),
      ],
    });
    for (const [code, message] of [
      ['OLD', /end of life/],
      ['OFF', /is disabled/],
      ['TSHIRT', /template/],
    ] as const) {
      expect(() =>
        run(
          bad,
          draft([
            { item_code: 'MILK', qty: 1 },
            { item_code: code, qty: 1 },
          ]),
        ),
      ).toThrowError(message);
      try {
        run(
          bad,
          draft([
            { item_code: 'MILK', qty: 1 },
            { item_code: code, qty: 1 },
          ]),
        );
      } catch (e) {
        expect((e as { field: string }).field).toBe('items[2].item_code');
      }
    }
  });

  it('a UOM the item does not list sells at factor 1, as ERPNext does, unless a global conversion exists', () => {
    const out = run(m, draft([{ item_code: 'HAMMER', qty: 1, uom: 'Box' }]));
    expect(out.items[0]).toMatchObject({ conversion_factor: 1, stock_qty: 1 });
    const withGlobal = {
      ...m,
      'UOM Conversion Factor': [{ from_uom: 'Box', to_uom: 'Nos', value: 12 }],
    };
    expect(
      run(withGlobal, draft([{ item_code: 'HAMMER', qty: 1, uom: 'Box' }])).items[0],
    ).toMatchObject({ conversion_factor: 12, rate: 240 });
  });
});
