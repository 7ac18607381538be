import { makeDoc, type SeedDoc } from './record.js';
import {
  ACCOUNT,
  COMPANY,
  COST_CENTER,
  COUNTRY,
  CURRENCY,
  MODE,
  PRICE_LIST,
  STORES,
  TAX_TEMPLATE,
  WALK_IN,
} from './names.js';

/** Modes of payment and the tills: two stores with two terminals each. */

export const modesOfPayment = (now: string): SeedDoc[] =>
  (
    [
      [MODE.cash, 'Cash', ACCOUNT.cash],
      [MODE.card, 'Bank', ACCOUNT.card],
      [MODE.giftCard, 'General', ACCOUNT.giftCard],
    ] as const
  ).map(([name, type, account]) =>
    makeDoc(
      'Mode of Payment',
      name,
      now,
      { mode_of_payment: name, enabled: 1, type },
      { accounts: ['Mode of Payment Account', [{ company: COMPANY, default_account: account }]] },
    ),
  );

const TILLS = [1, 2] as const;
const tillName = (store: string, till: number): string => `${store} - Till ${till}`;

export const posProfiles = (now: string): SeedDoc[] =>
  STORES.flatMap((store) =>
    TILLS.map((till) =>
      makeDoc(
        'POS Profile',
        tillName(store.label, till),
        now,
        {
          company: COMPANY,
          customer: WALK_IN,
          country: COUNTRY,
          disabled: 0,
          warehouse: store.warehouse,
          hide_images: 0,
          hide_unavailable_items: 0,
          auto_add_item_to_cart: 0,
          validate_stock_on_save: 0,
          print_receipt_on_order_complete: 0,
          update_stock: 1,
          ignore_pricing_rule: 0,
          allow_rate_change: 0,
          allow_discount_change: 0,
          disable_grand_total_to_default_mop: 0,
          allow_partial_payment: 0,
          selling_price_list: PRICE_LIST.standard,
          currency: CURRENCY,
          write_off_account: ACCOUNT.writeOff,
          write_off_cost_center: COST_CENTER.main,
          write_off_limit: 1,
          account_for_change_amount: ACCOUNT.cash,
          taxes_and_charges: TAX_TEMPLATE.us,
          disable_rounded_total: 0,
          apply_discount_on: 'Grand Total',
          cost_center: COST_CENTER.main,
        },
        {
          item_groups: ['POS Item Group', []],
          customer_groups: ['POS Customer Group', []],
          applicable_for_users: ['POS Profile User', [{ default: 1, user: 'Administrator' }]],
          payments: [
            'POS Payment Method',
            [
              { default: 1, allow_in_returns: 1, mode_of_payment: MODE.cash },
              { default: 0, allow_in_returns: 1, mode_of_payment: MODE.card },
              { default: 0, allow_in_returns: 0, mode_of_payment: MODE.giftCard },
            ],
          ],
        },
      ),
    ),
  );
