import { Rng } from './prng.js';
import { ean13, pad, weighedEan13 } from './ean.js';
import { cents } from './record.js';
import { PACKAGED, WEIGHED, ZERO_RATED_PRODUCTS } from './catalog.js';
import { HEROES, itemCode, type Hero } from './heroes.js';
import { ITEM_TAX, UOM } from './names.js';

/** Everything about item N that Item, Item Price and Bin records need, derived from N alone. */
export interface ItemSpec {
  readonly code: string;
  readonly name: string;
  readonly group: string;
  readonly brand: string;
  readonly uom: typeof UOM.nos | typeof UOM.kg;
  readonly price: number;
  readonly memberPrice: number;
  /** Units per Box, 0 when not sold by the case. */
  readonly box: number;
  readonly boxPrice: number;
  readonly isStock: boolean;
  readonly barcodes: readonly { readonly barcode: string; readonly uom: string }[];
  readonly itemTax: string;
  readonly valuation: number;
  /** Actual quantity in each store, in STORES order. */
  readonly stock: readonly [number, number];
}

/** Every 20th generated item is weighed (5 %), which keeps PLUs unique up to MAX_ITEMS. */
const WEIGHED_EVERY = 20;
const WEIGHED_AT = 7;
/** PLUs below this belong to the hero items. */
const PLU_BASE = 10;
/** The most items a seed can have while every weighed item's PLU fits the barcode's 5 digits. */
export const MAX_ITEMS = (99999 - PLU_BASE) * WEIGHED_EVERY + WEIGHED_AT;

const STREAM_ITEM = 1;
const PRICE_ENDINGS = [0.29, 0.49, 0.79, 0.99, 0.99, 0.99];

/** What differs between a hero and a generated item; the rest is drawn the same way. */
interface Draft {
  readonly name: string;
  readonly group: string;
  readonly brand: string;
  readonly weighed: boolean;
  readonly box: number;
  readonly price: number;
  readonly plu: number | undefined;
  readonly itemTax: string;
  readonly isStock: boolean;
}

export function itemSpec(seed: number, index: number): ItemSpec {
  const rng = Rng.at(seed, STREAM_ITEM, index);
  const hero = HEROES[index];
  if (hero) return finish(rng, index, fromHero(hero));
  const weighed = index % WEIGHED_EVERY === WEIGHED_AT;
  const category = rng.pick(weighed ? WEIGHED : PACKAGED);
  const [product, low, high, sizes] = rng.pick(category.products);
  const brand = rng.pick(category.brands);
  const size = rng.pick(sizes);
  return finish(rng, index, {
    name: [brand, product, size].filter((s) => s !== '').join(' '),
    group: category.group,
    brand,
    weighed,
    box: category.box && rng.chance(0.3) ? category.box : 0,
    price: retailPrice(rng, low, high),
    plu: weighed ? PLU_BASE + Math.floor(index / WEIGHED_EVERY) : undefined,
    itemTax: ZERO_RATED_PRODUCTS.has(product) ? ITEM_TAX.zero : '',
    isStock: true,
  });
}

const fromHero = (h: Hero): Draft => ({
  name: h.name,
  group: h.group,
  brand: h.brand,
  weighed: h.uom === UOM.kg,
  box: h.box ?? 0,
  price: h.price,
  plu: h.plu,
  itemTax: h.itemTax ?? '',
  isStock: h.stock !== false,
});

function finish(rng: Rng, index: number, d: Draft): ItemSpec {
  const digits = scramble(index);
  const barcodes =
    d.plu !== undefined
      ? [{ barcode: weighedEan13(d.plu, 0), uom: UOM.kg }]
      : [
          { barcode: ean13('07' + digits), uom: UOM.nos },
          ...(d.box ? [{ barcode: ean13('08' + digits), uom: UOM.box }] : []),
        ];
  const memberDiscount = rng.pick([0, 0, 0.05, 0.1]);
  const stockQty = (): number =>
    !d.isStock ? 0 : d.weighed ? rng.int(0, 60000) / 1000 : rng.int(0, 48) * rng.int(1, 6);
  return {
    code: itemCode(index),
    name: d.name,
    group: d.group,
    brand: d.brand,
    uom: d.weighed ? UOM.kg : UOM.nos,
    price: d.price,
    memberPrice: cents(d.price * (1 - memberDiscount)),
    box: d.box,
    // A case is a little cheaper than its units bought one by one.
    boxPrice: d.box ? cents(d.price * d.box * 0.92) : 0,
    isStock: d.isStock,
    barcodes,
    itemTax: d.itemTax,
    valuation: cents(d.price * 0.62),
    stock: [stockQty(), stockQty()],
  };
}

/** A shelf price between low and high that ends the way shelf prices do (.29, .49, .79, .99). */
function retailPrice(rng: Rng, low: number, high: number): number {
  const dollars = Math.floor(low + rng.next() * (high - low));
  return Math.max(cents(dollars + rng.pick(PRICE_ENDINGS)), low);
}

/**
 * A bijection on 0..10^10−1 (an affine map whose factor is coprime with 10), so barcodes look
 * unrelated while staying unique. For index < MAX_ITEMS the product stays below 2^53: exact.
 */
function scramble(index: number): string {
  return pad((index * 3_141_592_653 + 4_271_009_337) % 1e10, 10);
}
