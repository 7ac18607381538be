import { describe, expect, it } from 'vitest';
import { Master, quote, toErpnextJson } from '../../src/core/index.js';
import { demoSeed, HERO, type SeedDoc } from '../../src/sim/seed/index.js';

/** The pure pricing engine prices sales against the demo seed as ERPNext would. */

const NOW = '2026-11-27 09:00:00.000000';
const TODAY = NOW.slice(0, 10);
const tables = demoSeed({ items: 200, customers: 20, now: NOW });
const records = Object.fromEntries(tables.map((t) => [t.doctype, [...t.records]])) as Record<
  string,
  SeedDoc[]
>;
const master = new Master({
  system: { currency_precision: 2, float_precision: 3, rounding_method: "Banker's Rounding" },
  ...records,
});

type Json = ReturnType<typeof toErpnextJson>;
interface Line {
  item_code: string;
  qty: number;
  rate: number;
  price_list_rate: number;
  amount: number;
  discount_percentage: number;
  discount_amount: number;
  pricing_rules: string;
  is_free_item: number;
  uom: string;
}

const customerIn = (group: string): string =>
  (records['Customer'] ?? []).find((c) => c['customer_group'] === group && c['disabled'] === 0)
    ?.name ?? '';
const ruleTitled = (title: string): string =>
  (records['Pricing Rule'] ?? []).find((r) => `${r['title'] as string}`.startsWith(title))?.name ??
  '';

function sell(
  items: { item_code: string; qty: number; uom?: string }[],
  extra: Record<string, unknown> = {},
): { doc: Json; lines: Line[]; packed: number } {
  const q = quote(master, {
    pos_profile: 'Store North - Till 1',
    customer: 'Walk-in Customer',
    posting_date: TODAY,
    items,
    payments: [{ mode_of_payment: 'Cash', amount: 0 }],
    ...extra,
  });
  const doc = toErpnextJson(q);
  return { doc, lines: doc['items'] as unknown as Line[], packed: q.packed_items.length };
}

