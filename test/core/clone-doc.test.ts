import { describe, expect, it } from 'vitest';
import { Dec, quote } from '../../src/core/index.js';
import { cloneDoc } from '../../src/core/invoice/clone-doc.js';
import { baseMaster, draft, rule } from './fixture.js';

/** Every object reachable from `a` that `b` shares at the same place (decimals excepted). */
function shared(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === null || typeof a !== 'object' || a instanceof Dec) return;
  if (a === b) out.push(path);
  if (a instanceof Map && b instanceof Map) {
    for (const [k, v] of a) shared(v, b.get(k), `${path}.get(${String(k)})`, out);
  } else {
    for (const [k, v] of Object.entries(a))
      shared(v, (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
}

describe('cloneDoc', () => {
  it('copies every row, table and map of a priced invoice and shares only the settings', () => {
    const master = baseMaster({
      'Sales Taxes and Charges Template': [
        {
          name: 'T',
          company: 'Test Co',
          taxes: [{ charge_type: 'On Net Total', rate: 8.25, account_head: 'Sales Tax - TC' }],
        },
      ],
      'Pricing Rule': [
        rule({ items: [{ item_code: 'MILK' }], discount_percentage: 10 }),
        // A condition the engine cannot run: noted in unsupported_pricing_rules.
        rule({
          items: [{ item_code: 'HAMMER' }],
          discount_percentage: 5,
          condition: 'frappe.db.get_value("Item", "x")',
        }),
      ],
    });
    const q = quote(
      master,
      draft(
        [
          { item_code: 'MILK', qty: 2 },
          { item_code: 'HAMMER', qty: 1 },
        ],
        {
          taxes_and_charges: 'T',
          payments: [{ mode_of_payment: 'Cash', amount: 30 }],
        },
      ),
    );
    expect(q.doc.items.length).toBe(2);
    expect(q.doc.taxes.length).toBe(1);
    expect(q.doc.taxes[0]?.item_wise_tax_detail.size).toBe(2);
    expect(q.doc.payments.length).toBe(1);
    expect(q.doc.unsupported_pricing_rules.length).toBe(1);

    const copy = cloneDoc(q.doc);
    expect(copy).toEqual(q.doc);
    const found: string[] = [];
    shared(q.doc, copy, 'doc', found);
    expect(found).toEqual(['doc.precision']);
  });
});
