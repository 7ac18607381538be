import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import { ApiError } from '../api/client';
import { quoteSchema, type Quote } from '../api/schemas';
import type { Auth } from '../auth';
import { cartBody, type Cart } from '../cart';
import { afterPaint } from '../pricing/after-paint';
import { PriceBook, contextSchema, type ScanAnswer } from '../pricing/book';
import { pagePrice } from '../pricing/price';
import { reconcile } from '../pricing/reconcile';
import { NO_SETTLEMENT, settlementBody, type Settlement } from '../settle';

export interface Pricing {
  /**
   * The price of this very cart: the node's once it answered, the page's until then (the same
   * engine on the node's records); null while neither has (or when empty).
   */
  readonly quote: Quote | null;
  /** The node has not priced this cart yet. */
  readonly busy: boolean;
  /** Whose price `quote` is. */
  readonly by: 'page' | 'node' | null;
  readonly error: ApiError | null;
  /** Gives the book a scan's records (GET /api/pricing/scan), before its line is added. */
  readonly learn: (answer: ScanAnswer) => void;
}

const nodeQuoteSchema = quoteSchema.extend({ snapshot_version: z.number().int() });

interface Answer {
  readonly key: string;
  readonly quote: Quote | null;
  readonly error: ApiError | null;
}

const codesOf = (cart: Cart): string[] =>
  cart.lines.flatMap((l) => (l.barcode === undefined && l.item_code ? [l.item_code] : []));

const warn = (message: string, differences: string[]) =>
  console.warn(`${message}: ${differences.join('; ')}`);

/**
 * Prices the cart in the page on every change (painted in the frame the change lands in), and
 * asks the node for its price of the same cart (and the payments, for the change due). The
 * node's answer is shown once it comes, and only for the cart it priced: a slow node never
 * paints a price of an earlier cart. A page price the node contradicts is logged and the book
 * is read again. `pulled` changes when the node pulled new prices (its SSE "pull" event).
 */
export function usePricing(
  auth: Auth,
  cart: Cart,
  payments: readonly { mode_of_payment: string; amount: string }[],
  pulled: number,
  settle: Settlement = NO_SETTLEMENT,
  log: (message: string, differences: string[]) => void = warn,
): Pricing {
  const key = JSON.stringify([cartBody(cart), payments, settle]);
  const customer = cart.customer?.name;
  const [book, setBook] = useState<PriceBook | null>(null);
  // The book is added to in place (a scan's records); this counter re-prices after.
  const [learned, setLearned] = useState(0);
  const [stale, setStale] = useState(0);
  const cartRef = useRef(cart);
  cartRef.current = cart;

  // (Re)read the book: a new customer, a pull, a contradicted price, codes it does not hold.
  const missing = book ? codesOf(cart).filter((c) => !book.has(c)) : [];
  const reread = missing.join('\u0000');
  const madeFor = useRef('');
  useEffect(() => {
    const reason = JSON.stringify([customer ?? null, pulled, stale]);
    const codes = codesOf(cartRef.current);
    // Every dependency but `reread` unchanged and nothing missing: the book is current.
    if (book && madeFor.current === reason && codes.every((c) => book.has(c))) return;
    let current = true;
    auth.api
      .post(
        '/api/pricing/context',
        { ...(customer !== undefined ? { customer } : {}), item_codes: codes },
        contextSchema,
      )
      .then(
        (ctx) => {
          if (!current) return;
          madeFor.current = reason;
          setBook(new PriceBook(ctx, customer));
        },
        // No book: the node alone prices the cart, as before the page could.
        () => undefined,
      );
    return () => {
      current = false;
    };
    // `book` is read, not watched: a new book is this effect's own answer.
  }, [auth, customer, pulled, stale, reread]);

  const learn = useCallback(
    (answer: ScanAnswer) => {
      if (book?.add(answer.snapshot_version, answer.records)) setLearned((n) => n + 1);
    },
    [book],
  );

  const page = useMemo(
    () => {
      // Payments (the change due) and what is settled at payment (points, a discount on the
      // whole sale) are the node's alone to price.
      if (!book || payments.length > 0 || settle !== NO_SETTLEMENT) return null;
      const start = performance.now();
      const q = pagePrice(book, cart);
      // Read by bench/ui-scan.ts: the page's share of a scan's time.
      performance.measure('outpost:page-price', { start, end: performance.now() });
      return q;
    },
    // `key` stands for the cart and the payments; `learned` for what the book holds.
    [book, learned, key],
  );
  const pageRef = useRef({ key, page });
  pageRef.current = { key, page };

  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    if (cart.lines.length === 0) return;
    const body = {
      ...cartBody(cart),
      ...(payments.length > 0 ? { payments } : {}),
      ...settlementBody(settle),
    };
    let current = true;
    const ask = () => {
      auth.api.post('/api/cart/price', body, nodeQuoteSchema).then(
        ({ snapshot_version, ...node }) => {
          if (!current) return;
          const mine = pageRef.current.key === key ? pageRef.current.page : null;
          const { quote, differed } = reconcile(mine, node, log);
          if (differed || (book !== null && snapshot_version !== book.snapshot)) {
            setStale((n) => n + 1);
          }
          setAnswer({ key, quote, error: null });
        },
        (e: unknown) => {
          const error = e instanceof ApiError ? e : new ApiError(0, 'Error', String(e), null);
          if (current) setAnswer({ key, quote: null, error });
        },
      );
    };
    // The page's price is on the screen: the node's is asked once that frame is painted. Without
    // one, the cashier waits for the node's, so it is asked at once.
    const cancel =
      pageRef.current.key === key && pageRef.current.page ? afterPaint(ask, window) : null;
    if (!cancel) ask();
    return () => {
      current = false;
      cancel?.();
    };
    // `key` stands for the cart, the payments and the settlement.
  }, [auth, key]);

  if (cart.lines.length === 0) return { quote: null, busy: false, by: null, error: null, learn };
  const fresh = answer?.key === key ? answer : null;
  // The node's refusal wins over the page's price: nothing it refuses is shown as priced.
  const quote = fresh ? fresh.quote : page;
  const by = fresh ? (fresh.quote ? 'node' : null) : page ? 'page' : null;
  return { quote, busy: fresh === null, by, error: fresh?.error ?? null, learn };
}
