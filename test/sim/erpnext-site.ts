import type { Doc } from '../../src/sim/doc.js';
import { insertDoc } from '../../src/sim/document.js';
import type { SimResponse } from '../../src/sim/http-types.js';
import { makeSite, type TestSite } from './site.js';

/** A POS-ready site: company ODR, a stocked item, a customer in a loyalty program, a profile. */
export const PROFILE = 'Till 1';
export const WAREHOUSE = 'Stores - ODR';
export const CUSTOMER = 'Ada Loyal';
export const ITEM = 'SOAP';
export const RULED = 'TEA';

export interface PosSite extends TestSite {
  /** Submit an opening entry for the profile (POS Invoices need one). */
  open(): SimResponse;
  /** POST a POS Invoice, submitted unless docstatus is given. */
  sell(items: Doc[], extra?: Doc): SimResponse;
}

export function makePosSite(stock: Record<string, number> = { [ITEM]: 10, [RULED]: 10 }): PosSite {
  const site = makeSite();
  const ctx = site.app.contextFor('Administrator');
  const put = (doctype: string, doc: Doc): Doc =>
    insertDoc(ctx, doctype, doc, {
      keepName: true,
      ignorePermissions: true,
      ignoreMandatory: true,
    });
  site.db.transaction(() => {
    for (const [code, price] of [
      [ITEM, 2.5],
      [RULED, 20],
    ] as const) {
      put('Item', {
        item_code: code,
        item_name: code,
        item_group: 'Products',
        stock_uom: 'Nos',
        is_stock_item: 1,
        valuation_rate: 1,
      });
      put('Item Price', {
        item_code: code,
        price_list: 'Standard Selling',
        price_list_rate: price,
        uom: 'Nos',
        selling: 1,
        currency: 'USD',
      });
      const qty = stock[code] ?? 0;
      put('Bin', {
        item_code: code,
        warehouse: WAREHOUSE,
        actual_qty: qty,
        projected_qty: qty,
        valuation_rate: 1,
      });
    }
    put('Pricing Rule', {
      title: 'Tea 10%',
      apply_on: 'Item Code',
      items: [{ item_code: RULED }],
      selling: 1,
      rate_or_discount: 'Discount Percentage',
      discount_percentage: 10,
      price_or_product_discount: 'Price',
      company: 'Outpost Demo Retail',
      currency: 'USD',
    });
    put('Loyalty Program', {
      name: 'Stars',
      loyalty_program_name: 'Stars',
      loyalty_program_type: 'Single Tier Program',
      from_date: '2026-01-01',
      conversion_factor: 1,
      expiry_duration: 30,
      company: 'Outpost Demo Retail',
      collection_rules: [{ tier_name: 'Base', min_spent: 0, collection_factor: 1 }],
    });
    put('Customer', {
      name: CUSTOMER,
      customer_name: CUSTOMER,
      customer_group: 'Individual',
      territory: 'All Territories',
      loyalty_program: 'Stars',
    });
    put('POS Profile', {
      name: PROFILE,
      company: 'Outpost Demo Retail',
      warehouse: WAREHOUSE,
      selling_price_list: 'Standard Selling',
      currency: 'USD',
      write_off_account: 'Write Off - ODR',
      write_off_cost_center: 'Main - ODR',
      cost_center: 'Main - ODR',
      payments: [{ mode_of_payment: 'Cash', default: 1 }],
    });
  });
  const open = (): SimResponse =>
    site.post('/api/resource/POS Opening Entry', {
      period_start_date: '2026-11-27 01:00:00',
      posting_date: '2026-11-27',
      company: 'Outpost Demo Retail',
      pos_profile: PROFILE,
      user: 'Administrator',
      balance_details: [{ mode_of_payment: 'Cash', opening_amount: 0 }],
      docstatus: 1,
    });
  const sell = (items: Doc[], extra: Doc = {}): SimResponse => {
    site.clock.advance(1000);
    return site.post('/api/resource/POS Invoice', {
      company: 'Outpost Demo Retail',
      pos_profile: PROFILE,
      customer: CUSTOMER,
      is_pos: 1,
      update_stock: 1,
      items,
      docstatus: 1,
      ...extra,
    });
  };
  return { ...site, open, sell };
}

/** Paid in full, in cash. */
export const cash = (amount: number): Doc => ({
  payments: [{ mode_of_payment: 'Cash', amount }],
  paid_amount: amount,
  base_paid_amount: amount,
});