describe('quoting sales against the demo seed', () => {
  it('applies the milk quantity discount and the reduced grocery tax', () => {
    const { doc, lines } = sell([{ item_code: HERO.milk, qty: 2 }]);
    expect(lines[0]).toMatchObject({
      price_list_rate: 4.29,
      discount_percentage: 10,
      rate: 3.86,
      amount: 7.72,
    });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Milk'));
    expect(doc['taxes_and_charges']).toBe('US Sales Tax 8.875% - ODR');
    expect(doc).toMatchObject({ total: 7.72, total_taxes_and_charges: 0.15, grand_total: 7.87 });
  });
  it('adds the free loaves of buy-2-get-1, and the free tote for two orange juices', () => {
    const bread = sell([{ item_code: HERO.sourdough, qty: 4 }]);
    expect(bread.lines).toMatchObject([
      { item_code: HERO.sourdough, qty: 4, rate: 5.49, amount: 21.96, is_free_item: 0 },
      { item_code: HERO.sourdough, qty: 2, rate: 0, amount: 0, is_free_item: 1 },
    ]);
    expect(bread.lines[0]?.pricing_rules).toContain(ruleTitled('Sourdough'));
    expect(bread.doc).toMatchObject({ total: 21.96, grand_total: 22.4 });
    const juice = sell([{ item_code: HERO.orangeJuice, qty: 2 }]);
    expect(juice.lines[1]).toMatchObject({
      item_code: HERO.tote,
      qty: 1,
      rate: 0,
      is_free_item: 1,
    });
  });

  it('prices weighed items by the kilo, picks the higher-priority banana rule, zero-rates produce', () => {
    const { doc, lines } = sell([
      { item_code: HERO.bananas, qty: 0.452 },
      { item_code: HERO.ham, qty: 0.3 },
    ]);
    expect(lines[0]).toMatchObject({
      uom: 'Kg',
      price_list_rate: 1.49,
      discount_percentage: 15,
      amount: 0.57,
    });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Bananas 15%'));
    expect(lines[0]?.pricing_rules).not.toContain(ruleTitled('Bananas 5%'));
    expect(lines[1]).toMatchObject({ uom: 'Kg', rate: 17.99, amount: 5.4 });
    // 8.875 % of the ham only: 5.40 × 0.08875 = 0.479.
    expect(doc).toMatchObject({ total: 5.97, total_taxes_and_charges: 0.48, grand_total: 6.45 });
  });

  it('sells a product bundle at its own price and packs its components', () => {
    const { doc, lines, packed } = sell([{ item_code: HERO.breakfastBasket, qty: 1 }]);
    expect(lines[0]).toMatchObject({ rate: 19.99, amount: 19.99 });
    expect(packed).toBe(4);
    expect(doc).toMatchObject({ total_taxes_and_charges: 1.77, grand_total: 21.76 });
  });

  it('sells by the Box at the case price, with the Beverages group discount', () => {
    const { lines } = sell([{ item_code: HERO.water, qty: 1, uom: 'Box' }]);
    expect(lines[0]).toMatchObject({
      uom: 'Box',
      price_list_rate: 19.65,
      discount_percentage: 5,
      rate: 18.67,
    });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Beverages'));
  });

  it('applies rate, discount-amount and stacked rules side by side', () => {
    const { lines } = sell([
      { item_code: HERO.oliveOil, qty: 1 },
      { item_code: HERO.cola, qty: 3 },
      { item_code: HERO.coffee, qty: 1 },
    ]);
    expect(lines[0]).toMatchObject({ discount_percentage: 8, rate: 8.27 });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Olive oil 5%'));
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Olive oil 3%'));
    expect(lines[1]).toMatchObject({ price_list_rate: 1.99, rate: 1.99, amount: 5.97 });
    expect(lines[2]).toMatchObject({ discount_amount: 1.5, rate: 8.49 });
  });

  it('applies the pie promotion only inside its date window', () => {
    const pie = [{ item_code: HERO.pumpkinPie, qty: 1 }];
    expect(sell(pie).lines[0]).toMatchObject({ discount_percentage: 20, rate: 6.39 });
    const later = sell(pie, { posting_date: '2026-12-27' }).lines[0];
    expect(later).toMatchObject({ discount_percentage: 0, rate: 7.99, pricing_rules: '' });
  });

  it('includes VAT in the price with the inclusive template', () => {
    const { doc, lines } = sell([{ item_code: HERO.shampoo, qty: 2 }], {
      taxes_and_charges: 'VAT 20% incl - ODR',
    });
    expect(lines[0]).toMatchObject({ discount_percentage: 10, rate: 5.84, amount: 11.68 });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('PureGlow'));
    // The shelf price already holds the tax: grand total = amount, net = amount / 1.2.
    expect(doc).toMatchObject({
      grand_total: 11.68,
      net_total: 9.73,
      total_taxes_and_charges: 1.95,
    });
  });

  it('gives Gold members member prices and their grocery discount', () => {
    const item = (records['Item'] ?? []).find(
      (i) => i['item_group'] === 'Dairy' && i.name !== HERO.milk,
    );
    const memberPrice = (records['Item Price'] ?? []).find(
      (p) => p['item_code'] === item?.name && p['price_list'] === 'Member Selling',
    )?.['price_list_rate'];
    const { doc, lines } = sell([{ item_code: item?.name ?? '', qty: 1 }], {
      customer: customerIn('Gold'),
    });
    expect(doc['selling_price_list']).toBe('Member Selling');
    expect(lines[0]).toMatchObject({ price_list_rate: memberPrice, discount_percentage: 7 });
    expect(lines[0]?.pricing_rules).toContain(ruleTitled('Gold'));
  });

  it('takes 5% off a Members basket of 150.00 or more, and earns loyalty points', () => {
    const customer = customerIn('Members');
    const q = quote(master, {
      pos_profile: 'Store South - Till 2',
      customer,
      posting_date: TODAY,
      items: [{ item_code: HERO.coffee, qty: 20 }],
      payments: [{ mode_of_payment: 'Credit Card', amount: 0 }],
    });
    const doc = toErpnextJson(q);
    // Worked by hand from the seed: coffee 9.99 less the 1.50 coffee rule = 8.49; x 20 = 169.80.
    // Reduced Rate item tax: State 2 %, City 0 %: 169.80 x 2 % = 3.40 before the discount.
    // 5 % off the Grand Total (169.80 + 3.40 = 173.20) = 8.66; ERPNext takes it off the net in
    // proportion, 169.80 - 8.66 x 169.80 / 173.20 = 161.31, and recomputes the tax on that:
    // 161.31 x 2 % = 3.2262 -> 3.23. Grand total 161.31 + 3.23 = 164.54; loyalty at collection
    // factor 1: int(164.54 / 1) = 164 points.
    expect(doc).toMatchObject({
      total: 169.8,
      apply_discount_on: 'Grand Total',
      additional_discount_percentage: 5,
      discount_amount: 8.66,
      net_total: 161.31,
      total_taxes_and_charges: 3.23,
      grand_total: 164.54,
    });
    expect(String(q.loyalty_points_earned?.purchase_amount)).toBe('164.54');
    expect(q.loyalty_points_earned).toMatchObject({
      loyalty_program: 'Outpost Rewards',
      loyalty_points: 164,
      expiry_date: '2027-11-27',
    });
  });
});
