import { readFileSync } from 'node:fs';
import type { SimApp } from '../../src/sim/app.js';
import type { StoredRow } from '../../src/sim/db-rows.js';
import type { Doc } from '../../src/sim/doc.js';
import { rowsOf } from '../../src/sim/doc.js';
import { getDoc, insertDoc, saveDoc } from '../../src/sim/document.js';
import { fixTypes, setDefaults } from '../../src/sim/doc-shape.js';

/** The recorded site's data that existed before the recordings began (company PTS, items …). */
const RECORDINGS = new URL('../fixtures/erpnext-api/', import.meta.url);

interface ListedItem {
  name: string;
  item_name: string;
  modified: string;
}

/** Items the site held, read from the recording that lists them all (027). */
function recordedItems(): ListedItem[] {
  const rec = JSON.parse(
    readFileSync(new URL('027-item-list-page-length-0.json', RECORDINGS), 'utf8'),
  ) as { response: { body: { data: ListedItem[] } } };
  return rec.response.body.data;
}

/** Items the recorder created off the record between 027 and 121 (they show in 121/134). */
const OFF_RECORD = [
  'HO-BUNDLE',
  'HO-CAN2',
  'HO-CHILD-ITEM',
  'HO-CUSTPRICE',
  'HO-DATED',
  'HO-GRPTAX',
  'HO-HALF-140',
  'HO-HALF-60',
];

const item = (it: ListedItem): StoredRow => ({
  doctype: 'Item',
  name: it.name,
  parent: null,
  parentfield: null,
  parenttype: null,
  idx: 0,
  docstatus: 0,
  creation: it.modified,
  modified: it.modified,
  data: {
    name: it.name,
    owner: 'Administrator',
    creation: it.modified,
    modified: it.modified,
    modified_by: 'Administrator',
    docstatus: 0,
    idx: 0,
    naming_series: 'STO-ITEM-.YYYY.-',
    item_code: it.name,
    item_name: it.item_name,
    item_group: 'Products',
    stock_uom: 'Nos',
    disabled: 0,
    is_stock_item: 1,
    description: it.item_name,
  },
});

