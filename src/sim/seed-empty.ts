import type { Clock } from './clock.js';
import type { SiteContext } from './context.js';
import type { SimDb } from './db.js';
import type { Doc } from './doc.js';
import { insertDoc, saveDoc } from './document.js';
import { HookRegistry } from './hooks.js';
import { registerFrameworkHooks } from './hooks/index.js';
import { registerCustomFieldHooks } from './custom-fields.js';
import { MetaRegistry, parseDocType } from './meta.js';
import { doctypeJson } from './schema/index.js';
import { SiteTime } from './site-time.js';

/** Credentials and site settings of a fresh simulated site. */
export interface EmptySeedOptions {
  readonly timeZone?: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly adminPassword?: string;
}

const COMPANY = 'Outpost Demo Retail';
const ABBR = 'ODR';
const a = (name: string): string => `${name} - ${ABBR}`;

const ROLES = [
  'System Manager',
  'Accounts User',
  'Accounts Manager',
  'Sales User',
  'Sales Manager',
  'Sales Master Manager',
  'Purchase User',
  'Purchase Manager',
  'Purchase Master Manager',
  'Stock User',
  'Stock Manager',
  'Item Manager',
  // ERPNext's read-only role for auditors (in many of its DocPerms, e.g. Loyalty Point Entry).
  'Auditor',
];

/** The chart of accounts ERPNext's "Standard" template starts with, reduced to what POS uses. */
const ACCOUNTS: readonly [name: string, parent: string | null, extra: Doc][] = [
  ['Application of Funds (Assets)', null, { root_type: 'Asset', is_group: 1 }],
  ['Current Assets', 'Application of Funds (Assets)', { is_group: 1 }],
  ['Cash In Hand', 'Current Assets', { is_group: 1, account_type: 'Cash' }],
  ['Cash', 'Cash In Hand', { account_type: 'Cash' }],
  ['Bank Accounts', 'Current Assets', { is_group: 1, account_type: 'Bank' }],
  ['Credit Card', 'Bank Accounts', { account_type: 'Bank' }],
  ['Accounts Receivable', 'Current Assets', { is_group: 1 }],
  ['Debtors', 'Accounts Receivable', { account_type: 'Receivable' }],
  ['Stock Assets', 'Current Assets', { is_group: 1, account_type: 'Stock' }],
  ['Stock In Hand', 'Stock Assets', { account_type: 'Stock' }],
  ['Source of Funds (Liabilities)', null, { root_type: 'Liability', is_group: 1 }],
  ['Current Liabilities', 'Source of Funds (Liabilities)', { is_group: 1 }],
  ['Accounts Payable', 'Current Liabilities', { is_group: 1 }],
  ['Creditors', 'Accounts Payable', { account_type: 'Payable' }],
  ['Duties and Taxes', 'Current Liabilities', { is_group: 1, account_type: 'Tax' }],
  ['Income', null, { root_type: 'Income', is_group: 1 }],
  ['Direct Income', 'Income', { is_group: 1 }],
  ['Sales', 'Direct Income', {}],
  ['Expenses', null, { root_type: 'Expense', is_group: 1 }],
  ['Direct Expenses', 'Expenses', { is_group: 1 }],
  ['Stock Expenses', 'Direct Expenses', { is_group: 1 }],
  ['Cost of Goods Sold', 'Stock Expenses', { account_type: 'Cost of Goods Sold' }],
  ['Stock Adjustment', 'Stock Expenses', { account_type: 'Stock Adjustment' }],
  ['Indirect Expenses', 'Expenses', { is_group: 1 }],
  ['Round Off', 'Indirect Expenses', { account_type: 'Round Off' }],
  ['Write Off', 'Indirect Expenses', {}],
];

