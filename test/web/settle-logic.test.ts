import { describe, expect, it } from 'vitest';
import { NO_SETTLEMENT, settlementBody } from '../../web/src/settle.js';
import { clearPending, loadPending, type KeyValue } from '../../web/src/pending.js';

const memory = (): KeyValue & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
};

describe('a pairing request kept across a reload', () => {
  it('reads back what was kept, and drops a damaged entry', () => {
    const s = memory();
    expect(loadPending(s)).toBeNull();
    const pending = {
      device_token: 'a'.repeat(32),
      code: 'K7QM-4X2P',
      expires_at: '2026-12-07T06:15:00Z',
    };
    s.setItem('outpost.pairing', JSON.stringify(pending));
    expect(loadPending(s)).toEqual(pending);
    clearPending(s);
    expect(s.map.size).toBe(0);
    // A token too short to be the node's: not trusted, and forgotten.
    s.setItem('outpost.pairing', JSON.stringify({ ...pending, device_token: 'short' }));
    expect(loadPending(s)).toBeNull();
    expect(s.map.size).toBe(0);
    s.setItem('outpost.pairing', '{not json');
    expect(loadPending(s)).toBeNull();
    expect(s.map.size).toBe(0);
  });
});

describe('what is settled at payment, in the API’s fields', () => {
  it('sends points and a discount only when there are some', () => {
    expect(settlementBody(NO_SETTLEMENT)).toEqual({});
    expect(settlementBody({ redeem: 9, discount: '' })).toEqual({ redeem_loyalty_points: 9 });
    expect(settlementBody({ redeem: 0, discount: '10' })).toEqual({
      additional_discount_percentage: '10',
    });
    expect(settlementBody({ redeem: 0, discount: '2.5' })).toEqual({
      additional_discount_percentage: '2.5',
    });
    // Half typed, or zero: nothing yet.
    expect(settlementBody({ redeem: 0, discount: '2.' })).toEqual({});
    expect(settlementBody({ redeem: 0, discount: '0.00' })).toEqual({});
  });
});
