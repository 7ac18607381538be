/** Names the demo company's documents share, so modules and tests link by one spelling. */
export const COMPANY = 'Outpost Demo Retail';
export const ABBR = 'ODR';
export const CURRENCY = 'USD';
export const COUNTRY = 'United States';

/** ERPNext names company-scoped documents `<name> - <abbr>`. */
export const odr = (name: string): string => `${name} - ${ABBR}`;

export const ACCOUNT = {
  cash: odr('Cash'),
  card: odr('Card Clearing'),
  giftCard: odr('Gift Card Liability'),
  debtors: odr('Debtors'),
  creditors: odr('Creditors'),
  stock: odr('Stock In Hand'),
  stateTax: odr('State Sales Tax'),
  cityTax: odr('City Sales Tax'),
  vat: odr('VAT'),
  sales: odr('Sales'),
  cogs: odr('Cost of Goods Sold'),
  stockAdjustment: odr('Stock Adjustment'),
  writeOff: odr('Write Off'),
  roundOff: odr('Round Off'),
  loyalty: odr('Loyalty Expense'),
} as const;

export const COST_CENTER = { root: odr(COMPANY), main: odr('Main') } as const;

export const WAREHOUSE = {
  all: odr('All Warehouses'),
  north: odr('Store North'),
  south: odr('Store South'),
} as const;
export const STORES = [
  { warehouse: WAREHOUSE.north, label: 'Store North', territory: 'North District' },
  { warehouse: WAREHOUSE.south, label: 'Store South', territory: 'South District' },
] as const;

export const PRICE_LIST = { standard: 'Standard Selling', member: 'Member Selling' } as const;

export const TAX_TEMPLATE = {
  us: odr('US Sales Tax 8.875%'),
  vat: odr('VAT 20% incl'),
} as const;
export const ITEM_TAX = { zero: odr('Zero Rated'), reduced: odr('Reduced Rate') } as const;

export const CUSTOMER_GROUP = {
  all: 'All Customer Groups',
  individual: 'Individual',
  members: 'Members',
  gold: 'Gold',
} as const;
export const TERRITORY = { all: 'All Territories', us: 'United States' } as const;
export const WALK_IN = 'Walk-in Customer';
export const LOYALTY_PROGRAM = 'Outpost Rewards';

export const MODE = { cash: 'Cash', card: 'Credit Card', giftCard: 'Gift Card' } as const;
export const UOM = { nos: 'Nos', kg: 'Kg', box: 'Box' } as const;
