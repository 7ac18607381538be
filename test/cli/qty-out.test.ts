import { describe, expect, it } from 'vitest';
import { qtyOut } from '../../src/cli/item-detail.js';

describe('stock quantities in item output (defect 1: never through a float)', () => {
  it('prints a quantity a float holds exactly as a number', () => {
    expect(qtyOut('12.5')).toBe(12.5);
    expect(qtyOut('-3.125')).toBe(-3.125);
    expect(qtyOut(null)).toBe(0);
  });

  it('prints one a float would round as the exact decimal text', () => {
    expect(qtyOut('-1000000000000000000001')).toBe('-1000000000000000000001');
    expect(qtyOut('123456789012.123456789')).toBe('123456789012.123456789');
  });
});
