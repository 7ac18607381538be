import { addDays, makeDoc, type Fields, type SeedDoc } from './record.js';
import { HERO } from './heroes.js';
import { COMPANY, CURRENCY, CUSTOMER_GROUP } from './names.js';

/**
 * One pricing rule of each kind ERPNext offers a shop, on hero items so they are easy to hit.
 * Priorities are set wherever two rules can meet on one line, because ERPNext refuses a tie
 * (MultiplePricingRuleConflict) rather than choosing.
 */

/** Field defaults as ERPNext stores them on a new rule. */
const RULE_DEFAULTS: Fields = {
  naming_series: 'PRLE-.####',
  disable: 0,
  apply_on: 'Item Code',
  price_or_product_discount: 'Price',
  mixed_conditions: 0,
  is_cumulative: 0,
  coupon_code_based: 0,
  apply_rule_on_other: '',
  selling: 1,
  buying: 0,
  applicable_for: '',
  min_qty: 0,
  max_qty: 0,
  min_amt: 0,
  max_amt: 0,
  same_item: 0,
  free_item: null,
  free_qty: 0,
  free_item_rate: 0,
  round_free_qty: 0,
  dont_enforce_free_item_qty: 0,
  is_recursive: 0,
  recurse_for: 0,
  apply_recursion_over: 0,
  valid_from: null,
  valid_upto: null,
  company: COMPANY,
  currency: CURRENCY,
  margin_type: 'Percentage',
  margin_rate_or_amount: 0,
  rate_or_discount: 'Discount Percentage',
  apply_discount_on: 'Grand Total',
  rate: 0,
  discount_amount: 0,
  discount_percentage: 0,
  apply_multiple_pricing_rules: 0,
  apply_discount_on_rate: 0,
  threshold_percentage: 0,
  validate_applied_rule: 0,
  has_priority: 0,
  priority: '',
};

interface RuleSpec {
  readonly fields: Fields;
  readonly items?: readonly string[];
  readonly groups?: readonly string[];
  readonly brands?: readonly string[];
}

const pct = (discount_percentage: number): Fields => ({ discount_percentage });
const priority = (p: number): Fields => ({ has_priority: 1, priority: String(p) });

function specs(today: string): RuleSpec[] {
  return [
    { fields: { title: 'Milk: 10% off 2 or more', min_qty: 2, ...pct(10) }, items: [HERO.milk] },
    {
      fields: { title: 'Beverages 5% off', apply_on: 'Item Group', ...pct(5), ...priority(1) },
      groups: ['Beverages'],
    },
    { fields: { title: 'PureGlow 10% off', apply_on: 'Brand', ...pct(10) }, brands: ['PureGlow'] },
    {
      fields: { title: 'Sparkle Cola 2 L for 1.99', rate_or_discount: 'Rate', rate: 1.99 },
      items: [HERO.cola],
    },
    {
      fields: {
        title: 'Coffee beans 1.50 off',
        rate_or_discount: 'Discount Amount',
        discount_amount: 1.5,
      },
      items: [HERO.coffee],
    },
    {
      // Scoped to a customer group on purpose: ERPNext drops every free-item line from an
      // invoice whenever a Transaction rule applies to its customer but the basket is below the
      // threshold (`remove_free_item`), so an unscoped rule would disable the product rules.
      fields: {
        title: 'Members: 5% off baskets of 150.00 or more',
        apply_on: 'Transaction',
        applicable_for: 'Customer Group',
        customer_group: CUSTOMER_GROUP.members,
        min_amt: 150,
        ...pct(5),
      },
    },
    {
      fields: {
        title: 'Sourdough: buy 2 get 1 free',
        price_or_product_discount: 'Product',
        same_item: 1,
        min_qty: 2,
        free_qty: 1,
        is_recursive: 1,
        recurse_for: 2,
        round_free_qty: 1,
      },
      items: [HERO.sourdough],
    },
    {
      fields: {
        title: 'Free tote with 2 orange juices',
        price_or_product_discount: 'Product',
        min_qty: 2,
        free_item: HERO.tote,
        free_qty: 1,
      },
      items: [HERO.orangeJuice],
    },
    {
      fields: { title: 'Bananas 5% (priority 1)', ...pct(5), ...priority(1) },
      items: [HERO.bananas],
    },
    {
      fields: { title: 'Bananas 15% (priority 5, wins)', ...pct(15), ...priority(5) },
      items: [HERO.bananas],
    },
    {
      fields: { title: 'Olive oil 5% (stacks)', ...pct(5), apply_multiple_pricing_rules: 1 },
      items: [HERO.oliveOil],
    },
    {
      fields: { title: 'Olive oil 3% more (stacks)', ...pct(3), apply_multiple_pricing_rules: 1 },
      items: [HERO.oliveOil],
    },
    {
      fields: {
        title: 'Pumpkin pie week: 20% off',
        valid_from: addDays(today, -3),
        valid_upto: addDays(today, 4),
        ...pct(20),
      },
      items: [HERO.pumpkinPie],
    },
    {
      fields: {
        title: 'Gold members: 7% off groceries',
        apply_on: 'Item Group',
        applicable_for: 'Customer Group',
        customer_group: CUSTOMER_GROUP.gold,
        ...pct(7),
        ...priority(3),
      },
      groups: ['Grocery'],
    },
  ];
}

/** Rule names follow the `PRLE-.####` series in the order above. */
export const pricingRules = (now: string): SeedDoc[] =>
  specs(now).map((spec, i) => {
    const name = `PRLE-${String(i + 1).padStart(4, '0')}`;
    return makeDoc(
      'Pricing Rule',
      name,
      now,
      { ...RULE_DEFAULTS, ...spec.fields },
      {
        items: ['Pricing Rule Item Code', (spec.items ?? []).map((item_code) => ({ item_code }))],
        item_groups: [
          'Pricing Rule Item Group',
          (spec.groups ?? []).map((item_group) => ({ item_group })),
        ],
        brands: ['Pricing Rule Brand', (spec.brands ?? []).map((brand) => ({ brand }))],
      },
    );
  });
