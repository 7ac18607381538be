import { addDays, makeDoc, type SeedDoc } from './record.js';
import { nestedSet } from './tree.js';
import {
  ACCOUNT,
  COMPANY,
  COST_CENTER,
  CURRENCY,
  CUSTOMER_GROUP,
  LOYALTY_PROGRAM,
  PRICE_LIST,
  STORES,
  TERRITORY,
} from './names.js';

/** Price lists, customer groups, territories and the loyalty program. */

export const priceLists = (now: string): SeedDoc[] =>
  [PRICE_LIST.standard, PRICE_LIST.member].map((name) =>
    makeDoc(
      'Price List',
      name,
      now,
      {
        enabled: 1,
        price_list_name: name,
        currency: CURRENCY,
        buying: 0,
        selling: 1,
        price_not_uom_dependent: 0,
      },
      { countries: ['Price List Country', []] },
    ),
  );

/** Members and Gold shop at member prices: ERPNext takes the group's default price list. */
export const customerGroups = (now: string): SeedDoc[] =>
  nestedSet([
    { name: CUSTOMER_GROUP.all, parent: '' },
    { name: CUSTOMER_GROUP.individual, parent: CUSTOMER_GROUP.all },
    { name: CUSTOMER_GROUP.members, parent: CUSTOMER_GROUP.all },
    { name: CUSTOMER_GROUP.gold, parent: CUSTOMER_GROUP.all },
  ]).map(({ node, lft, rgt, isGroup }) =>
    makeDoc(
      'Customer Group',
      node.name,
      now,
      {
        customer_group_name: node.name,
        parent_customer_group: node.parent,
        is_group: isGroup ? 1 : 0,
        default_price_list:
          node.name === CUSTOMER_GROUP.members || node.name === CUSTOMER_GROUP.gold
            ? PRICE_LIST.member
            : null,
        lft,
        rgt,
        old_parent: node.parent,
      },
      { accounts: ['Party Account', []], credit_limits: ['Customer Credit Limit', []] },
    ),
  );

export const territories = (now: string): SeedDoc[] =>
  nestedSet([
    { name: TERRITORY.all, parent: '' },
    { name: TERRITORY.us, parent: TERRITORY.all },
    ...STORES.map((s) => ({ name: s.territory, parent: TERRITORY.us })),
  ]).map(({ node, lft, rgt, isGroup }) =>
    makeDoc(
      'Territory',
      node.name,
      now,
      {
        territory_name: node.name,
        parent_territory: node.parent,
        is_group: isGroup ? 1 : 0,
        territory_manager: null,
        lft,
        rgt,
        old_parent: node.parent,
      },
      { targets: ['Target Detail', []] },
    ),
  );

/** One tier, 1 point per 1.00 spent, each point worth 0.01, expiring after a year. */
export const loyaltyPrograms = (now: string): SeedDoc[] => [
  makeDoc(
    'Loyalty Program',
    LOYALTY_PROGRAM,
    now,
    {
      loyalty_program_name: LOYALTY_PROGRAM,
      loyalty_program_type: 'Single Tier Program',
      from_date: addDays(now, -365),
      to_date: null,
      customer_group: CUSTOMER_GROUP.all,
      customer_territory: TERRITORY.all,
      auto_opt_in: 0,
      conversion_factor: 0.01,
      expiry_duration: 365,
      expense_account: ACCOUNT.loyalty,
      company: COMPANY,
      cost_center: COST_CENTER.main,
    },
    {
      collection_rules: [
        'Loyalty Program Collection',
        [{ tier_name: 'Rewards', min_spent: 0, collection_factor: 1 }],
      ],
    },
  ),
];
