import { describe, expect, it } from 'vitest';
import { Dec, flt, quote } from '../../src/core/index.js';

/** What must not compile: these lines are checked by `tsc` (the test script type-checks first). */
describe('type guards', () => {
  it('money arithmetic takes decimals, never a raw float', () => {
    const method = { method: "Banker's Rounding" } as const;
    // @ts-expect-error a JS number is not a decimal amount
    expect(() => flt(0.1 + 0.2, 2, method)).toThrow();
    // @ts-expect-error the rounding method is a closed set
    flt(new Dec(1), 2, { method: 'Round Half Up' });
    expect(flt(new Dec('0.1').plus(new Dec('0.2')), 2, method).toString()).toBe('0.3');
  });

  it('quote needs master data and a draft object', () => {
    // @ts-expect-error the draft is a document, not a string
    expect(() => quote({}, 'invoice')).toThrow();
  });
});
