import { z } from 'zod';

/*
 * The cart as the cashier builds it: what is priced (in the page, then by the node, whose
 * price wins), never a price itself. Kept in localStorage on every change, so a
 * reload, a crash of the tab or a power cut of the screen does not lose it.
 */

const decimal = z.string().regex(/^\d+(\.\d+)?$/);

const lineSchema = z.object({
  /** Stable across edits: React's key and the line's test id. */
  id: z.number().int(),
  item_code: z.string().optional(),
  /** A weighed or price label: the scan itself is what the node prices (qty inside). */
  barcode: z.string().optional(),
  item_name: z.string(),
  qty: decimal,
  /** A price the cashier set (a line discount); the node checks it against the limits. */
  rate: decimal.optional(),
});
export type CartLine = z.output<typeof lineSchema>;

const cartSchema = z.object({
  lines: z.array(lineSchema),
  next: z.number().int(),
  /** The customer's id (ERPNext Customer name) and display name; none: walk-in. */
  customer: z.object({ name: z.string(), customer_name: z.string() }).optional(),
});
export type Cart = z.output<typeof cartSchema>;

export const emptyCart: Cart = { lines: [], next: 1 };

/** The part of the Web Storage API the cart uses (localStorage in the browser). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadCart(storage: KeyValue, key: string): Cart {
  const text = storage.getItem(key);
  if (text === null) return emptyCart;
  try {
    return cartSchema.parse(JSON.parse(text));
  } catch {
    return emptyCart;
  }
}

export function saveCart(storage: KeyValue, key: string, cart: Cart): void {
  if (cart.lines.length === 0) storage.removeItem(key);
  else storage.setItem(key, JSON.stringify(cart));
}

/** Whole quantities add up exactly (BigInt); a fractional one is a weighed line, never merged. */
const plusOne = (qty: string): string | null =>
  /^\d+$/.test(qty) ? String(BigInt(qty) + 1n) : null;

/** Adds an item by code: one more on its line when it is already in the cart. */
export function addItem(cart: Cart, item_code: string, item_name: string): Cart {
  const i = cart.lines.findIndex(
    (l) => l.item_code === item_code && l.rate === undefined && l.barcode === undefined,
  );
  const line = i >= 0 ? cart.lines[i] : undefined;
  const more = line ? plusOne(line.qty) : null;
  if (line && more !== null) {
    const lines = [...cart.lines];
    lines[i] = { ...line, qty: more };
    return { ...cart, lines };
  }
  return {
    ...cart,
    lines: [...cart.lines, { id: cart.next, item_code, item_name, qty: '1' }],
    next: cart.next + 1,
  };
}

/** Adds a weight typed at the till: a line of its own, never merged into another. */
export function addWeighed(cart: Cart, item_code: string, item_name: string, qty: string): Cart {
  return {
    ...cart,
    lines: [...cart.lines, { id: cart.next, item_code, item_name, qty }],
    next: cart.next + 1,
  };
}

/** Adds a scan whose code carries the quantity or the price (a weighed or price label). */
export function addLabel(cart: Cart, barcode: string, item_name: string, qty: string): Cart {
  return {
    ...cart,
    lines: [...cart.lines, { id: cart.next, barcode, item_name, qty }],
    next: cart.next + 1,
  };
}

export function setQty(cart: Cart, id: number, qty: string): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.id === id ? { ...l, qty } : l)) };
}

export function setRate(cart: Cart, id: number, rate: string | undefined): Cart {
  return {
    ...cart,
    lines: cart.lines.map((l) => {
      if (l.id !== id) return l;
      const next: CartLine = { ...l };
      if (rate === undefined) delete next.rate;
      else next.rate = rate;
      return next;
    }),
  };
}

export function removeLine(cart: Cart, id: number): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.id !== id) };
}

export function setCustomer(cart: Cart, customer: Cart['customer']): Cart {
  const next: Cart = { ...cart };
  if (customer === undefined) delete next.customer;
  else next.customer = customer;
  return next;
}

/** A held cart recalled: its lines as the node kept them (names come back with the price). */
export function fromHeld(held: {
  items: {
    item_code?: string | undefined;
    barcode?: string | undefined;
    qty?: string | undefined;
    rate?: string | undefined;
  }[];
  customer?: string | undefined;
}): Cart {
  const lines: CartLine[] = held.items.map((l, i) => ({
    id: i + 1,
    item_name: l.item_code ?? l.barcode ?? '',
    qty: l.qty ?? '1',
    ...(l.item_code !== undefined ? { item_code: l.item_code } : {}),
    ...(l.barcode !== undefined ? { barcode: l.barcode } : {}),
    ...(l.rate !== undefined ? { rate: l.rate } : {}),
  }));
  return {
    lines,
    next: lines.length + 1,
    ...(held.customer !== undefined
      ? { customer: { name: held.customer, customer_name: held.customer } }
      : {}),
  };
}

/** The cart in the API's shape (POST /api/cart/price, /api/sales, /api/holds). */
export function cartBody(cart: Cart): { items: Record<string, string>[]; customer?: string } {
  return {
    ...(cart.customer !== undefined ? { customer: cart.customer.name } : {}),
    items: cart.lines.map((l) => ({
      ...(l.barcode !== undefined ? { barcode: l.barcode } : { item_code: l.item_code ?? '' }),
      ...(l.barcode === undefined ? { qty: l.qty } : {}),
      ...(l.rate !== undefined ? { rate: l.rate } : {}),
    })),
  };
}
