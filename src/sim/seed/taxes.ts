import { makeDoc, type Fields, type SeedDoc } from './record.js';
import { ACCOUNT, COMPANY, COST_CENTER, CURRENCY, ITEM_TAX, TAX_TEMPLATE } from './names.js';

/** Sales tax templates (one exclusive and the company default, one inclusive) and item tax rates. */

const taxRow = (
  account: string,
  description: string,
  rate: number,
  inclusive: boolean,
): Fields => ({
  charge_type: 'On Net Total',
  account_head: account,
  description,
  included_in_print_rate: inclusive ? 1 : 0,
  included_in_paid_amount: 0,
  cost_center: COST_CENTER.main,
  rate,
  account_currency: CURRENCY,
  tax_amount: 0,
  total: 0,
  tax_amount_after_discount_amount: 0,
  base_tax_amount: 0,
  base_total: 0,
  base_tax_amount_after_discount_amount: 0,
  dont_recompute_tax: 0,
});

const template = (name: string, isDefault: boolean, rows: Fields[], now: string): SeedDoc =>
  makeDoc(
    'Sales Taxes and Charges Template',
    name,
    now,
    {
      title: name.replace(/ - [A-Z]+$/, ''),
      is_default: isDefault ? 1 : 0,
      disabled: 0,
      company: COMPANY,
      tax_category: null,
    },
    { taxes: ['Sales Taxes and Charges', rows] },
  );

export const salesTaxTemplates = (now: string): SeedDoc[] => [
  template(
    TAX_TEMPLATE.us,
    true,
    [
      taxRow(ACCOUNT.stateTax, 'State Sales Tax 4%', 4, false),
      taxRow(ACCOUNT.cityTax, 'City Sales Tax 4.875%', 4.875, false),
    ],
    now,
  ),
  template(TAX_TEMPLATE.vat, false, [taxRow(ACCOUNT.vat, 'VAT 20% (included)', 20, true)], now),
];

/** Per-account rates that replace the template's for the items (or groups) that carry them. */
export const itemTaxTemplates = (now: string): SeedDoc[] =>
  (
    [
      [ITEM_TAX.zero, [0, 0, 0]],
      [ITEM_TAX.reduced, [2, 0, 5]],
    ] as const
  ).map(([name, [state, city, vat]]) =>
    makeDoc(
      'Item Tax Template',
      name,
      now,
      { title: name.replace(/ - [A-Z]+$/, ''), company: COMPANY, disabled: 0 },
      {
        taxes: [
          'Item Tax Template Detail',
          [
            { tax_type: ACCOUNT.stateTax, tax_rate: state },
            { tax_type: ACCOUNT.cityTax, tax_rate: city },
            { tax_type: ACCOUNT.vat, tax_rate: vat },
          ],
        ],
      },
    ),
  );
