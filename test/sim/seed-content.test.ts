import { describe, expect, it } from 'vitest';
import { demoSeed, HERO, type SeedDoc } from '../../src/sim/seed/index.js';

/** The demo company holds what the brief promises a believable retail shop has. */

const NOW = '2026-11-27 09:00:00.000000';
const seed = new Map(
  demoSeed({ items: 200, customers: 200, now: NOW }).map((t) => [t.doctype, [...t.records]]),
);
const all = (doctype: string): SeedDoc[] => seed.get(doctype) ?? [];
const rows = (doc: SeedDoc | undefined, table: string): SeedDoc[] =>
  Array.isArray(doc?.[table]) ? (doc[table] as SeedDoc[]) : [];
const codes = (rule: SeedDoc): unknown[] => rows(rule, 'items').map((r) => r['item_code']);

describe('demo pricing rules', () => {
  const rules = all('Pricing Rule');
  const some = (what: string, test: (r: SeedDoc) => boolean): SeedDoc[] => {
    const found = rules.filter(test);
    expect(found.length, what).toBeGreaterThan(0);
    return found;
  };
  const price = (r: SeedDoc, kind: string): boolean =>
    r['price_or_product_discount'] === 'Price' && r['rate_or_discount'] === kind;

  it('has one of each kind', () => {
    some(
      'Item Code % with min_qty',
      (r) =>
        r['apply_on'] === 'Item Code' &&
        price(r, 'Discount Percentage') &&
        Number(r['min_qty']) > 0,
    );
    some(
      'Item Group %',
      (r) =>
        r['apply_on'] === 'Item Group' &&
        rows(r, 'item_groups').length > 0 &&
        r['applicable_for'] === '',
    );
    some('Brand %', (r) => r['apply_on'] === 'Brand' && rows(r, 'brands').length > 0);
    some('Rate', (r) => price(r, 'Rate') && Number(r['rate']) > 0);
    some('Discount Amount', (r) => price(r, 'Discount Amount') && Number(r['discount_amount']) > 0);
    some(
      'Transaction with min_amt',
      (r) => r['apply_on'] === 'Transaction' && Number(r['min_amt']) > 0,
    );
    some(
      'buy 2 get 1 same item',
      (r) =>
        r['price_or_product_discount'] === 'Product' &&
        r['same_item'] === 1 &&
        r['min_qty'] === 2 &&
        r['free_qty'] === 1,
    );
    some(
      'free other item',
      (r) =>
        r['price_or_product_discount'] === 'Product' &&
        r['same_item'] === 0 &&
        r['free_item'] === HERO.tote,
    );
    some('date window', (r) => Boolean(r['valid_from']) && Boolean(r['valid_upto']));
    some(
      'customer group',
      (r) => r['applicable_for'] === 'Customer Group' && r['customer_group'] === 'Gold',
    );
  });

  it('resolves the banana conflict by priority, and stacks the olive oil pair', () => {
    const bananas = rules.filter((r) => codes(r).includes(HERO.bananas));
    expect(bananas.map((r) => r['priority'])).toEqual(['1', '5']);
    expect(bananas.every((r) => r['has_priority'] === 1)).toBe(true);
    const oil = rules.filter((r) => codes(r).includes(HERO.oliveOil));
    expect(oil).toHaveLength(2);
    expect(oil.every((r) => r['apply_multiple_pricing_rules'] === 1)).toBe(true);
  });

  it('opens the date window around the seed date', () => {
    const [pie] = rules.filter((r) => r['valid_upto']);
    expect([pie?.['valid_from'], pie?.['valid_upto']]).toEqual(['2026-11-24', '2026-12-01']);
  });
});