/** ERPNext's regional/united_states custom fields, installed when a US company is set up. */
const US_FIELDS: readonly [dt: string, fieldname: string, insertAfter: string, label: string][] = [
  ['Supplier', 'irs_1099', 'tax_id', 'Is IRS 1099 reporting required for supplier?'],
  [
    'Sales Order',
    'exempt_from_sales_tax',
    'taxes_and_charges',
    'Is customer exempted from sales tax?',
  ],
  [
    'Sales Invoice',
    'exempt_from_sales_tax',
    'taxes_section',
    'Is customer exempted from sales tax?',
  ],
  ['Customer', 'exempt_from_sales_tax', 'dn_required', 'Is customer exempted from sales tax?'],
  [
    'Quotation',
    'exempt_from_sales_tax',
    'taxes_and_charges',
    'Is customer exempted from sales tax?',
  ],
];

/** Add the US regional Check fields (skipping doctypes this simulator does not ship). */
function installUsRegionalFields(ctx: SiteContext): void {
  for (const [dt, fieldname, insertAfter, label] of US_FIELDS) {
    if (!ctx.meta.get(dt) || ctx.db.exists('Custom Field', `${dt}-${fieldname}`)) continue;
    insertDoc(
      ctx,
      'Custom Field',
      { dt, fieldname, label, fieldtype: 'Check', insert_after: insertAfter },
      { ignorePermissions: true },
    );
  }
}

function seedContext(db: SimDb, clock: Clock, timeZone: string): SiteContext {
  const meta = new MetaRegistry(doctypeJson.map((j) => parseDocType(j as Record<string, unknown>)));
  const hooks = new HookRegistry();
  registerCustomFieldHooks(hooks);
  registerFrameworkHooks(hooks);
  return {
    db,
    meta,
    time: new SiteTime(clock, timeZone),
    hooks,
    user: 'Administrator',
    roles: new Set(['Administrator']),
  };
}

/**
 * What a fresh ERPNext site holds after the setup wizard, for `outpost sim --seed empty`:
 * tree roots, standard UOMs, USD, System Settings, Global Defaults, price lists, modes of payment, the company
 * "Outpost Demo Retail" (ODR) with ERPNext-named default accounts, and an Administrator with an
 * API key. All in one transaction.
 */
