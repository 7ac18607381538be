import { makeDoc, type SeedDoc } from './record.js';
import { nestedSet } from './tree.js';
import {
  ABBR,
  ACCOUNT,
  COMPANY,
  COST_CENTER,
  COUNTRY,
  CURRENCY,
  UOM,
  WAREHOUSE,
  odr,
} from './names.js';

/** The company, its currency, chart of accounts, cost centers, warehouses and units. */

export const currencies = (now: string): SeedDoc[] => [
  makeDoc('Currency', CURRENCY, now, {
    currency_name: CURRENCY,
    enabled: 1,
    fraction: 'Cent',
    fraction_units: 100,
    smallest_currency_fraction_value: 0.01,
    symbol: '$',
    symbol_on_right: 0,
    number_format: '#,###.##',
  }),
];

/**
 * The company without its default accounts: Accounts and Cost Centers link to the Company, so
 * they can only be inserted after it (ERPNext, too, creates the chart after the company). A
 * loader sets `companyAccountDefaults()` on it once the Account and Cost Center tables are in.
 */
/** The demo company's tax id (an EIN-shaped number), printed on receipts. */
export const DEMO_TAX_ID = '12-3456789';

export const companies = (now: string): SeedDoc[] => [
  makeDoc('Company', COMPANY, now, {
    company_name: COMPANY,
    abbr: ABBR,
    default_currency: CURRENCY,
    country: COUNTRY,
    // Printed on every receipt (a fiscal receipt names the seller's tax id).
    tax_id: DEMO_TAX_ID,
    is_group: 0,
    create_chart_of_accounts_based_on: 'Standard Template',
    chart_of_accounts: 'Standard',
    enable_perpetual_inventory: 1,
    lft: 1,
    rgt: 2,
  }),
];

/** The Company's default accounts and cost centers, to save on it after the chart is in. */
export const companyAccountDefaults = (): Readonly<Record<string, string>> => ({
  default_cash_account: ACCOUNT.cash,
  default_receivable_account: ACCOUNT.debtors,
  default_payable_account: ACCOUNT.creditors,
  default_income_account: ACCOUNT.sales,
  default_expense_account: ACCOUNT.cogs,
  round_off_account: ACCOUNT.roundOff,
  write_off_account: ACCOUNT.writeOff,
  stock_adjustment_account: ACCOUNT.stockAdjustment,
  default_inventory_account: ACCOUNT.stock,
  cost_center: COST_CENTER.main,
  round_off_cost_center: COST_CENTER.main,
});

type AccountSpec = readonly [name: string, parent: string, rootType: string, accountType: string];

const ASSETS = odr('Application of Funds (Assets)');
const LIABILITIES = odr('Source of Funds (Liabilities)');
const INCOME = odr('Income');
const EXPENSES = odr('Expenses');
// ERPNext's "Standard" chart, reduced to what a shop's tills post to (the same tree the
// simulator's empty site starts with), plus the tax, card, gift card and loyalty accounts.
const ACCOUNTS: readonly AccountSpec[] = [
  [ASSETS, '', 'Asset', ''],
  [odr('Current Assets'), ASSETS, 'Asset', ''],
  [odr('Cash In Hand'), odr('Current Assets'), 'Asset', 'Cash'],
  [ACCOUNT.cash, odr('Cash In Hand'), 'Asset', 'Cash'],
  [odr('Bank Accounts'), odr('Current Assets'), 'Asset', 'Bank'],
  [ACCOUNT.card, odr('Bank Accounts'), 'Asset', 'Bank'],
  [odr('Accounts Receivable'), odr('Current Assets'), 'Asset', ''],
  [ACCOUNT.debtors, odr('Accounts Receivable'), 'Asset', 'Receivable'],
  [odr('Stock Assets'), odr('Current Assets'), 'Asset', 'Stock'],
  [ACCOUNT.stock, odr('Stock Assets'), 'Asset', 'Stock'],
  [LIABILITIES, '', 'Liability', ''],
  [odr('Current Liabilities'), LIABILITIES, 'Liability', ''],
  [odr('Accounts Payable'), odr('Current Liabilities'), 'Liability', ''],
  [ACCOUNT.creditors, odr('Accounts Payable'), 'Liability', 'Payable'],
  [odr('Duties and Taxes'), odr('Current Liabilities'), 'Liability', 'Tax'],
  [ACCOUNT.stateTax, odr('Duties and Taxes'), 'Liability', 'Tax'],
  [ACCOUNT.cityTax, odr('Duties and Taxes'), 'Liability', 'Tax'],
  [ACCOUNT.vat, odr('Duties and Taxes'), 'Liability', 'Tax'],
  [ACCOUNT.giftCard, odr('Current Liabilities'), 'Liability', ''],
  [INCOME, '', 'Income', ''],
  [odr('Direct Income'), INCOME, 'Income', ''],
  [ACCOUNT.sales, odr('Direct Income'), 'Income', ''],
  [EXPENSES, '', 'Expense', ''],
  [odr('Direct Expenses'), EXPENSES, 'Expense', ''],
  [odr('Stock Expenses'), odr('Direct Expenses'), 'Expense', ''],
  [ACCOUNT.cogs, odr('Stock Expenses'), 'Expense', 'Cost of Goods Sold'],
  [ACCOUNT.stockAdjustment, odr('Stock Expenses'), 'Expense', 'Stock Adjustment'],
  [odr('Indirect Expenses'), EXPENSES, 'Expense', ''],
  [ACCOUNT.roundOff, odr('Indirect Expenses'), 'Expense', 'Round Off'],
  [ACCOUNT.writeOff, odr('Indirect Expenses'), 'Expense', ''],
  [ACCOUNT.loyalty, odr('Indirect Expenses'), 'Expense', ''],
];

