import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/core/index.js';
import { distribute } from '../../src/receipt/distribute.js';
import { formatMoney, formatNumber, formatPercent } from '../../src/receipt/money.js';

const usd = { places: 2, method: "Banker's Rounding" } as const;

describe('money formatting', () => {
  it('fixes amounts to the currency places with the site rounding method', () => {
    expect(formatMoney(new Dec('46.47'), usd)).toBe('46.47');
    expect(formatMoney(new Dec('5'), usd)).toBe('5.00');
    expect(formatMoney(new Dec('0.125'), usd)).toBe('0.12');
    expect(formatMoney(new Dec('0.125'), { places: 2, method: 'Commercial Rounding' })).toBe(
      '0.13',
    );
    expect(formatMoney(new Dec('1234.5'), { places: 0, method: "Banker's Rounding" })).toBe('1234');
    expect(formatMoney(new Dec('12.3456'), { places: 3, method: "Banker's Rounding" })).toBe(
      '12.346',
    );
    expect(formatMoney(new Dec('-0.75'), usd)).toBe('-0.75');
  });

  it('never prints a negative zero', () => {
    expect(formatMoney(new Dec('-0.001'), usd)).toBe('0.00');
    expect(formatMoney(new Dec('-0'), usd)).toBe('0.00');
  });

  it('prints quantities and percentages without trailing zeros or exponents', () => {
    expect(formatNumber(new Dec('0.450'))).toBe('0.45');
    expect(formatNumber(new Dec('3'))).toBe('3');
    expect(formatNumber(new Dec('1e-7'))).toBe('0.0000001');
    expect(formatPercent(new Dec('12.50'))).toBe('12.5%');
  });
});

describe('distribute (largest remainder)', () => {
  it('splits evenly with the extra unit to the earliest', () => {
    expect(
      distribute(
        new Dec('1.00'),
        [1, 1, 1].map((n) => new Dec(n)),
        2,
      ).map(String),
    ).toEqual(['0.34', '0.33', '0.33']);
    expect(distribute(new Dec('5'), [new Dec(0), new Dec(0)], 2).map(String)).toEqual(['5', '0']);
  });

  it('the parts always sum to the total, each within one unit of its exact share', () => {
    const cents = fc.integer({ min: -10_000_000, max: 10_000_000 });
    const weight = fc.integer({ min: 0, max: 1_000_000_000 }).map((n) => new Dec(n).div(1000));
    fc.assert(
      fc.property(cents, fc.array(weight, { minLength: 1, maxLength: 8 }), (total, weights) => {
        const amount = new Dec(total).div(100);
        const parts = distribute(amount, weights, 2);
        expect(parts.reduce((a, p) => a.plus(p), new Dec(0)).eq(amount)).toBe(true);
        const sum = weights.reduce((a, w) => a.plus(w), new Dec(0));
        if (sum.isZero()) return;
        parts.forEach((p, i) => {
          const exact = amount.times(weights[i] ?? 0).div(sum);
          expect(p.minus(exact).abs().lte('0.01')).toBe(true);
          expect(p.decimalPlaces()).toBeLessThanOrEqual(2);
        });
      }),
    );
  });
});
