import { ITEM_TAX } from './names.js';

/** What the demo shop sells: its item group tree, brands and product lines. No records here. */

interface Category {
  /** The leaf Item Group. */
  readonly group: string;
  readonly brands: readonly string[];
  /** Product line, price range (per stock unit), and the sizes it comes in ('' = none). */
  readonly products: readonly (readonly [
    name: string,
    low: number,
    high: number,
    sizes: readonly string[],
  ])[];
  /** Sold by weight (stock UOM Kg) with a GS1 variable-measure barcode. */
  readonly weighed?: boolean;
  /** Units per Box when the line is also sold by the case. */
  readonly box?: number;
}

/** Item Group tree: [name, parent, Item Tax Template attached to the group]. */
export const ITEM_GROUPS: readonly (readonly [string, string, string])[] = [
  ['All Item Groups', '', ''],
  ['Grocery', 'All Item Groups', ITEM_TAX.reduced],
  ['Dairy', 'Grocery', ''],
  ['Bakery', 'Grocery', ''],
  ['Produce', 'Grocery', ITEM_TAX.zero],
  ['Beverages', 'Grocery', ''],
  ['Pantry', 'Grocery', ''],
  ['Household', 'All Item Groups', ''],
  ['Personal Care', 'All Item Groups', ''],
  ['Deli', 'All Item Groups', ''],
  ['Gift Sets', 'All Item Groups', ''],
];

export const PACKAGED: readonly Category[] = [
  {
    group: 'Dairy',
    brands: ['Meadow Farms', 'Alpine Creamery', 'Sunny Valley'],
    products: [
      ['Whole Milk', 1.29, 4.99, ['1 qt', '1/2 gal', '1 gal']],
      ['2% Milk', 1.29, 4.79, ['1 qt', '1/2 gal', '1 gal']],
      ['Greek Yogurt', 0.99, 6.49, ['5.3 oz', '32 oz']],
      ['Cheddar Cheese', 2.99, 7.99, ['8 oz', '16 oz']],
      ['Butter', 3.49, 6.99, ['8 oz', '16 oz']],
      ['Sour Cream', 1.49, 3.99, ['8 oz', '16 oz']],
      ['Cottage Cheese', 2.49, 4.99, ['16 oz', '24 oz']],
      ['Heavy Cream', 2.29, 5.99, ['1 pint', '1 qt']],
    ],
  },
  {
    group: 'Bakery',
    brands: ['Golden Crust', 'Hearthstone'],
    products: [
      ['Whole Wheat Bread', 2.49, 4.99, ['20 oz', '24 oz']],
      ['Multigrain Bread', 2.99, 5.49, ['20 oz', '24 oz']],
      ['Bagels', 2.99, 4.99, ['6 ct', '12 ct']],
      ['English Muffins', 2.49, 3.99, ['6 ct', '12 ct']],
      ['Croissants', 3.99, 6.99, ['4 ct', '8 ct']],
      ['Dinner Rolls', 2.29, 4.49, ['12 ct', '24 ct']],
      ['Flour Tortillas', 1.99, 3.99, ['10 ct', '20 ct']],
    ],
  },
  {
    group: 'Produce',
    brands: ['Green Acres', 'Orchard Lane'],
    products: [
      ['Baby Spinach', 2.49, 4.99, ['5 oz', '10 oz']],
      ['Spring Salad Mix', 2.99, 5.49, ['5 oz', '10 oz']],
      ['Baby Carrots', 1.29, 2.99, ['1 lb', '2 lb']],
      ['Cherry Tomatoes', 2.49, 4.49, ['10 oz', '1 pint']],
      ['Blueberries', 2.99, 6.99, ['6 oz', '1 pint']],
      ['Strawberries', 2.99, 5.99, ['1 lb', '2 lb']],
      ['White Mushrooms', 1.99, 3.49, ['8 oz', '16 oz']],
    ],
  },
  {
    group: 'Beverages',
    brands: ['Sparkle', 'Sunny Valley', 'Peak Spring', 'Fresh Roast'],
    products: [
      ['Cola', 0.99, 7.99, ['12 oz', '2 L', '12-pack']],
      ['Lemon-Lime Soda', 0.99, 7.99, ['12 oz', '2 L', '12-pack']],
      ['Orange Juice', 2.99, 5.99, ['52 oz', '1.75 L']],
      ['Apple Juice', 2.49, 4.99, ['64 oz', '1 gal']],
      ['Sparkling Water', 0.89, 5.99, ['1 L', '8-pack']],
      ['Iced Tea', 1.29, 4.49, ['18.5 oz', '1 gal']],
      ['Cold Brew Coffee', 2.99, 6.99, ['11 oz', '48 oz']],
    ],
    box: 24,
  },
  {
    group: 'Pantry',
    brands: ['Harvest Table', 'Olivia'],
    products: [
      ['Spaghetti', 0.99, 2.99, ['16 oz', '32 oz']],
      ['Long Grain Rice', 1.99, 6.99, ['2 lb', '5 lb']],
      ['Peanut Butter', 2.49, 5.99, ['16 oz', '28 oz']],
      ['Marinara Sauce', 1.99, 5.49, ['24 oz', '32 oz']],
      ['Honey Oat Cereal', 2.99, 5.99, ['12 oz', '18 oz']],
      ['Black Beans', 0.79, 1.99, ['15 oz', '29 oz']],
      ['Chicken Noodle Soup', 1.29, 3.49, ['10.75 oz', '18.6 oz']],
    ],
    box: 12,
  },
  {
    group: 'Household',
    brands: ['BrightHome', 'EcoClean'],
    products: [
      ['Paper Towels', 3.99, 19.99, ['2 rolls', '6 rolls', '12 rolls']],
      ['Bath Tissue', 4.99, 21.99, ['4 rolls', '12 rolls', '24 rolls']],
      ['Dish Soap', 1.99, 4.99, ['19 oz', '38 oz']],
      ['Laundry Detergent', 6.99, 17.99, ['50 oz', '100 oz']],
      ['Trash Bags', 5.99, 14.99, ['13 gal 40 ct', '30 gal 25 ct']],
      ['All-Purpose Cleaner', 2.99, 5.99, ['32 oz']],
      ['Aluminum Foil', 3.49, 7.99, ['75 sq ft', '200 sq ft']],
    ],
    box: 6,
  },
  {
    group: 'Personal Care',
    brands: ['PureGlow', 'Fresh Daily'],
    products: [
      ['Shampoo', 3.99, 11.99, ['12 oz', '25 oz']],
      ['Conditioner', 3.99, 11.99, ['12 oz', '25 oz']],
      ['Body Wash', 3.49, 9.99, ['18 oz', '32 oz']],
      ['Toothpaste', 1.99, 5.99, ['4 oz', '6 oz']],
      ['Deodorant', 2.99, 7.99, ['2.6 oz']],
      ['Sunscreen SPF 50', 6.99, 14.99, ['3 oz', '6 oz']],
      ['Baby Wipes', 2.99, 8.99, ['64 ct', '192 ct']],
    ],
  },
];