/** Seed the test site (on top of seedEmpty) with what the recordings assume exists. */
export function seedRecordedSite(app: SimApp): void {
  const ctx = app.contextFor('Administrator');
  const put = (doctype: string, doc: Doc, raw = false): void => {
    insertDoc(ctx, doctype, doc, {
      keepName: true,
      ignorePermissions: true,
      ...(raw ? { ignoreLinks: true, ignoreMandatory: true } : {}),
    });
  };
  app.db.transaction(() => {
    put(
      'Company',
      {
        name: 'POS Test Store',
        company_name: 'POS Test Store',
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
    for (const acc of [
      'Sales',
      'Debtors',
      'Cash',
      'Write Off',
      'Round Off',
      'Cost of Goods Sold',
      'Stock In Hand',
    ]) {
      put('Account', { name: `${acc} - PTS`, account_name: acc, company: 'POS Test Store' }, true);
    }
    put(
      'Cost Center',
      { name: 'Main - PTS', cost_center_name: 'Main', company: 'POS Test Store' },
      true,
    );
    put('Warehouse', { name: 'Stores - PTS', warehouse_name: 'Stores', company: 'POS Test Store' });
    put(
      'Loyalty Program',
      {
        name: 'Test Loyalty',
        loyalty_program_name: 'Test Loyalty',
        loyalty_program_type: 'Single Tier Program',
        from_date: '2026-01-01',
        to_date: '2026-12-31',
        conversion_factor: 1,
        expiry_duration: 365,
        expense_account: 'Write Off - PTS',
        company: 'POS Test Store',
        cost_center: 'Main - PTS',
        collection_rules: [{ tier_name: 'Base', min_spent: 0, collection_factor: 1 }],
      },
      true,
    );
    put('Customer', {
      name: 'Walk-in Test Customer',
      customer_name: 'Walk-in Test Customer',
      customer_group: 'Individual',
      territory: 'All Territories',
    });
    put('Role', { name: 'Administrator', role_name: 'Administrator' });
    // The recorded site's Cash mode of payment also pays into the PTS cash account.
    const cash = getDoc(ctx, 'Mode of Payment', 'Cash');
    saveDoc(
      ctx,
      'Mode of Payment',
      'Cash',
      {
        accounts: [
          ...rowsOf(cash, 'accounts'),
          { company: 'POS Test Store', default_account: 'Cash - PTS' },
        ],
      },
      { ignorePermissions: true, ignoreLinks: true },
    );
    // The recorded site's own company is the default one.
    app.db.setDefault('company', 'POS Test Store');
    app.db.setDefault('default_warehouse', 'Stores - PTS');
  });
  bulkItems(app, recordedItems());
  // Stock the recorder received off the record before the POS recordings began.
  app.db.transaction(() => {
    for (const [item, qty, rate] of [
      ['AR-STOCK-1', 200, 4],
      ['POS-ITEM-001', 35, 5],
    ] as const) {
      put(
        'Bin',
        {
          item_code: item,
          warehouse: 'Stores - PTS',
          actual_qty: qty,
          projected_qty: qty,
          valuation_rate: rate,
          stock_value: qty * rate,
          stock_uom: 'Nos',
        },
        true,
      );
      // The receipt that brought it in, so back-dated sales find no stock before it.
      put(
        'Stock Ledger Entry',
        {
          item_code: item,
          warehouse: 'Stores - PTS',
          posting_date: '2026-11-27',
          posting_time: '01:40:00',
          posting_datetime: '2026-11-27 01:40:00',
          voucher_type: 'Stock Entry',
          voucher_no: `MAT-STE-2026-0000${qty === 200 ? 1 : 2}`,
          actual_qty: qty,
          qty_after_transaction: qty,
          valuation_rate: rate,
          incoming_rate: rate,
          stock_value: qty * rate,
          stock_value_difference: qty * rate,
          company: 'POS Test Store',
          is_cancelled: 0,
        },
        true,
      );
    }
  });
  // POS-ITEM-001 also carries the item defaults and UOM row the single-get recording (036) shows.
  app.db.transaction(() => {
    const mk = (
      doctype: string,
      name: string,
      idx: number,
      parentfield: string,
      data: Doc,
    ): StoredRow => ({
      doctype,
      name,
      parent: 'POS-ITEM-001',
      parentfield,
      parenttype: 'Item',
      idx,
      docstatus: 0,
      creation: '2026-11-27 01:37:40.014484',
      modified: '2026-11-27 01:37:40.014484',
      data: {
        name,
        idx,
        parent: 'POS-ITEM-001',
        parentfield,
        parenttype: 'Item',
        owner: 'Administrator',
        creation: '2026-11-27 01:37:40.014484',
        modified: '2026-11-27 01:37:40.014484',
        modified_by: 'Administrator',
        docstatus: 0,
        ...data,
      },
    });
    app.db.insert(
      mk('Item Default', 't09v9l9oig', 1, 'item_defaults', {
        company: 'POS Test Store',
        default_warehouse: 'Stores - PTS',
        income_account: 'Sales - PTS',
      }),
    );
    app.db.insert(
      mk('UOM Conversion Detail', 't096kvho0s', 1, 'uoms', { uom: 'Nos', conversion_factor: 1 }),
    );
  });
}

/** The items the recorder made off the record; the replay adds them after 027 listed all items. */
export function seedOffRecordItems(app: SimApp): void {
  bulkItems(
    app,
    OFF_RECORD.map((name, i) => ({
      name,
      item_name: name,
      modified: `2026-11-27 01:53:0${i}.000000`,
    })),
  );
}

function bulkItems(app: SimApp, listed: ListedItem[]): void {
  const ctx = app.contextFor('Administrator');
  const items = listed.map(item);
  // Give bulk rows the defaults and types an insert would (036 shows a full Item).
  const meta = app.meta.require('Item');
  app.db.bulkInsert(
    items.map((row) => {
      const data: Doc = { ...row.data };
      setDefaults(meta, data, ctx);
      fixTypes(meta, data);
      data['customer_code'] = '';
      if (row.name === 'POS-ITEM-001')
        Object.assign(data, { valuation_rate: 5, include_item_in_manufacturing: 0 });
      return { ...row, data };
    }),
  );
}

/** AR-STOCK-1's price, which the recorder set off the record after creating the item (040). */
export function seedOffRecordPrices(app: SimApp): void {
  const ctx = app.contextFor('Administrator');
  app.db.transaction(() => {
    insertDoc(
      ctx,
      'Item Price',
      {
        item_code: 'AR-STOCK-1',
        price_list: 'Standard Selling',
        price_list_rate: 10,
        uom: 'Nos',
        selling: 1,
        currency: 'USD',
        valid_from: '2026-11-27',
      },
      { ignorePermissions: true, ignoreLinks: true, ignoreMandatory: true },
    );
  });
}
