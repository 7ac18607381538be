import type { Db } from './db.js';

/**
 * Carts put on hold at a till (a customer fetching a forgotten item) and recalled later, at
 * that till or another of the store. Not a sale: nothing is journaled or numbered until the
 * recalled cart is sold. The table is created on first use (`IF NOT EXISTS`), so a store made
 * before the node existed gains it without a numbered migration.
 */
export interface HeldCart {
  /** HOLD-n. */
  readonly name: string;
  readonly cashier_id: string;
  readonly note: string;
  readonly created_at: string;
  /** The cart as the API received it (JSON text; the API parses it back with its schema). */
  readonly cart: string;
}

export function ensureHoldTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS held_cart (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cashier_id TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    cart TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`);
}

const nameOf = (id: number): string => `HOLD-${id}`;
const idOf = (name: string): number => Number(name.slice('HOLD-'.length));

interface Row {
  id: number;
  cashier_id: string;
  note: string;
  cart: string;
  created_at: string;
}

const held = (r: Row): HeldCart => ({
  name: nameOf(r.id),
  cashier_id: r.cashier_id,
  note: r.note,
  created_at: r.created_at,
  cart: r.cart,
});

/** Puts a cart on hold; returns its name. */
export function holdCart(
  db: Db,
  hold: { cashier_id: string; note: string; cart: string; created_at: string },
): string {
  const r = db
    .prepare('INSERT INTO held_cart (cashier_id, note, cart, created_at) VALUES (?, ?, ?, ?)')
    .run(hold.cashier_id, hold.note, hold.cart, hold.created_at);
  return nameOf(Number(r.lastInsertRowid));
}

/** Every cart on hold, oldest first. */
export function heldCarts(db: Db): HeldCart[] {
  return (db.prepare('SELECT * FROM held_cart ORDER BY id').all() as Row[]).map(held);
}

/**
 * Takes a held cart off hold and returns it, in one statement: two tills recalling the same
 * cart at once get it once (the other gets undefined).
 */
export function recallCart(db: Db, name: string): HeldCart | undefined {
  const row = db.prepare('DELETE FROM held_cart WHERE id = ? RETURNING *').get(idOf(name)) as
    Row | undefined;
  return row ? held(row) : undefined;
}