export const accounts = (now: string): SeedDoc[] =>
  nestedSet(
    ACCOUNTS.map(([name, parent, rootType, accountType]) => ({
      name,
      parent,
      fields: { root_type: rootType, account_type: accountType },
    })),
  ).map(({ node, lft, rgt, isGroup }) => {
    const rootType = String(node.fields?.['root_type']);
    return makeDoc('Account', node.name, now, {
      account_name: node.name.slice(0, -(ABBR.length + 3)),
      account_number: '',
      is_group: isGroup ? 1 : 0,
      company: COMPANY,
      report_type: ['Income', 'Expense'].includes(rootType) ? 'Profit and Loss' : 'Balance Sheet',
      account_currency: CURRENCY,
      parent_account: node.parent,
      freeze_account: 'No',
      disabled: 0,
      ...node.fields,
      lft,
      rgt,
      old_parent: node.parent,
    });
  });

export const costCenters = (now: string): SeedDoc[] =>
  nestedSet([
    { name: COST_CENTER.root, parent: '' },
    { name: COST_CENTER.main, parent: COST_CENTER.root },
  ]).map(({ node, lft, rgt, isGroup }) =>
    makeDoc('Cost Center', node.name, now, {
      cost_center_name: node.name.slice(0, -(ABBR.length + 3)),
      cost_center_number: '',
      parent_cost_center: node.parent,
      company: COMPANY,
      is_group: isGroup ? 1 : 0,
      disabled: 0,
      lft,
      rgt,
      old_parent: node.parent,
    }),
  );

export const warehouses = (now: string): SeedDoc[] =>
  nestedSet([
    { name: WAREHOUSE.all, parent: '' },
    { name: WAREHOUSE.north, parent: WAREHOUSE.all, fields: { city: 'Northville' } },
    { name: WAREHOUSE.south, parent: WAREHOUSE.all, fields: { city: 'Southport' } },
  ]).map(({ node, lft, rgt, isGroup }) =>
    makeDoc('Warehouse', node.name, now, {
      warehouse_name: node.name.slice(0, -(ABBR.length + 3)),
      is_group: isGroup ? 1 : 0,
      company: COMPANY,
      disabled: 0,
      account: isGroup ? '' : ACCOUNT.stock,
      parent_warehouse: node.parent,
      is_rejected_warehouse: 0,
      ...node.fields,
      lft,
      rgt,
      old_parent: node.parent,
    }),
  );

/** Kg is the one unit sold in fractions: scales weigh to the gram. */
export const uoms = (now: string): SeedDoc[] =>
  (
    [
      [UOM.nos, 1],
      [UOM.box, 1],
      [UOM.kg, 0],
    ] as const
  ).map(([name, whole]) =>
    makeDoc('UOM', name, now, { enabled: 1, uom_name: name, must_be_whole_number: whole }),
  );
