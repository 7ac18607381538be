import { quote, type Quote } from '../../src/core/index.js';
import type { ReceiptInput } from '../../src/receipt/index.js';

import { baseMaster, item, price, rule } from '../core/fixture.js';

/**
 * A small grocery: dairy and bread at the reduced VAT rate (5%), the rest at the standard 20%,
 * a 10% promotion on milk, a free item, and a loyalty member paying cash with change.
 */
export function groceryMaster(): ReturnType<typeof baseMaster> {
  const reduced = { taxes: [{ item_tax_template: 'VAT 5%' }] };
  return baseMaster({
    Item: [
      item('OATMILK', 'Dairy', { item_name: 'Oat Drink Barista 1 L', ...reduced }),
      item('GOUDA', 'Dairy', { item_name: 'Aged Gouda', stock_uom: 'Kg', ...reduced }),
      item('BREAD', 'Food', { item_name: 'Sourdough Loaf', ...reduced }),
      item('COFFEE', 'Food', { item_name: 'Coffee Beans 500 g' }),
      item('SOAP', 'Tools', { item_name: 'Dish Soap <Lemon> & Lime' }),
      item('TOTE', 'Tools', { item_name: 'Tote Bag' }),
    ],
    'Item Price': [
      price('OATMILK', 2.49),
      price('GOUDA', 18.9),
      price('BREAD', 4.2),
      price('COFFEE', 11.95),
      price('SOAP', 3.15),
      price('TOTE', 1.5),
    ],
    'Item Tax Template': [
      { name: 'VAT 5%', company: 'Test Co', taxes: [{ tax_type: 'VAT - TC', tax_rate: 5 }] },
    ],
    'Sales Taxes and Charges Template': [
      {
        name: 'VAT',
        company: 'Test Co',
        is_default: 1,
        taxes: [
          {
            charge_type: 'On Net Total',
            account_head: 'VAT - TC',
            description: 'VAT',
            rate: 20,
            included_in_print_rate: 1,
          },
        ],
      },
    ],
    'Pricing Rule': [
      rule({
        name: 'PR-OAT',
        title: 'Oat week',
        discount_percentage: 10,
        items: [{ item_code: 'OATMILK' }],
      }),
      rule({
        // Explicit names: the shared rule() helper numbers rules by call order.
        name: 'PR-TOTE',
        title: 'Free tote over 2 coffees',
        price_or_product_discount: 'Product',
        min_qty: 2,
        free_item: 'TOTE',
        free_qty: 1,
        items: [{ item_code: 'COFFEE' }],
      }),
    ],
    Customer: [
      {
        name: 'Member',
        customer_name: 'Ada Lovelace',
        customer_group: 'Retail',
        territory: 'All Territories',
        loyalty_program: 'Club',
      },
    ],
    'Loyalty Program': [
      {
        name: 'Club',
        company: 'Test Co',
        conversion_factor: 0.01,
        expiry_duration: 365,
        from_date: '2026-01-01',
        collection_rules: [{ tier_name: 'Base', min_spent: 0, collection_factor: 1 }],
      },
    ],
    'Loyalty Point Entry': [
      {
        customer: 'Member',
        loyalty_program: 'Club',
        company: 'Test Co',
        loyalty_points: 800,
        purchase_amount: 800,
        posting_date: '2026-02-01',
        expiry_date: '2027-02-01',
      },
    ],
  });
}

/** The cart: 3 oat drinks (promotion), 0.45 kg gouda, bread, 2 coffees (free tote), soap. */
export function groceryQuote(more: Record<string, unknown> = {}): Quote {
  return quote(groceryMaster(), {
    customer: 'Member',
    pos_profile: 'POS-1',
    posting_date: '2026-11-27',
    docstatus: 1,
    items: [
      { item_code: 'OATMILK', qty: 3 },
      { item_code: 'GOUDA', qty: 0.45 },
      { item_code: 'BREAD', qty: 1 },
      { item_code: 'COFFEE', qty: 2 },
      { item_code: 'SOAP', qty: 1 },
    ],
    redeem_loyalty_points: 1,
    loyalty_points: 200,
    payments: [{ mode_of_payment: 'Cash', amount: 50 }],
    ...more,
  });
}

/** A signed header as the journal would hand it over (shape from docs/journal.md §6). */
export const PAYLOAD =
  'OP1;T03;1042;S01-T03-2026-000417;SALE;2026-11-27T13:03:12Z;20:27.05|5:19.42;4647;' +
  '9f2c4e1a7b3d5f6e8a0c2b4d6f8e0a1c3e5d7b9f1a3c5e7d9b1f3a5c7e9d1b3f;' +
  '0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d;' +
  'k1;Vq3x8Yb2Lm0Nc7Qd4Rf6Tg1Hj9Kw5Ze2Xa8Sb3Pc6Ud0Ve4Wf7Yg1Zh5Ai9Bj2Ck6Dl0Em3Fn8Go4Hp7Iq1Jr5Ks9Lt';

export function sampleInput(more: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    invoice: groceryQuote(),
    company: {
      name: 'Corner Grocer Ltd',
      taxId: 'GB 123 4567 89',
      address: ['12 Market Street', 'Bristol BS1 4DJ'],
    },
    storeId: 'S01',
    terminalId: 'T03',
    cashier: { id: 'C07', name: 'Sam Ortiz' },
    invoiceNo: 'S01-T03-2026-000417',
    seq: 1042,
    issuedAt: '2026-11-27T14:03:12+01:00',
    verification: { payload: PAYLOAD, caption: 'k1 · V8Nd' },
    loyalty: { balanceAfter: 644 },
    ruleTitles: { 'PR-OAT': 'Oat week', 'PR-TOTE': 'Free tote' },
    ...more,
  };
}
