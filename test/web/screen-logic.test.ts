import { describe, expect, it } from 'vitest';
import { BurstDetector } from '../../web/src/burst.js';
import {
  addItem,
  addLabel,
  cartBody,
  emptyCart,
  loadCart,
  removeLine,
  saveCart,
  setQty,
  setRate,
  type KeyValue,
} from '../../web/src/cart.js';
import { quickCash } from '../../web/src/format.js';

const feed = (d: BurstDetector, keys: string, start: number, gap: number) =>
  [...keys, 'Enter'].map((k, i) => d.feed(k, start + i * gap));

describe('the keyboard-wedge burst detector', () => {
  it('takes a scanner-speed burst ended by Enter as a scan, and a person typing as nothing', () => {
    const d = new BurstDetector();
    expect(feed(d, '0742710093377', 1000, 8).at(-1)).toBe('0742710093377');
    expect(feed(d, '0742710093377', 5000, 120).at(-1)).toBe(null);
    // Too short to be a code (a person's quick "12" + Enter).
    expect(feed(d, '123', 9000, 5).at(-1)).toBe(null);
  });

  it('keeps a scan whose one key came late (a busy page), by the mean gap', () => {
    const d = new BurstDetector();
    const keys = '0705541946434';
    const times = [...keys].map((_, i) => 100 + i * 10 + (i >= 6 ? 90 : 0));
    keys.split('').forEach((k, i) => d.feed(k, times[i] ?? 0));
    expect(d.feed('Enter', (times.at(-1) ?? 0) + 10)).toBe(keys);
  });

  it('starts over after a pause, and a non-printable key clears what was typed', () => {
    const d = new BurstDetector();
    d.feed('9', 0);
    d.feed('9', 5);
    expect(feed(d, '12345678', 1000, 5).at(-1)).toBe('12345678');
    d.feed('1', 2000);
    d.feed('2', 2005);
    d.feed('Shift', 2010);
    expect(feed(d, '34', 2015, 5).at(-1)).toBe(null);
  });
});

describe('quick cash amounts', () => {
  it('offers the exact amount, then the next multiples of the usual notes, in exact decimals', () => {
    expect(quickCash('9.90', 2, [5, 10, 20, 50, 100])).toEqual([
      '9.90',
      '10.00',
      '20.00',
      '50.00',
      '100.00',
    ]);
    // A round amount: notes it already is a multiple of offer nothing more.
    expect(quickCash('20.00', 2, [5, 10, 20, 50, 100])).toEqual(['20.00', '50.00', '100.00']);
    expect(quickCash('1234', 0, [500, 1000])).toEqual(['1234', '1500', '2000']);
    expect(quickCash('0.1', 3, [1])).toEqual(['0.100', '1.000']);
    expect(quickCash('abc', 2, [5])).toEqual([]);
  });
});

class Memory implements KeyValue {
  readonly data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

describe('the cart', () => {
  it('adds one more to a line by whole units, keeps labels and priced lines apart', () => {
    let c = addItem(emptyCart, 'SKU-0000001', 'Milk');
    c = addItem(c, 'SKU-0000001', 'Milk');
    c = addLabel(c, '2100042012507', 'Apples', '1.250');
    c = setRate(addItem(c, 'SKU-0000003', 'Cola'), 3, '1.50');
    c = addItem(c, 'SKU-0000003', 'Cola');
    expect(cartBody(c)).toEqual({
      items: [
        { item_code: 'SKU-0000001', qty: '2' },
        { barcode: '2100042012507' },
        { item_code: 'SKU-0000003', qty: '1', rate: '1.50' },
        { item_code: 'SKU-0000003', qty: '1' },
      ],
    });
    expect(cartBody(setRate(removeLine(setQty(c, 1, '5'), 2), 3, undefined)).items).toEqual([
      { item_code: 'SKU-0000001', qty: '5' },
      { item_code: 'SKU-0000003', qty: '1' },
      { item_code: 'SKU-0000003', qty: '1' },
    ]);
  });

  it('survives a reload through storage, and a damaged entry reads as an empty cart', () => {
    const m = new Memory();
    const c = addItem(addItem(emptyCart, 'SKU-0000001', 'Milk'), 'SKU-0000002', 'Bread');
    saveCart(m, 'cart', c);
    expect(loadCart(m, 'cart')).toEqual(c);
    m.setItem('cart', '{"lines":[{"id":1,"qty":2}]');
    expect(loadCart(m, 'cart')).toEqual(emptyCart);
    saveCart(m, 'cart', emptyCart);
    expect(m.data.has('cart')).toBe(false);
  });
});