/** Sold loose: priced per Kg; the scale prints the weight into the barcode. */
export const WEIGHED: readonly Category[] = [
  {
    group: 'Produce',
    brands: [''],
    products: [
      ['Gala Apples', 2.99, 5.49, ['']],
      ['Roma Tomatoes', 2.49, 4.99, ['']],
      ['Yellow Onions', 1.49, 2.99, ['']],
      ['Russet Potatoes', 1.29, 2.49, ['']],
      ['Lemons', 3.49, 5.99, ['']],
      ['Red Grapes', 3.99, 7.99, ['']],
    ],
    weighed: true,
  },
  {
    group: 'Deli',
    brands: [''],
    products: [
      ['Roast Turkey Breast', 15.99, 24.99, ['']],
      ['Genoa Salami', 17.99, 29.99, ['']],
      ['Swiss Cheese', 14.99, 22.99, ['']],
      ['Provolone', 13.99, 21.99, ['']],
      ['Kalamata Olives', 11.99, 18.99, ['']],
      ['Potato Salad', 7.99, 11.99, ['']],
    ],
    weighed: true,
  },
];

/** Products whose items carry the Zero Rated template themselves (not through their group). */
export const ZERO_RATED_PRODUCTS: ReadonlySet<string> = new Set(['Baby Wipes']);

/** Every brand the catalog uses, hero items' included, in a stable order. */
export const BRANDS: readonly string[] = [
  ...new Set(
    [...PACKAGED, ...WEIGHED].flatMap((c) => c.brands).concat(['Outpost', 'Deli Counter']),
  ),
].filter((b) => b !== '');