describe('demo company set-up', () => {
  it('has an exclusive default tax and an inclusive one', () => {
    const [us, vat] = all('Sales Taxes and Charges Template');
    expect(us).toMatchObject({
      name: 'US Sales Tax 8.875% - ODR',
      is_default: 1,
      company: 'Outpost Demo Retail',
    });
    expect(
      rows(us, 'taxes').map((t) => [t['charge_type'], t['rate'], t['included_in_print_rate']]),
    ).toEqual([
      ['On Net Total', 4, 0],
      ['On Net Total', 4.875, 0],
    ]);
    expect(vat).toMatchObject({ name: 'VAT 20% incl - ODR', is_default: 0 });
    expect(rows(vat, 'taxes').map((t) => [t['rate'], t['included_in_print_rate']])).toEqual([
      [20, 1],
    ]);
  });

  it('attaches item tax templates to groups and to items', () => {
    const groups = all('Item Group').filter((g) => rows(g, 'taxes').length > 0);
    expect(groups.map((g) => g.name).sort()).toEqual(['Grocery', 'Produce']);
    expect(all('Item').some((i) => rows(i, 'taxes').length > 0)).toBe(true);
    expect(all('Item Tax Template').map((t) => t.name)).toEqual([
      'Zero Rated - ODR',
      'Reduced Rate - ODR',
    ]);
  });

  it('runs one loyalty program many customers belong to', () => {
    const [program] = all('Loyalty Program');
    expect(program).toMatchObject({
      loyalty_program_type: 'Single Tier Program',
      conversion_factor: 0.01,
      expiry_duration: 365,
      company: 'Outpost Demo Retail',
    });
    expect(rows(program, 'collection_rules')).toMatchObject([
      { min_spent: 0, collection_factor: 1 },
    ]);
    const customers = all('Customer');
    const members = customers.filter((c) => c['loyalty_program'] === program?.name);
    expect(members.length).toBeGreaterThan(customers.length / 4);
    expect(members.length).toBeLessThan(customers.length);
  });

  it('has customers in each group, some disabled, each with a phone and an e-mail', () => {
    const customers = all('Customer').slice(1);
    const groups = new Set(customers.map((c) => c['customer_group']));
    expect([...groups].sort()).toEqual(['Gold', 'Individual', 'Members']);
    expect(customers.some((c) => c['disabled'] === 1)).toBe(true);
    for (const c of customers) {
      expect(c['mobile_no']).toMatch(/^\+1-555-\d{3}-\d{4}$/);
      expect(c['email_id']).toMatch(/^[a-z]+\.[a-z]+\d*@example\.com$/);
    }
    const member = all('Customer Group').find((g) => g.name === 'Members');
    expect(member?.['default_price_list']).toBe('Member Selling');
  });

  it('has four tills, two per store, each taking cash by default', () => {
    const profiles = all('POS Profile');
    expect(profiles.map((p) => [p.name, p['warehouse']])).toEqual([
      ['Store North - Till 1', 'Store North - ODR'],
      ['Store North - Till 2', 'Store North - ODR'],
      ['Store South - Till 1', 'Store South - ODR'],
      ['Store South - Till 2', 'Store South - ODR'],
    ]);
    for (const p of profiles) {
      expect(p).toMatchObject({
        company: 'Outpost Demo Retail',
        currency: 'USD',
        selling_price_list: 'Standard Selling',
      });
      expect(p['write_off_limit']).toBe(1);
      expect(rows(p, 'payments').find((m) => m['default'] === 1)?.['mode_of_payment']).toBe('Cash');
      expect(rows(p, 'applicable_for_users').map((u) => u['user'])).toEqual(['Administrator']);
    }
    expect(all('Mode of Payment').map((m) => [m.name, m['type']])).toEqual([
      ['Cash', 'Cash'],
      ['Credit Card', 'Bank'],
      ['Gift Card', 'General'],
    ]);
  });

  it('keeps bins consistent: projected = actual − reserved, in both stores', () => {
    for (const b of all('Bin')) {
      expect(b['projected_qty']).toBe(Number(b['actual_qty']) - Number(b['reserved_qty']));
    }
    const bundles = all('Product Bundle');
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of bundles) {
      const parent = all('Item').find((i) => i.name === bundle['new_item_code']);
      expect(parent?.['is_stock_item']).toBe(0);
      expect(all('Bin').some((b) => b['item_code'] === parent?.name)).toBe(false);
    }
  });
});
