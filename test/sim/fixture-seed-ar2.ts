import type { SimApp } from '../../src/sim/app.js';
import type { Doc } from '../../src/sim/doc.js';
import { rowsOf } from '../../src/sim/doc.js';
import { getDoc, insertDoc, saveDoc } from '../../src/sim/document.js';

/**
 * What the second recorded site (recordings 210–249, a fresh ERPNext v15.71 set up on
 * 2026-12-06) held before its recordings began, as the recordings show it: company "POS Test
 * Store" (PTS) with a 6 % sales tax account, POS Profile "Test POS" (Cash only, no taxes
 * template, rounding on), item POS-ITEM-001 "Test Widget" at 20 with the 10 % Pricing Rule
 * PRLE-0001, 48 in stock at valuation 5, customer "Walk-in Test Customer" (territory United
 * States, loyalty program "Test Loyalty") who had earned 18 points twice (ACC-PSINV-2026-00001,
 * 00002), and naming series already used by the site's earlier POS sessions.
 */
const COMPANY = 'POS Test Store';
const ITEM = 'POS-ITEM-001';
const WAREHOUSE = 'Stores - PTS';

export function seedSecondSite(app: SimApp): void {
  const ctx = app.contextFor('Administrator');
  const put = (doctype: string, doc: Doc, raw = false): Doc =>
    insertDoc(ctx, doctype, doc, {
      keepName: true,
      ignorePermissions: true,
      ...(raw ? { ignoreLinks: true, ignoreMandatory: true } : {}),
    });
  app.db.transaction(() => {
    put(
      'Company',
      {
        name: COMPANY,
        company_name: COMPANY,
        abbr: 'PTS',
        default_currency: 'USD',
        country: 'United States',
        default_receivable_account: 'Debtors - PTS',
        default_income_account: 'Sales - PTS',
        default_expense_account: 'Cost of Goods Sold - PTS',
        default_cash_account: 'Cash - PTS',
        write_off_account: 'Write Off - PTS',
        round_off_account: 'Round Off - PTS',
        default_inventory_account: 'Stock In Hand - PTS',
        cost_center: 'Main - PTS',
        round_off_cost_center: 'Main - PTS',
        enable_perpetual_inventory: 1,
      },
      true,
    );
    for (const [acc, type] of [
      ['Sales', ''],
      ['Debtors', 'Receivable'],
      ['Cash', 'Cash'],
      ['Write Off', ''],
      ['Round Off', 'Round Off'],
      ['Cost of Goods Sold', 'Cost of Goods Sold'],
      ['Stock In Hand', 'Stock'],
      ['ST 6%', 'Tax'],
    ] as const) {
      put(
        'Account',
        { name: `${acc} - PTS`, account_name: acc, company: COMPANY, account_type: type },
        true,
      );
    }
    put('Cost Center', { name: 'Main - PTS', cost_center_name: 'Main', company: COMPANY }, true);
    put('Warehouse', { name: WAREHOUSE, warehouse_name: 'Stores', company: COMPANY });
    put('Territory', {
      name: 'United States',
      territory_name: 'United States',
      parent_territory: 'All Territories',
    });
    put(
      'Loyalty Program',
      {
        name: 'Test Loyalty',
        loyalty_program_name: 'Test Loyalty',
        loyalty_program_type: 'Single Tier Program',
        from_date: '2026-01-01',
        conversion_factor: 1,
        expiry_duration: 365,
        expense_account: 'Write Off - PTS',
        company: COMPANY,
        cost_center: 'Main - PTS',
        collection_rules: [{ tier_name: 'Base', min_spent: 0, collection_factor: 1 }],
      },
      true,
    );
    put('Customer', {
      name: 'Walk-in Test Customer',
      customer_name: 'Walk-in Test Customer',
      customer_group: 'Individual',
      territory: 'United States',
      loyalty_program: 'Test Loyalty',
    });
    put('Item', {
      name: ITEM,
      item_code: ITEM,
      item_name: 'Test Widget',
      description: 'Test Widget',
      item_group: 'Products',
      stock_uom: 'Nos',
      is_stock_item: 1,
      valuation_rate: 5,
    });
    put('Item Price', {
      item_code: ITEM,
      price_list: 'Standard Selling',
      price_list_rate: 20,
      uom: 'Nos',
      selling: 1,
      currency: 'USD',
    });
    put(
      'Pricing Rule',
      {
        name: 'PRLE-0001',
        title: 'Test Widget 10% off',
        apply_on: 'Item Code',
        price_or_product_discount: 'Price',
        selling: 1,
        company: COMPANY,
        currency: 'USD',
        rate_or_discount: 'Discount Percentage',
        discount_percentage: 10,
        items: [{ item_code: ITEM, uom: 'Nos' }],
      },
      true,
    );
    put('POS Profile', {
      name: 'Test POS',
      company: COMPANY,
      warehouse: WAREHOUSE,
      update_stock: 1,
      selling_price_list: 'Standard Selling',
      currency: 'USD',
      write_off_account: 'Write Off - PTS',
      write_off_cost_center: 'Main - PTS',
      cost_center: 'Main - PTS',
      payments: [{ mode_of_payment: 'Cash', default: 1 }],
    });
    const cash = getDoc(ctx, 'Mode of Payment', 'Cash');
    saveDoc(
      ctx,
      'Mode of Payment',
      'Cash',
      {
        accounts: [
          ...rowsOf(cash, 'accounts'),
          { company: COMPANY, default_account: 'Cash - PTS' },
        ],
      },
      { ignorePermissions: true, ignoreLinks: true },
    );
    app.db.setDefault('company', COMPANY);
    app.db.setDefault('default_warehouse', WAREHOUSE);
    // The stock the site received before the recordings, and what the two earlier sales
    // (consolidated then) took: 50 in, 2 out.
    put(
      'Bin',
      {
        item_code: ITEM,
        warehouse: WAREHOUSE,
        actual_qty: 48,
        projected_qty: 48,
        valuation_rate: 5,
        stock_value: 240,
        stock_uom: 'Nos',
      },
      true,
    );
    put(
      'Stock Ledger Entry',
      {
        item_code: ITEM,
        warehouse: WAREHOUSE,
        posting_date: '2026-12-06',
        posting_time: '09:00:00',
        posting_datetime: '2026-12-06 09:00:00',
        voucher_type: 'Stock Entry',
        voucher_no: 'MAT-STE-2026-00001',
        actual_qty: 48,
        qty_after_transaction: 48,
        valuation_rate: 5,
        incoming_rate: 5,
        stock_value: 240,
        stock_value_difference: 240,
        company: COMPANY,
        is_cancelled: 0,
      },
      true,
    );
    for (const invoice of ['ACC-PSINV-2026-00001', 'ACC-PSINV-2026-00002']) {
      put(
        'Loyalty Point Entry',
        {
          loyalty_program: 'Test Loyalty',
          loyalty_program_tier: 'Base',
          customer: 'Walk-in Test Customer',
          invoice_type: 'POS Invoice',
          invoice,
          loyalty_points: 18,
          purchase_amount: 18,
          posting_date: '2026-12-06',
          expiry_date: '2027-12-06',
          company: COMPANY,
        },
        true,
      );
    }
  });
  // Names the site's earlier sessions used up.
  app.db.setSeries('ACC-PSINV-2026-', 2);
  app.db.setSeries('ACC-SINV-2026-', 1);
  app.db.setSeries('POS-OPE-2026-', 3);
  app.db.setSeries('POS-CLO-2026-', 2);
}
