import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { quoteSchema, type Quote } from '../api/schemas';
import type { Auth } from '../auth';
import { cartBody, type Cart } from '../cart';
import { NO_SETTLEMENT, settlementBody, type Settlement } from '../settle';

export interface Pricing {
  /** The node's price of this very cart; null while it is being priced (or when empty). */
  readonly quote: Quote | null;
  readonly busy: boolean;
  readonly error: ApiError | null;
}

interface Answer {
  readonly key: string;
  readonly quote: Quote | null;
  readonly error: ApiError | null;
}

/**
 * Asks the node to price the cart (and the payments, for the change due) on every change. An
 * answer is shown only for the cart it priced: a slow node never paints a total, a line
 * amount or a change due that belongs to an earlier cart.
 */
export function usePricing(
  auth: Auth,
  cart: Cart,
  payments: readonly { mode_of_payment: string; amount: string }[],
  settle: Settlement = NO_SETTLEMENT,
): Pricing {
  const key = JSON.stringify([cartBody(cart), payments, settle]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    if (cart.lines.length === 0) return;
    const body = {
      ...cartBody(cart),
      ...(payments.length > 0 ? { payments } : {}),
      ...settlementBody(settle),
    };
    let current = true;
    auth.api.post('/api/cart/price', body, quoteSchema).then(
      (quote) => {
        if (current) setAnswer({ key, quote, error: null });
      },
      (e: unknown) => {
        const error = e instanceof ApiError ? e : new ApiError(0, 'Error', String(e), null);
        if (current) setAnswer({ key, quote: null, error });
      },
    );
    return () => {
      current = false;
    };
    // `key` stands for the cart, the payments and the settlement.
  }, [auth, key]);
  if (cart.lines.length === 0) return { quote: null, busy: false, error: null };
  const fresh = answer?.key === key ? answer : null;
  return { quote: fresh?.quote ?? null, busy: fresh === null, error: fresh?.error ?? null };
}
