import { Dec, type Quote } from '../core/index.js';
import type { Terminal } from './terminal.js';

/* The local effects of a sale or return that ERPNext will redo on its side: stock and points. */

/** Moves local stock by the invoice's stock quantities (sign 1 = out, -1 = back in). */
export function bookStock(term: Terminal, q: Quote, warehouse: string, sign: 1 | -1): void {
  const moves = new Map<string, Dec>();
  const add = (code: string, wh: string, qty: Dec) => {
    const key = `${code}\u0000${wh || warehouse}`;
    moves.set(key, (moves.get(key) ?? new Dec(0)).plus(qty.abs()));
  };
  // A bundle moves its components, not itself.
  const bundles = new Set(q.packed_items.map((p) => p.parent_item));
  for (const line of q.doc.items) {
    if (!bundles.has(line.item_code)) add(line.item_code, line.warehouse, line.stock_qty);
  }
  for (const p of q.packed_items) add(p.item_code, p.warehouse, p.qty);
  const upsert = term.stmt(
    `INSERT INTO stock_pending (item_code, warehouse, qty) VALUES (?, ?, ?)
     ON CONFLICT (item_code, warehouse) DO UPDATE SET qty = excluded.qty`,
  );
  const current = term
    .stmt('SELECT qty FROM stock_pending WHERE item_code = ? AND warehouse = ?')
    .pluck();
  const isStock = term.stmt('SELECT is_stock_item FROM item WHERE item_code = ?').pluck();
  for (const [key, qty] of moves) {
    const [code = '', wh = ''] = key.split('\u0000');
    if (Number(isStock.get(code) ?? 0) !== 1) continue;
    const before = new Dec((current.get(code, wh) as string | undefined) ?? 0);
    upsert.run(code, wh, before.plus(qty.times(sign)).toFixed());
  }
}

/** Books the sale's loyalty effects locally: points redeemed (now) and earned. */
export function bookLoyalty(
  term: Terminal,
  invoiceNo: string,
  customer: string,
  company: string,
  date: string,
  q: Quote,
  redeem: number,
): void {
  const insert = term.stmt(
    `INSERT INTO loyalty_pending (invoice_no, customer, loyalty_program, company, loyalty_points,
       purchase_amount, posting_date, expiry_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  if (redeem > 0 && q.doc.loyalty_program) {
    // ERPNext spreads a redemption over the earned entries soonest-expiring first; locally one
    // entry that never expires keeps the balance right until ERPNext's own entries arrive.
    insert.run(
      invoiceNo,
      customer,
      q.doc.loyalty_program,
      company,
      -redeem,
      '0',
      date,
      '9999-12-31',
    );
  }
  const e = q.loyalty_points_earned;
  if (e && e.loyalty_points > 0) {
    insert.run(
      invoiceNo,
      customer,
      e.loyalty_program,
      company,
      e.loyalty_points,
      e.purchase_amount.toFixed(),
      e.posting_date,
      e.expiry_date,
    );
  }
}
