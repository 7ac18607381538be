import { useEffect, useRef, useState } from 'react';
import { loadCart, saveCart, type Cart } from '../cart';
import { afterPaint } from '../pricing/after-paint';

/**
 * The cart, kept in the browser's storage so it survives a reload. Each change is written once
 * the frame showing it is painted (a scan's line is on the screen first: writing 100 lines
 * costs a fraction of a millisecond), and at once when another change comes before that, the
 * screen closes or the page is left (a reload, the tab closed).
 */
export function useKeptCart(storage: Storage, key: string) {
  const [cart, setCart] = useState<Cart>(() => loadCart(storage, key));
  const saved = useRef(cart);
  useEffect(() => {
    const save = () => {
      if (saved.current === cart) return;
      saveCart(storage, key, cart);
      saved.current = cart;
    };
    const cancel = afterPaint(save, window);
    window.addEventListener('pagehide', save);
    return () => {
      window.removeEventListener('pagehide', save);
      cancel();
      save();
    };
  }, [storage, key, cart]);
  return [cart, setCart] as const;
}
