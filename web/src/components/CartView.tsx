import { memo, useMemo, useState } from 'react';
import type { Quote, QuoteItem } from '../api/schemas';
import type { Cart, CartLine } from '../cart';
import type { Formats } from '../format';

/** The rule names ERPNext stores on a row (`pricing_rules`, a JSON list as text). */
function rulesOf(row: QuoteItem): string[] {
  try {
    const v: unknown = JSON.parse(row.pricing_rules || '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A line's priced row and the free rows a rule added after it. */
interface Priced {
  readonly row: QuoteItem;
  readonly free: QuoteItem[];
}

/**
 * The priced rows for the cart's lines: the rows the engine did not add itself (free items of a
 * rule come after the line they come with), in order.
 */
function rowsFor(cart: Cart, quote: Quote | null): Map<number, Priced> {
  const out = new Map<number, Priced>();
  if (!quote) return out;
  const paid = quote.items.filter((r) => r.is_free_item !== 1);
  if (paid.length !== cart.lines.length) return out;
  let last: Priced | undefined;
  let i = 0;
  for (const r of quote.items) {
    if (r.is_free_item === 1) {
      last?.free.push(r);
      continue;
    }
    const line = cart.lines[i++];
    last = line ? { row: r, free: [] } : undefined;
    if (line && last) out.set(line.id, last);
  }
  return out;
}

const step = (qty: string, by: 1n | -1n): string | null => {
  if (!/^\d+$/.test(qty)) return null;
  const next = BigInt(qty) + by;
  return next >= 1n ? String(next) : null;
};

export interface CartActions {
  setQty(id: number, qty: string): void;
  setRate(id: number, rate: string | undefined): void;
  remove(id: number): void;
}

interface RowProps {
  readonly line: CartLine;
  readonly priced: Priced | undefined;
  readonly f: Formats;
  readonly actions: CartActions;
  readonly editing: boolean;
  readonly onEdit: (id: number | null) => void;
}

const SHOWN = [
  'item_name',
  'qty',
  'rate',
  'amount',
  'price_list_rate',
  'discount_percentage',
  'discount_amount',
  'pricing_rules',
  'idx',
] as const;

const sameItem = (a: QuoteItem | undefined, b: QuoteItem | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && SHOWN.every((k) => a[k] === b[k]));

/**
 * A row repaints only when what it shows changed: a scan adds one row to a table of a hundred,
 * and a new price of the cart (the node's after the page's) is mostly the same rows.
 */
const samePriced = (a: Priced | undefined, b: Priced | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    sameItem(a.row, b.row) &&
    a.free.length === b.free.length &&
    a.free.every((r, i) => sameItem(r, b.free[i])));

const Row = memo(
  function Row({ line: l, priced, f, actions, editing, onEdit }: RowProps) {
    const [rate, setRate] = useState('');
    const row = priced?.row;
    const rules = row ? rulesOf(row) : [];
    const minus = step(l.qty, -1n);
    const plus = step(l.qty, 1n);
    return (
      <tr data-testid="cart-line">
        <td>
          <div className="name">{row?.item_name ?? l.item_name}</div>
          {rules.length > 0 && row && (
            <div className="promo" data-testid="promo">
              {rules.join(', ')}
              {row.discount_percentage ? ` −${f.qty(row.discount_percentage)} %` : ''}
              {row.discount_amount ? ` (−${f.money(row.discount_amount)} each)` : ''}
            </div>
          )}
          {l.rate !== undefined && <div className="promo">Price set by cashier</div>}
          {priced?.free.map((r) => (
            <div className="promo" key={r.idx}>
              Free: {f.qty(r.qty)} × {r.item_name}
            </div>
          ))}
        </td>
        <td className="qty">
          <button
            type="button"
            aria-label={`One less ${l.item_name}`}
            disabled={minus === null}
            onClick={() => minus !== null && actions.setQty(l.id, minus)}
          >
            −
          </button>
          <span data-testid="qty">{f.qty(l.qty)}</span>
          <button
            type="button"
            aria-label={`One more ${l.item_name}`}
            disabled={plus === null}
            onClick={() => plus !== null && actions.setQty(l.id, plus)}
          >
            +
          </button>
        </td>
        <td className="num">
          {editing ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                actions.setRate(l.id, /^\d+(\.\d+)?$/.test(rate) ? rate : undefined);
                onEdit(null);
              }}
            >
              <label className="visually-hidden" htmlFor={`rate-${l.id}`}>
                New price for {l.item_name}
              </label>
              <input
                id={`rate-${l.id}`}
                inputMode="decimal"
                className="rate"
                value={rate}
                autoFocus
                onChange={(e) => setRate(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && onEdit(null)}
              />
            </form>
          ) : (
            <button
              type="button"
              className="link"
              onClick={() => {
                setRate(l.rate ?? '');
                onEdit(l.id);
              }}
            >
              {row ? f.money(row.rate) : '…'}
              <span className="visually-hidden"> — change the price of {l.item_name}</span>
            </button>
          )}
          {row && row.price_list_rate !== row.rate && (
            <div className="was">{f.money(row.price_list_rate)}</div>
          )}
        </td>
        <td className="num" data-testid="amount">
          {row ? f.money(row.amount) : '…'}
        </td>
        <td>
          <button
            type="button"
            className="remove"
            aria-label={`Remove ${l.item_name}`}
            onClick={() => actions.remove(l.id)}
          >
            ✕
          </button>
        </td>
      </tr>
    );
  },
  (a, b) =>
    a.line === b.line &&
    a.f === b.f &&
    a.actions === b.actions &&
    a.editing === b.editing &&
    a.onEdit === b.onEdit &&
    samePriced(a.priced, b.priced),
);

/** The cart's table: one memoized row per line. */
export function CartView({
  cart,
  quote,
  f,
  actions,
}: {
  cart: Cart;
  quote: Quote | null;
  f: Formats;
  actions: CartActions;
}) {
  const rows = useMemo(() => rowsFor(cart, quote), [cart, quote]);
  const [editing, setEditing] = useState<number | null>(null);
  if (cart.lines.length === 0) {
    return (
      <p className="empty" data-testid="cart-empty">
        Scan an item or search for one to start a sale.
      </p>
    );
  }
  return (
    <table className="cart" aria-label="Cart">
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Qty</th>
          <th scope="col">Price</th>
          <th scope="col">Amount</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {cart.lines.map((l) => (
          <Row
            key={l.id}
            line={l}
            priced={rows.get(l.id)}
            f={f}
            actions={actions}
            editing={editing === l.id}
            onEdit={setEditing}
          />
        ))}
      </tbody>
    </table>
  );
}
