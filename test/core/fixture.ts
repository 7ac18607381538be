import { quote, toErpnextJson, type MasterInput, type Quote } from '../../src/core/index.js';

/** A small store's master data in ERPNext's REST shape; tests add what they exercise. */
export function baseMaster(extra: Record<string, unknown[]> = {}): MasterInput {
  const base: Record<string, unknown[]> = {
    Company: [
      {
        name: 'Test Co',
        company_name: 'Test Co',
        default_currency: 'USD',
        default_cash_account: 'Cash - TC',
      },
    ],
    Currency: [{ name: 'USD', smallest_currency_fraction_value: 0.01 }],
    UOM: [
      { name: 'Nos', must_be_whole_number: 1 },
      { name: 'Box', must_be_whole_number: 1 },
      { name: 'Kg', must_be_whole_number: 0 },
    ],
    'Item Group': [
      { name: 'All Item Groups', is_group: 1, parent_item_group: '' },
      { name: 'Food', is_group: 1, parent_item_group: 'All Item Groups' },
      { name: 'Dairy', is_group: 0, parent_item_group: 'Food' },
      { name: 'Tools', is_group: 0, parent_item_group: 'All Item Groups' },
    ],
    'Customer Group': [
      { name: 'All Customer Groups', is_group: 1, parent_customer_group: '' },
      { name: 'Retail', is_group: 0, parent_customer_group: 'All Customer Groups' },
      { name: 'Gold', is_group: 0, parent_customer_group: 'All Customer Groups' },
    ],
    Territory: [{ name: 'All Territories', is_group: 1, parent_territory: '' }],
    Brand: [{ name: 'Acme' }],
    'Price List': [
      { name: 'Standard Selling', currency: 'USD', selling: 1, enabled: 1 },
      { name: 'VIP Selling', currency: 'USD', selling: 1, enabled: 1 },
    ],
    Item: [
      item('MILK', 'Dairy', { brand: 'Acme' }),
      item('CHEESE', 'Dairy', { stock_uom: 'Kg' }),
      item('HAMMER', 'Tools', { brand: 'Acme' }),
      item('NAILS', 'Tools', {
        uoms: [
          { uom: 'Nos', conversion_factor: 1 },
          { uom: 'Box', conversion_factor: 50 },
        ],
      }),
      item('GIFT', 'Tools'),
    ],
    'Item Price': [
      price('MILK', 2.5),
      price('CHEESE', 12.99),
      price('HAMMER', 20),
      price('NAILS', 0.1),
      price('GIFT', 5),
    ],
    Customer: [
      {
        name: 'Walk-in',
        customer_name: 'Walk-in',
        customer_group: 'Retail',
        territory: 'All Territories',
      },
      {
        name: 'Goldie',
        customer_name: 'Goldie',
        customer_group: 'Gold',
        territory: 'All Territories',
      },
    ],
    'Mode of Payment': [
      { name: 'Cash', type: 'Cash' },
      { name: 'Card', type: 'Bank' },
    ],
    'POS Profile': [
      {
        name: 'POS-1',
        company: 'Test Co',
        warehouse: 'Store - TC',
        selling_price_list: 'Standard Selling',
        currency: 'USD',
        write_off_limit: 1,
        payments: [{ mode_of_payment: 'Cash', default: 1 }],
      },
    ],
  };
  for (const [k, v] of Object.entries(extra)) base[k] = [...(base[k] ?? []), ...v];
  return {
    system: { currency_precision: 2, float_precision: 3, rounding_method: "Banker's Rounding" },
    ...base,
  };
}

export function item(
  code: string,
  group: string,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: code,
    item_code: code,
    item_name: code,
    item_group: group,
    stock_uom: 'Nos',
    is_sales_item: 1,
    uoms: [{ uom: (more['stock_uom'] as string | undefined) ?? 'Nos', conversion_factor: 1 }],
    ...more,
  };
}

export function price(
  code: string,
  rate: number,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: `IP-${code}-${JSON.stringify(more)}-${rate}`,
    item_code: code,
    price_list: 'Standard Selling',
    price_list_rate: rate,
    ...more,
  };
}

let ruleSeq = 0;
/** A selling Pricing Rule on Item Code with the given children and fields. */
export function rule(more: Record<string, unknown>): Record<string, unknown> {
  ruleSeq += 1;
  return {
    name: `PR-${String(ruleSeq).padStart(4, '0')}`,
    apply_on: 'Item Code',
    price_or_product_discount: 'Price',
    rate_or_discount: 'Discount Percentage',
    selling: 1,
    company: 'Test Co',
    currency: 'USD',
    priority: '',
    ...more,
  };
}

export function draft(
  items: Record<string, unknown>[],
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    customer: 'Walk-in',
    pos_profile: 'POS-1',
    posting_date: '2026-11-27',
    items,
    payments: [{ mode_of_payment: 'Cash', amount: 0 }],
    ...more,
  };
}

export type Out = Record<string, unknown> & {
  items: Record<string, unknown>[];
  taxes: Record<string, unknown>[];
};

export function run(master: MasterInput, d: Record<string, unknown>): Out {
  return toErpnextJson(quote(master, d)) as Out;
}

/** What a quote says, as text: the invoice, packed items and points, or the refusal. */
export function outcome(run: () => Quote): string {
  try {
    const q = run();
    return JSON.stringify({
      doc: toErpnextJson(q),
      packed: q.packed_items,
      points: q.loyalty_points_earned,
    });
  } catch (e) {
    const err = e as Error & { kind?: string; field?: string };
    return JSON.stringify({
      error: err.name,
      kind: err.kind,
      message: err.message,
      field: err.field,
    });
  }
}
