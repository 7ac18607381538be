import { ITEM_TAX, UOM } from './names.js';

/**
 * The first items of every seed, written by hand so that pricing rules, bundles and demos can
 * name them. Their index is their position here, so `HERO.milk` is always item 1.
 */
export interface Hero {
  readonly name: string;
  readonly group: string;
  readonly brand: string;
  readonly uom: typeof UOM.nos | typeof UOM.kg;
  readonly price: number;
  readonly box?: number;
  /** Weighed items: the 5-digit item reference inside the variable-measure barcode. */
  readonly plu?: number;
  /** Bundles are not stock items: their components are. */
  readonly stock?: false;
  readonly itemTax?: string;
}

const HEROES_BY_KEY = {
  milk: {
    name: 'Meadow Farms Whole Milk 1 gal',
    group: 'Dairy',
    brand: 'Meadow Farms',
    uom: UOM.nos,
    price: 4.29,
  },
  sourdough: {
    name: 'Golden Crust Sourdough Loaf 24 oz',
    group: 'Bakery',
    brand: 'Golden Crust',
    uom: UOM.nos,
    price: 5.49,
  },
  cola: {
    name: 'Sparkle Cola 2 L',
    group: 'Beverages',
    brand: 'Sparkle',
    uom: UOM.nos,
    price: 2.49,
  },
  coffee: {
    name: 'Fresh Roast Coffee Beans 12 oz',
    group: 'Beverages',
    brand: 'Fresh Roast',
    uom: UOM.nos,
    price: 9.99,
  },
  bananas: { name: 'Bananas', group: 'Produce', brand: '', uom: UOM.kg, price: 1.49, plu: 1 },
  tote: {
    name: 'Outpost Reusable Tote Bag',
    group: 'Household',
    brand: 'Outpost',
    uom: UOM.nos,
    price: 2.99,
  },
  orangeJuice: {
    name: 'Sunny Valley Orange Juice 1.75 L',
    group: 'Beverages',
    brand: 'Sunny Valley',
    uom: UOM.nos,
    price: 4.99,
  },
  oliveOil: {
    name: 'Olivia Extra Virgin Olive Oil 500 ml',
    group: 'Pantry',
    brand: 'Olivia',
    uom: UOM.nos,
    price: 8.99,
  },
  pumpkinPie: {
    name: 'Hearthstone Pumpkin Pie 9 in',
    group: 'Bakery',
    brand: 'Hearthstone',
    uom: UOM.nos,
    price: 7.99,
  },
  ham: {
    name: 'Smoked Ham (sliced)',
    group: 'Deli',
    brand: 'Deli Counter',
    uom: UOM.kg,
    price: 17.99,
    plu: 2,
  },
  cheddar: {
    name: 'Aged Cheddar (cut to order)',
    group: 'Deli',
    brand: 'Deli Counter',
    uom: UOM.kg,
    price: 21.99,
    plu: 3,
  },
  water: {
    name: 'Peak Spring Water 500 ml',
    group: 'Beverages',
    brand: 'Peak Spring',
    uom: UOM.nos,
    price: 0.89,
    box: 24,
  },
  paperTowels: {
    name: 'BrightHome Paper Towels 6 rolls',
    group: 'Household',
    brand: 'BrightHome',
    uom: UOM.nos,
    price: 8.99,
    box: 4,
  },
  shampoo: {
    name: 'PureGlow Shampoo 12 oz',
    group: 'Personal Care',
    brand: 'PureGlow',
    uom: UOM.nos,
    price: 6.49,
  },
  diapers: {
    name: 'Fresh Daily Baby Diapers 40 ct',
    group: 'Personal Care',
    brand: 'Fresh Daily',
    uom: UOM.nos,
    price: 12.99,
    itemTax: ITEM_TAX.zero,
  },
  breakfastBasket: {
    name: 'Breakfast Gift Basket',
    group: 'Gift Sets',
    brand: 'Outpost',
    uom: UOM.nos,
    price: 19.99,
    stock: false,
  },
  picnicBundle: {
    name: 'Picnic Bundle',
    group: 'Gift Sets',
    brand: 'Outpost',
    uom: UOM.nos,
    price: 24.99,
    stock: false,
  },
  selfCareSet: {
    name: 'Self-Care Set',
    group: 'Gift Sets',
    brand: 'Outpost',
    uom: UOM.nos,
    price: 9.99,
    stock: false,
  },
} as const satisfies Record<string, Hero>;

type HeroKey = keyof typeof HEROES_BY_KEY;
export const HEROES: readonly Hero[] = Object.values(HEROES_BY_KEY);

/** Item code of item `index` (0-based): SKU-0000001 upwards. */
export const itemCode = (index: number): string => `SKU-${String(index + 1).padStart(7, '0')}`;

/** Hero item codes by key, e.g. `HERO.milk === 'SKU-0000001'`. */
export const HERO = Object.fromEntries(
  Object.keys(HEROES_BY_KEY).map((k, i) => [k, itemCode(i)]),
) as Readonly<Record<HeroKey, string>>;

/** Product Bundles over hero items: [bundle, [component, qty]...]. */
export const BUNDLES: readonly (readonly [HeroKey, readonly (readonly [HeroKey, number])[]])[] = [
  [
    'breakfastBasket',
    [
      ['milk', 1],
      ['sourdough', 1],
      ['coffee', 1],
      ['orangeJuice', 1],
    ],
  ],
  [
    'picnicBundle',
    [
      ['cola', 2],
      ['water', 6],
      ['cheddar', 0.25],
      ['tote', 1],
    ],
  ],
  [
    'selfCareSet',
    [
      ['shampoo', 1],
      ['tote', 1],
    ],
  ],
];
