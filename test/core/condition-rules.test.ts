import { describe, expect, it } from 'vitest';
import { QuoteError } from '../../src/core/index.js';
import { baseMaster, draft, item, price, rule, run } from './fixture.js';

/** ERPNext's `_Test Customer 1` / `_Test Customer 2` and `_Test Item`, in the engine's shape. */
const customers = {
  Customer: [
    {
      name: '_Test Customer 1',
      customer_name: '_Test Customer 1',
      customer_group: 'Retail',
      territory: 'All Territories',
    },
    {
      name: '_Test Customer 2',
      customer_name: '_Test Customer 2',
      customer_group: 'Retail',
      territory: 'All Territories',
    },
  ],
  Item: [item('_Test Item', 'Tools'), item('PR Transaction Condition', 'Tools')],
  'Item Price': [price('_Test Item', 100)],
};

describe("ERPNext's test_pricing_rule_for_condition (pricing_rule/test_pricing_rule.py)", () => {
  const m = baseMaster({
    ...customers,
    'Pricing Rule': [
      rule({
        margin_type: 'Percentage',
        condition: "customer=='_Test Customer 1' and is_return==0",
        discount_percentage: 10,
        items: [{ item_code: '_Test Item' }],
      }),
    ],
  });
  // create_sales_invoice sends rate 100; the test sets price_list_rate 1000 before submitting.
  const sale = (customer: string, more: Record<string, unknown> = {}, qty = 1) =>
    run(
      m,
      draft([{ item_code: '_Test Item', qty, rate: 100, price_list_rate: 1000 }], {
        customer,
        ...more,
      }),
    );

  it('incorrect customer, correct is_return: rate stays 100', () => {
    const out = sale('_Test Customer 2');
    expect(out.items[0]).toMatchObject({ rate: 100, amount: 100, pricing_rules: '' });
    expect(out['grand_total']).toBe(100);
  });

  it('correct customer, is_return 1: rate stays 100', () => {
    const out = sale('_Test Customer 1', { is_return: 1 }, -1);
    expect(out.items[0]).toMatchObject({ rate: 100, amount: -100 });
    expect(out['grand_total']).toBe(-100);
  });

  it('correct customer and is_return 0: the rule applies, rate 900', () => {
    const out = sale('_Test Customer 1');
    expect(out.items[0]).toMatchObject({
      price_list_rate: 1000,
      discount_percentage: 10,
      rate: 900,
      amount: 900,
    });
    expect(out['grand_total']).toBe(900);
    expect(out['unsupported_pricing_rules']).toEqual([]);
  });
});

describe("ERPNext's test_pricing_rule_for_transaction_with_condition", () => {
  const m = baseMaster({
    ...customers,
    'Pricing Rule': [
      rule({
        apply_on: 'Transaction',
        price_or_product_discount: 'Product',
        min_qty: 0,
        free_item: 'PR Transaction Condition',
        free_qty: 1,
        free_item_rate: 10,
        condition: "customer=='_Test Customer 1'",
      }),
    ],
  });
  const sale = (customer: string) =>
    run(m, draft([{ item_code: '_Test Item', qty: 5, rate: 100 }], { customer }));

  it('_Test Customer 1 gets the free row at rate 10', () => {
    const out = sale('_Test Customer 1');
    expect(out.items).toHaveLength(2);
    expect(out.items[1]).toMatchObject({
      item_code: 'PR Transaction Condition',
      qty: 1,
      rate: 10,
      is_free_item: 1,
    });
    expect(out['total']).toBe(510);
  });

  it('_Test Customer 2 does not', () => {
    const out = sale('_Test Customer 2');
    expect(out.items).toHaveLength(1);
    expect(out['total']).toBe(500);
  });
});

describe('conditions in the engine', () => {
  const withCondition = (condition: string) =>
    baseMaster({
      'Pricing Rule': [
        rule({ condition, discount_percentage: 10, items: [{ item_code: 'HAMMER' }] }),
      ],
    });

  it('a condition on the invoice totals sees them at the transaction stage', () => {
    const m = baseMaster({
      'Pricing Rule': [
        rule({
          apply_on: 'Transaction',
          discount_percentage: 10,
          condition: 'grand_total >= 40.0 and total_qty == 2',
        }),
      ],
    });
    expect(run(m, draft([{ item_code: 'HAMMER', qty: 2 }]))).toMatchObject({
      total: 40,
      discount_amount: 4,
      grand_total: 36,
    });
    expect(run(m, draft([{ item_code: 'HAMMER', qty: 1 }]))).toMatchObject({
      total: 20,
      discount_amount: 0,
      grand_total: 20,
    });
  });

  it('a condition that raises in Python drops the rule, as ERPNext does, and says why', () => {
    const out = run(withCondition('len(customer) > 3'), draft([{ item_code: 'HAMMER', qty: 1 }]));
    expect(out.items[0]?.['rate']).toBe(20);
    expect(out['unsupported_pricing_rules']).toEqual([
      expect.objectContaining({
        item_code: 'HAMMER',
        reason: expect.stringContaining("NameError: name 'len' is not defined") as string,
      }),
    ]);
  });

  it('an indented condition is an IndentationError in ERPNext: the rule never applies', () => {
    const out = run(
      withCondition(" customer == 'Walk-in'"),
      draft([{ item_code: 'HAMMER', qty: 1 }]),
    );
    expect(out.items[0]?.['rate']).toBe(20);
  });

  it('a condition the till cannot evaluate refuses the invoice loudly', () => {
    const m = withCondition('[c for c in customer]');
    expect(() => run(m, draft([{ item_code: 'HAMMER', qty: 1 }]))).toThrow(QuoteError);
    try {
      run(m, draft([{ item_code: 'HAMMER', qty: 1 }]));
    } catch (e) {
      expect((e as QuoteError).toJSON()).toMatchObject({
        kind: 'UnsupportedPricingRule',
        field: expect.stringMatching(/^Pricing Rule PR-\d{4}\.condition$/) as string,
      });
    }
  });

  it('a field the till does not track refuses rather than guesses', () => {
    const m = withCondition("project == 'X'");
    expect(() => run(m, draft([{ item_code: 'HAMMER', qty: 1 }]))).toThrow(/the field project/);
  });

  it('customer_group, territory and string methods', () => {
    const m = withCondition("customer_group in ('Gold', 'VIP') and territory.startswith('All')");
    expect(
      run(m, draft([{ item_code: 'HAMMER', qty: 1 }], { customer: 'Goldie' })).items[0]?.['rate'],
    ).toBe(18);
    expect(run(m, draft([{ item_code: 'HAMMER', qty: 1 }])).items[0]?.['rate']).toBe(20);
  });
});
