import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineMemo, Master, priceDraft, quote, type MasterInput } from '../../src/core/index.js';
import { baseMaster, draft, outcome, rule } from './fixture.js';

// A till prices its cart again after every scan, with a `LineMemo` of the lines it priced
// before: whatever the cart went through, each quote must be byte for byte the quote of the
// same cart without one — refusals included.

type Rec = Record<string, unknown>;
interface Case {
  readonly name: string;
  readonly input: MasterInput;
  readonly draft: Rec;
  readonly customers: readonly string[];
}

const dir = join(import.meta.dirname, '../fixtures/parity');
const parity: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      system: Rec;
      master: Rec;
      draft: Rec;
    };
    const customers = ((c.master['Customer'] as Rec[] | undefined) ?? []).map((r) =>
      String(r['name']),
    );
    return { name: f, input: { system: c.system, ...c.master }, draft: c.draft, customers };
  });

const rows = [
  { item_code: 'MILK', qty: 1 },
  { item_code: 'CHEESE', qty: 0.75 },
  { item_code: 'HAMMER', qty: 1 },
  { item_code: 'NAILS', qty: 2, uom: 'Box' },
  { item_code: 'GIFT', qty: 1 },
];
/** Rules whose lines read other lines or the document: such a line must never be kept. */
const wide: Case[] = [
  {
    name: 'mixed conditions',
    input: baseMaster({
      'Pricing Rule': [
        rule({
          mixed_conditions: 1,
          min_qty: 5,
          discount_percentage: 10,
          items: [{ item_code: 'MILK' }, { item_code: 'HAMMER' }],
        }),
        rule({ min_qty: 3, discount_percentage: 5, items: [{ item_code: 'NAILS' }] }),
      ],
    }),
    draft: draft(rows),
    customers: ['Walk-in', 'Goldie'],
  },
  {
    name: 'rule on other items',
    input: baseMaster({
      'Pricing Rule': [
        rule({
          apply_rule_on_other: 'Item Code',
          other_item_code: 'MILK',
          discount_percentage: 50,
          items: [{ item_code: 'HAMMER' }],
        }),
      ],
    }),
    draft: draft(rows),
    customers: ['Walk-in'],
  },
  {
    name: 'product rules',
    input: baseMaster({
      'Pricing Rule': [
        rule({
          price_or_product_discount: 'Product',
          same_item: 1,
          is_recursive: 1,
          recurse_for: 2,
          free_qty: 1,
          round_free_qty: 1,
          items: [{ item_code: 'MILK' }],
        }),
        rule({
          price_or_product_discount: 'Product',
          min_qty: 2,
          free_item: 'GIFT',
          free_qty: 1,
          items: [{ item_code: 'HAMMER' }],
        }),
      ],
    }),
    draft: draft(rows),
    customers: ['Walk-in'],
  },
  {
    name: 'a Python condition and a cumulative rule',
    input: baseMaster({
      'Pricing Rule': [
        rule({
          condition: "customer=='Goldie'",
          discount_percentage: 15,
          items: [{ item_code: 'CHEESE' }],
        }),
        rule({
          is_cumulative: 1,
          min_qty: 2,
          discount_percentage: 20,
          items: [{ item_code: 'HAMMER' }],
        }),
        rule({ min_qty: 3, discount_percentage: 10, items: [{ item_code: 'MILK' }] }),
      ],
    }),
    draft: draft(rows),
    customers: ['Walk-in', 'Goldie'],
  },
];

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    row: fc.nat(),
    qty: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('qty' as const),
    at: fc.nat(),
    qty: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('customer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('discount' as const), pct: fc.integer({ min: 0, max: 20 }) }),
);

describe('a line memo across the carts of one till', () => {
  it('prices every cart as a quote without the memo would, whatever the edits', () => {
    fc.assert(
      fc.property(
        // Half the runs on the rules that read other lines, where a stale line would show.
        fc.oneof(fc.constantFrom(...parity), fc.constantFrom(...wide)),
        fc.array(op, { minLength: 1, maxLength: 14 }),
        (c, ops) => {
          const pool = (c.draft['items'] as Rec[] | undefined) ?? [];
          const memo = new LineMemo();
          let items: Rec[] = [];
          let header: Rec = { ...c.draft };
          for (const o of ops) {
            if (o.kind === 'add') {
              const row = pool[o.row % Math.max(1, pool.length)] ?? {};
              items = [...items, { ...row, ...(o.qty !== undefined ? { qty: o.qty } : {}) }];
            } else if (o.kind === 'remove' && items.length > 0) {
              items = items.filter((_, i) => i !== o.at % items.length);
            } else if (o.kind === 'qty' && items.length > 0) {
              const at = o.at % items.length;
              items = items.map((r, i) => (i === at ? { ...r, qty: o.qty } : r));
            } else if (o.kind === 'customer' && c.customers.length > 0) {
              header = { ...header, customer: c.customers[o.pick % c.customers.length] };
            } else if (o.kind === 'discount') {
              header = { ...header, additional_discount_percentage: o.pct };
            }
            if (items.length === 0) continue;
            const d = { ...header, items };
            const withMemo = outcome(() =>
              priceDraft(new Master(c.input), d, { lines: memo }).settle(d),
            );
            expect(withMemo, c.name).toBe(outcome(() => quote(c.input, d)));
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('prices a cart of 40 lines and one more by pricing the one', () => {
    const c = wide[3] as Case;
    const memo = new LineMemo();
    const plain = Array.from({ length: 40 }, (_, i) => ({
      item_code: i % 2 ? 'NAILS' : 'GIFT',
      qty: i + 1,
    }));
    const price = (items: Rec[]) => {
      const d = draft(items);
      return outcome(() => priceDraft(new Master(c.input), d, { lines: memo }).settle(d));
    };
    price(plain);
    expect(memo.size).toBe(40);
    expect(memo.taken).toBe(0);
    const more = [...plain, { item_code: 'NAILS', qty: 2, uom: 'Box' }];
    expect(price(more)).toBe(outcome(() => quote(c.input, draft(more))));
    expect(memo.taken).toBe(40);
    expect(memo.size).toBe(41);
  });

  it('never keeps a line whose rules read the document or other lines', () => {
    const memo = new LineMemo();
    const d = draft(rows, { customer: 'Goldie' });
    // CHEESE: a Python condition; HAMMER: cumulative; MILK, NAILS, GIFT: their own rows only.
    const c = wide[3] as Case;
    priceDraft(new Master(c.input), d, { lines: memo }).settle(d);
    expect(memo.size).toBe(3);
    for (const w of wide.slice(0, 3)) {
      const m = new LineMemo();
      const two = draft([
        { item_code: 'MILK', qty: 3 },
        { item_code: 'HAMMER', qty: 2 },
      ]);
      priceDraft(new Master(w.input), two, { lines: m }).settle(two);
      expect(m.size, w.name).toBe(0);
    }
  });

  it('keeps at most its limit of lines', () => {
    const memo = new LineMemo(5);
    const c = wide[3] as Case;
    const d = draft(Array.from({ length: 7 }, (_, i) => ({ item_code: 'GIFT', qty: i + 1 })));
    priceDraft(new Master(c.input), d, { lines: memo }).settle(d);
    expect(memo.size).toBeLessThanOrEqual(5);
  });
});
