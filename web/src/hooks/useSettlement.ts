import { useCallback, useEffect, useRef, useState } from 'react';
import type { Till } from '../api/schemas';
import { cartBody, type Cart, type KeyValue } from '../cart';
import {
  clearKept,
  loadKept,
  saveKept,
  settlementOf,
  type Kept,
  type Tendered,
} from '../kept-settlement';
import { NO_SETTLEMENT, type Settlement } from '../settle';

const NOTHING: Tendered = {};

export interface SettlementState {
  readonly tendered: Tendered;
  readonly settle: Settlement;
  readonly setTendered: (t: Tendered) => void;
  readonly setSettle: (s: Settlement) => void;
  /** Forgets the payment (the sale is complete). */
  readonly clear: () => void;
  /** Null until the till is known; then whether a payment kept across a reload came back. */
  readonly restored: boolean | null;
}

/**
 * The payment being entered, kept in `storage` for the cart it was entered for: a reload shows
 * it again; any change of the cart (a line, a quantity, the customer) forgets it, since the
 * amounts and points were for what was due before, and so does the end of the shift.
 */
export function useSettlement(storage: KeyValue, till: Till | null, cart: Cart): SettlementState {
  const cartKey = JSON.stringify(cartBody(cart));
  // A payment belongs to one till's open shift: one kept from a shift since closed is stale.
  const tillKey = till
    ? `${till.store_id}/${till.terminal_id}@${till.shift?.opened_at ?? ''}`
    : null;
  const [kept, setKept] = useState<Kept | null>(null);
  const [restored, setRestored] = useState<boolean | null>(null);
  const current = useRef({ cartKey, tillKey });
  current.current = { cartKey, tillKey };

  // Read once, when the till (its id and modes) is first known.
  const read = useRef(false);
  useEffect(() => {
    if (!till || read.current) return;
    read.current = true;
    const modes = till.modes.map((m) => m.mode_of_payment);
    const k = loadKept(storage, current.current.tillKey ?? '', current.current.cartKey, modes);
    setKept(k);
    setRestored(k !== null);
  }, [storage, till]);

  const live = kept !== null && kept.cart === cartKey && kept.till === tillKey ? kept : null;
  useEffect(() => {
    if (kept !== null && live === null) {
      setKept(null);
      clearKept(storage);
    }
  }, [storage, kept, live]);
  useEffect(() => {
    if (live !== null) saveKept(storage, live);
  }, [storage, live]);

  const tendered = live?.tendered ?? NOTHING;
  const settle = live?.settle ?? NO_SETTLEMENT;
  const write = useCallback((change: Partial<Pick<Kept, 'tendered' | 'settle'>>) => {
    const { cartKey: c, tillKey: t } = current.current;
    if (t === null) return;
    setKept((k) => {
      const base = k !== null && k.cart === c && k.till === t ? k : null;
      return {
        till: t,
        cart: c,
        tendered: change.tendered ?? base?.tendered ?? NOTHING,
        settle: change.settle ?? base?.settle ?? NO_SETTLEMENT,
      };
    });
  }, []);
  const setTendered = useCallback((next: Tendered) => write({ tendered: next }), [write]);
  const setSettle = useCallback(
    (s: Settlement) => write({ settle: settlementOf(s.redeem, s.discount) }),
    [write],
  );
  const clear = useCallback(() => {
    setKept(null);
    clearKept(storage);
  }, [storage]);
  return { tendered, settle, setTendered, setSettle, clear, restored };
}
