import { describe, expect, it } from 'vitest';
import type { Item } from '../../web/src/api/schemas.js';
import type { KeyValue } from '../../web/src/cart.js';
import { SETTLEMENT_KEY, loadKept, saveKept } from '../../web/src/kept-settlement.js';
import { checkQuantity } from '../../web/src/quantity.js';
import { NO_SETTLEMENT } from '../../web/src/settle.js';
import { adding } from '../../web/src/weighed.js';

const memory = (): KeyValue & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
};

describe('a weight typed at the till', () => {
  it('takes a decimal above 0 with at most the unit’s decimals, as the node’s decimal string', () => {
    expect(checkQuantity('0.450', 3)).toEqual({ qty: '0.45' });
    expect(checkQuantity(' 1.25 ', 3)).toEqual({ qty: '1.25' });
    expect(checkQuantity('.5', 3)).toEqual({ qty: '0.5' });
    expect(checkQuantity('007', 3)).toEqual({ qty: '7' });
    expect(checkQuantity('2.000', 0)).toEqual({ qty: '2' });
  });

  it('names the problem: empty, not a number, zero, too many decimals', () => {
    expect(checkQuantity('', 3)).toEqual({ problem: 'enter the quantity' });
    expect(checkQuantity('1.2.3', 3)).toEqual({
      problem: '“1.2.3” is not a number; type digits and at most one point, e.g. 0.450',
    });
    expect(checkQuantity('.', 3)).toEqual({
      problem: '“.” is not a number; type digits and at most one point, e.g. 0.450',
    });
    expect(checkQuantity('-1', 3)).toEqual({
      problem: '“-1” is not a number; type digits and at most one point, e.g. 0.450',
    });
    expect(checkQuantity('0.000', 3)).toEqual({ problem: 'must be more than 0' });
    expect(checkQuantity('1.2345', 3)).toEqual({ problem: '1.2345 has more than 3 decimals' });
    expect(checkQuantity('1.5', 0)).toEqual({
      problem: '1.5 is not a whole number; this unit is sold whole',
    });
    expect(checkQuantity('1234567890', 3)).toEqual({ problem: '1234567890 is too large' });
  });
});

const BANANAS: Item = {
  item_code: 'SKU-0000016',
  item_name: 'Bananas',
  stock_uom: 'Kg',
  uom: 'Kg',
  qty: '1',
};
const UNITS = new Map([
  ['Kg', { whole: false, precision: 3 }],
  ['Nos', { whole: true, precision: 0 }],
]);

describe('how a found item joins the cart', () => {
  it('asks the weight of an item sold by weight that comes without one', () => {
    expect(adding(BANANAS, UNITS)).toEqual({
      ask: { item_code: 'SKU-0000016', item_name: 'Bananas', uom: 'Kg', precision: 3 },
    });
    // The scale's label printed with nothing on it.
    const zero = { ...BANANAS, qty: '0', barcode: '2100001000004', barcode_rule: 'weight' };
    expect(adding(zero, UNITS)).toEqual({
      ask: {
        item_code: 'SKU-0000016',
        item_name: 'Bananas',
        uom: 'Kg',
        precision: 3,
        reason: 'The label reads 0 Kg: weigh it and type the weight.',
      },
    });
  });

  it('adds a label with its weight, a whole-unit item by code, and refuses a 0 label otherwise', () => {
    const label = { ...BANANAS, qty: '1.25', barcode: '2100001012502', barcode_rule: 'weight' };
    expect(adding(label, UNITS)).toEqual({ add: 'label', barcode: '2100001012502' });
    const milk: Item = { ...BANANAS, item_name: 'Milk', stock_uom: 'Nos', uom: 'Nos' };
    expect(adding(milk, UNITS)).toEqual({ add: 'code' });
    // Units not known yet: nothing is asked, as before.
    expect(adding(BANANAS, null)).toEqual({ add: 'code' });
    const zero = { ...BANANAS, qty: '0', barcode: '2100001000004', barcode_rule: 'weight' };
    expect(adding(zero, null)).toEqual({
      refuse: 'Bananas: the label reads a quantity of 0; weigh it again.',
    });
  });
});

describe('the payment kept across a reload', () => {
  const CART = JSON.stringify({ items: [{ item_code: 'SKU-0000001', qty: '2' }] });
  const MODES = ['Cash', 'Credit Card'];
  const kept = {
    till: 'STORE-NORTH/T1',
    cart: CART,
    tendered: { Cash: '10', 'Credit Card': '' },
    settle: { redeem: 9, discount: '' },
  };

  it('comes back for the same till and cart', () => {
    const s = memory();
    saveKept(s, kept);
    expect(JSON.parse(s.map.get(SETTLEMENT_KEY) ?? '')).toEqual({
      v: 1,
      till: 'STORE-NORTH/T1',
      cart: CART,
      tendered: { Cash: '10', 'Credit Card': '' },
      redeem: 9,
      discount: '',
    });
    expect(loadKept(s, 'STORE-NORTH/T1', CART, MODES)).toEqual(kept);
  });

  it('is dropped for another cart, another till, a mode this till does not take, or another shape', () => {
    const cases: [string, string, readonly string[], string?][] = [
      ['STORE-NORTH/T1', JSON.stringify({ items: [] }), MODES],
      ['STORE-NORTH/T2', CART, MODES],
      ['STORE-NORTH/T1', CART, ['Cash']],
      ['STORE-NORTH/T1', CART, MODES, '{"v":1,"till":"STORE-NORTH/T1","redeem":"9"}'],
      ['STORE-NORTH/T1', CART, MODES, 'not json'],
    ];
    for (const [till, cart, modes, raw] of cases) {
      const s = memory();
      if (raw !== undefined) s.setItem(SETTLEMENT_KEY, raw);
      else saveKept(s, kept);
      expect(loadKept(s, till, cart, modes)).toBeNull();
      expect(s.map.size).toBe(0);
    }
  });

  it('is forgotten once nothing is entered, and gives back the one "none" settlement', () => {
    const s = memory();
    saveKept(s, kept);
    saveKept(s, { ...kept, tendered: { Cash: '' }, settle: NO_SETTLEMENT });
    expect(s.map.size).toBe(0);
    saveKept(s, { ...kept, settle: { redeem: 0, discount: '' } });
    expect(loadKept(s, 'STORE-NORTH/T1', CART, MODES)?.settle).toBe(NO_SETTLEMENT);
  });
});
