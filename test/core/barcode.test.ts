import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ean13CheckDigit, isValidEan13, parseVariableMeasure } from '../../src/core/index.js';

describe('barcodes', () => {
  it('EAN-13 check digits', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('400638133393')).toBe(false);
  });

  it('any single-digit misread of a valid EAN-13 is caught', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12}$/),
        fc.nat({ max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const code = body + String(ean13CheckDigit(body));
          const wrong =
            code.slice(0, pos) + String((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
          expect(isValidEan13(wrong)).toBe(false);
        },
      ),
    );
  });

  it('GS1 variable measure: weight in grams under prefix 21, price in cents under 25', () => {
    const body = '210012301234';
    const scan = body + String(ean13CheckDigit(body));
    const w = parseVariableMeasure(scan);
    expect(w).toMatchObject({ kind: 'weight', reference: '00123', rule: 'weight-21' });
    expect(w?.value.toString()).toBe('1.234');
    expect(w?.lookup).toBe(`210012300000${ean13CheckDigit('210012300000')}`);
    const pbody = '250004500799';
    const p = parseVariableMeasure(pbody + String(ean13CheckDigit(pbody)));
    expect(p).toMatchObject({ kind: 'price', reference: '00045' });
    expect(p?.value.toString()).toBe('7.99');
  });

  it('refuses a variable-measure scan with a wrong check digit, ignores other codes', () => {
    expect(() => parseVariableMeasure('2100123012340')).toThrow(/check digit/);
    expect(parseVariableMeasure('4006381333931')).toBeNull();
    expect(parseVariableMeasure('12345')).toBeNull();
  });
});
