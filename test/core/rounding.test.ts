import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec, flt, rounded, RoundingMethods, type RoundingMethod } from '../../src/core/index.js';

const r = (v: string, p: number, m: RoundingMethod) => rounded(new Dec(v), p, m).toString();

describe("flt and Frappe's rounding methods", () => {
  it("Banker's Rounding: ties to even, at any precision", () => {
    const m = "Banker's Rounding";
    expect([
      r('0.825', 2, m),
      r('1.025', 2, m),
      r('0.785', 2, m),
      r('0.505', 2, m),
      r('1.005', 2, m),
    ]).toEqual(['0.82', '1.02', '0.78', '0.5', '1']);
    expect([r('42.5', 0, m), r('43.5', 0, m), r('-2.5', 0, m), r('-0.125', 2, m)]).toEqual([
      '42',
      '44',
      '-2',
      '-0.12',
    ]);
  });

  it("Banker's Rounding (legacy): ties up (toward +inf) with decimals, to even at precision 0", () => {
    const m = "Banker's Rounding (legacy)";
    expect([
      r('0.825', 2, m),
      r('1.005', 2, m),
      r('-0.125', 2, m),
      r('42.5', 0, m),
      r('43.5', 0, m),
    ]).toEqual(['0.83', '1.01', '-0.12', '42', '44']);
  });

  it('Commercial Rounding: ties away from zero', () => {
    const m = 'Commercial Rounding';
    expect([r('0.825', 2, m), r('-0.825', 2, m), r('42.5', 0, m), r('10500.5666', 2, m)]).toEqual([
      '0.83',
      '-0.83',
      '43',
      '10500.57',
    ]);
  });

  it('never moves a value by more than half a unit of the last place, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...RoundingMethods),
        (units, scale, precision, method) => {
          const v = new Dec(units.toString()).div(new Dec(10).pow(scale + 3));
          const once = flt(v, precision, { method });
          expect(once.minus(v).abs().lte(new Dec(10).pow(-precision).div(2))).toBe(true);
          expect(flt(once, precision, { method }).eq(once)).toBe(true);
          expect(once.decimalPlaces()).toBeLessThanOrEqual(precision);
        },
      ),
    );
  });
});
