import { z } from 'zod';
import type { KeyValue } from './cart.js';
import { NO_SETTLEMENT, type Settlement } from './settle.js';

/*
 * What the cashier entered at payment (an amount per mode, points redeemed, a discount on the
 * sale), kept in web storage beside the cart so a reload in the middle of taking the money
 * shows the same payment. It is bound to the till's shift and to the very cart it was entered
 * for: read back through its schema, an entry of another till or shift, another cart, a mode
 * this till does not take, or of another shape is dropped, never trusted.
 */

export const SETTLEMENT_KEY = 'outpost.settlement';

/** An amount as typed (Payment checks it before sending): shown again, never computed with. */
const amountTyped = z.string().max(32);

const keptSchema = z.object({
  v: z.literal(1),
  /** `store_id/terminal_id@shift opened_at`: a kept payment belongs to one till's shift. */
  till: z.string().min(1),
  /** The cart in the API's shape (`cartBody`), as JSON: the payment was entered for it. */
  cart: z.string().min(1),
  tendered: z.record(z.string().min(1), amountTyped),
  redeem: z.number().int().min(0).max(1_000_000_000),
  discount: z.string().regex(/^[\d.]{0,6}$/),
});

export type Tendered = Readonly<Record<string, string>>;

/** A payment entered for one cart at one till. */
export interface Kept {
  readonly till: string;
  readonly cart: string;
  readonly tendered: Tendered;
  readonly settle: Settlement;
}

const nothingTyped = (t: Tendered): boolean => Object.values(t).every((a) => a === '');

/** Nothing entered: no tender, no points, no discount. */
export const isEmpty = (k: Pick<Kept, 'tendered' | 'settle'>): boolean =>
  nothingTyped(k.tendered) && k.settle.redeem === 0 && k.settle.discount === '';

/** The one settlement object for "none" (usePricing tells the page's price by its identity). */
export const settlementOf = (redeem: number, discount: string): Settlement =>
  redeem === 0 && discount === '' ? NO_SETTLEMENT : { redeem, discount };

/**
 * The kept payment for `cart` at `till`, whose modes are all in `modes`; anything else found
 * under the key (stale, foreign, damaged) is removed and null returned.
 */
export function loadKept(
  storage: KeyValue,
  till: string,
  cart: string,
  modes: readonly string[],
): Kept | null {
  const text = storage.getItem(SETTLEMENT_KEY);
  if (text === null) return null;
  let k: z.output<typeof keptSchema> | null = null;
  try {
    k = keptSchema.parse(JSON.parse(text));
  } catch {
    k = null;
  }
  const fits =
    k !== null &&
    k.till === till &&
    k.cart === cart &&
    Object.keys(k.tendered).every((m) => modes.includes(m));
  if (!k || !fits) {
    storage.removeItem(SETTLEMENT_KEY);
    return null;
  }
  return {
    till: k.till,
    cart: k.cart,
    tendered: k.tendered,
    settle: settlementOf(k.redeem, k.discount),
  };
}

/** Keeps `k`, or forgets what was kept once nothing is entered. */
export function saveKept(storage: KeyValue, k: Kept): void {
  if (isEmpty(k)) {
    storage.removeItem(SETTLEMENT_KEY);
    return;
  }
  const value: z.input<typeof keptSchema> = {
    v: 1,
    till: k.till,
    cart: k.cart,
    tendered: k.tendered,
    redeem: k.settle.redeem,
    discount: k.settle.discount,
  };
  storage.setItem(SETTLEMENT_KEY, JSON.stringify(value));
}

export function clearKept(storage: KeyValue): void {
  storage.removeItem(SETTLEMENT_KEY);
}
