import { describe, expect, it } from 'vitest';
import { baseMaster, draft, rule, run } from './fixture.js';

// A quote reads each rule's verdict on the invoice's conditions once (RuleMemo); what a verdict
// depends on per row (the row's warehouse) must still be judged row by row.

const warehouses = [
  { name: 'All Warehouses - TC', is_group: 1, parent_warehouse: '' },
  { name: 'Store - TC', is_group: 1, parent_warehouse: 'All Warehouses - TC' },
  { name: 'Front - TC', is_group: 0, parent_warehouse: 'Store - TC' },
  { name: 'Back - TC', is_group: 0, parent_warehouse: 'All Warehouses - TC' },
];

describe('pricing rules judged once per quote', () => {
  it('gives a warehouse rule to the rows in that warehouse (or below it) and to no other row', () => {
    const master = baseMaster({
      Warehouse: warehouses,
      'Pricing Rule': [
        rule({ items: [{ item_code: 'MILK' }], discount_percentage: 10, warehouse: 'Store - TC' }),
      ],
    });
    const out = run(
      master,
      draft([
        { item_code: 'MILK', qty: 1, warehouse: 'Front - TC' },
        { item_code: 'MILK', qty: 1, warehouse: 'Back - TC' },
        { item_code: 'MILK', qty: 1, warehouse: 'Store - TC' },
        { item_code: 'MILK', qty: 1, warehouse: 'Back - TC' },
      ]),
    );
    expect(out.items.map((i) => [i['warehouse'], i['rate'], i['discount_percentage']])).toEqual([
      ['Front - TC', 2.25, 10],
      ['Back - TC', 2.5, 0],
      ['Store - TC', 2.25, 10],
      ['Back - TC', 2.5, 0],
    ]);
    expect(out['total']).toBe(9.5);
  });
});