export function seedEmpty(db: SimDb, clock: Clock, opts: EmptySeedOptions = {}): void {
  const timeZone = opts.timeZone ?? 'America/New_York';
  const ctx = seedContext(db, clock, timeZone);
  const put = (doctype: string, doc: Doc, flags: { raw?: boolean } = {}): void => {
    insertDoc(ctx, doctype, doc, {
      keepName: true,
      ignorePermissions: true,
      ...(flags.raw ? { ignoreLinks: true, ignoreMandatory: true } : {}),
    });
  };
  db.transaction(() => {
    put('Language', { name: 'en', language_code: 'en', language_name: 'English', enabled: 1 });
    for (const role of ROLES) put('Role', { name: role, role_name: role });
    put('User', { name: 'Guest', email: 'guest@example.com', first_name: 'Guest' });
    put('User', {
      name: 'Administrator',
      email: 'admin@example.com',
      first_name: 'Administrator',
      api_key: opts.apiKey ?? 'outpost-admin-key',
      api_secret: opts.apiSecret ?? 'outpost-admin-secret',
      new_password: opts.adminPassword ?? 'admin',
      roles: ROLES.map((role) => ({ role })),
    });
    put('System Settings', {
      float_precision: '3',
      currency_precision: '2',
      rounding_method: "Banker's Rounding",
      number_format: '#,###.##',
      time_zone: timeZone,
      country: 'United States',
      language: 'en',
    });
    const year = ctx.time.today().slice(0, 4);
    put('Fiscal Year', {
      year,
      year_start_date: `${year}-01-01`,
      year_end_date: `${year}-12-31`,
    });
    put('Currency', {
      name: 'USD',
      currency_name: 'USD',
      enabled: 1,
      fraction: 'Cent',
      fraction_units: 100,
      smallest_currency_fraction_value: 0.01,
      symbol: '$',
      number_format: '#,###.##',
    });
    put('Item Group', { name: 'All Item Groups', item_group_name: 'All Item Groups', is_group: 1 });
    for (const g of ['Products', 'Raw Material', 'Services', 'Sub Assemblies', 'Consumable']) {
      put('Item Group', { name: g, item_group_name: g, parent_item_group: 'All Item Groups' });
    }
    put('Customer Group', {
      name: 'All Customer Groups',
      customer_group_name: 'All Customer Groups',
      is_group: 1,
    });
    for (const g of ['Commercial', 'Government', 'Individual', 'Non Profit']) {
      put('Customer Group', {
        name: g,
        customer_group_name: g,
        parent_customer_group: 'All Customer Groups',
      });
    }
    put('Territory', { name: 'All Territories', territory_name: 'All Territories', is_group: 1 });
    for (const [uom, whole] of [
      ['Nos', 1],
      ['Kg', 0],
      ['Box', 1],
      ['Unit', 1],
      ['Gram', 0],
      ['Litre', 0],
    ] as const) {
      put('UOM', { name: uom, uom_name: uom, must_be_whole_number: whole, enabled: 1 });
    }
    put('Price List', {
      name: 'Standard Selling',
      price_list_name: 'Standard Selling',
      currency: 'USD',
      selling: 1,
      enabled: 1,
    });
    put('Price List', {
      name: 'Standard Buying',
      price_list_name: 'Standard Buying',
      currency: 'USD',
      buying: 1,
      enabled: 1,
    });
    put(
      'Company',
      {
        name: COMPANY,
        company_name: COMPANY,
        abbr: ABBR,
        default_currency: 'USD',
        country: 'United States',
      },
      { raw: true },
    );
    // What the setup wizard leaves in Global Defaults; ERPNext reads disable_rounded_total
    // for a POS Invoice from here.
    put('Global Defaults', {
      default_company: COMPANY,
      country: 'United States',
      default_currency: 'USD',
      disable_rounded_total: 0,
      disable_in_words: 0,
    });
    for (const [name, parent, extra] of ACCOUNTS) {
      put(
        'Account',
        {
          name: a(name),
          account_name: name,
          company: COMPANY,
          parent_account: parent === null ? '' : a(parent),
          account_currency: 'USD',
          ...extra,
        },
        { raw: parent === null },
      );
    }
    put(
      'Cost Center',
      { name: a(COMPANY), cost_center_name: COMPANY, company: COMPANY, is_group: 1 },
      { raw: true },
    );
    put('Cost Center', {
      name: a('Main'),
      cost_center_name: 'Main',
      company: COMPANY,
      parent_cost_center: a(COMPANY),
    });
    put('Warehouse', {
      name: a('All Warehouses'),
      warehouse_name: 'All Warehouses',
      company: COMPANY,
      is_group: 1,
    });
    put('Warehouse', {
      name: a('Stores'),
      warehouse_name: 'Stores',
      company: COMPANY,
      parent_warehouse: a('All Warehouses'),
    });
    saveDoc(
      ctx,
      'Company',
      COMPANY,
      {
        default_cash_account: a('Cash'),
        default_receivable_account: a('Debtors'),
        default_payable_account: a('Creditors'),
        default_income_account: a('Sales'),
        default_expense_account: a('Cost of Goods Sold'),
        round_off_account: a('Round Off'),
        write_off_account: a('Write Off'),
        stock_adjustment_account: a('Stock Adjustment'),
        default_inventory_account: a('Stock In Hand'),
        cost_center: a('Main'),
        round_off_cost_center: a('Main'),
      },
      { ignorePermissions: true },
    );
    installUsRegionalFields(ctx);
    // Global defaults the setup wizard leaves; frappe.new_doc fills same-named Link fields.
    db.setDefault('company', COMPANY);
    db.setDefault('currency', 'USD');
    db.setDefault('language', 'en');
    db.setDefault('country', 'United States');
    db.setDefault('default_warehouse', a('Stores'));
    put('Mode of Payment', {
      name: 'Cash',
      mode_of_payment: 'Cash',
      type: 'Cash',
      enabled: 1,
      accounts: [{ company: COMPANY, default_account: a('Cash') }],
    });
    put('Mode of Payment', {
      name: 'Credit Card',
      mode_of_payment: 'Credit Card',
      type: 'Bank',
      enabled: 1,
      accounts: [{ company: COMPANY, default_account: a('Credit Card') }],
    });
  });
}
