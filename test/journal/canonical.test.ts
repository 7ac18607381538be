import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalize, CanonicalJsonError } from '../../src/journal/index.js';

const fromBits = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('RFC 8785 number serialization (Appendix B)', () => {
  const table: readonly (readonly [string, string])[] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it.each(table)('%s serializes as %s', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it.each(['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000'])(
    '%s (NaN or Infinity) is refused, never written as null',
    (bits) => {
      expect(() => canonicalize({ x: fromBits(bits) })).toThrow(CanonicalJsonError);
    },
  );
});

describe('RFC 8785 examples', () => {
  it('§3.2.2: whitespace, numbers, literals and string escapes', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('§3.2.3: properties sort by UTF-16 code units, not code points or locale', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('the UTF-8 bytes of the canonical form are what gets hashed', () => {
    const text = canonicalize({ b: '€', a: 1 });
    expect(Buffer.from(text).toString('hex')).toBe('7b2261223a312c2262223a22e282ac227d');
  });
});

describe('refusals', () => {
  it.each([
    ['undefined', { a: undefined }],
    ['a function', { a: () => 1 }],
    ['a bigint', { a: 1n }],
    ['a Date', { a: new Date(0) }],
    ['a Map', { a: new Map() }],
    ['a lone surrogate', { a: '\ud800' }],
    ['a lone surrogate in a key', { '\udc00': 1 }],
  ])('%s is not I-JSON', (_what, value) => {
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
  });

  it('names the path of the offending value', () => {
    expect(() => canonicalize({ lines: [{ qty: Number.NaN }] })).toThrow('$.lines[0].qty');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    expect(canonicalize(bare)).toBe('{"a":2,"b":1}');
  });
});

describe('properties', () => {
  it('is a fixed point: canonicalizing parsed canonical JSON gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(dict));
      }),
    );
  });
});

describe('the path-free fast path', () => {
  const loneSurrogate = (s: string) =>
    !/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(s);
  /** Sorted keys, JSON.stringify's scalars, refusing what JCS refuses: the text canonicalize must give. */
  const reference = (v: unknown): string | null => {
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : null;
    if (typeof v === 'string') return loneSurrogate(v) ? null : JSON.stringify(v);
    if (v === null || typeof v === 'boolean') return JSON.stringify(v);
    if (typeof v !== 'object') return null;
    const parts: (string | null)[] = [];
    if (Array.isArray(v)) {
      for (const item of v) parts.push(reference(item));
      return parts.includes(null) ? null : `[${parts.join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return null;
    for (const k of Object.keys(v).sort()) {
      const member = reference((v as Record<string, unknown>)[k]);
      parts.push(member === null || loneSurrogate(k) ? null : `${JSON.stringify(k)}:${member}`);
    }
    return parts.includes(null) ? null : `{${parts.join(',')}}`;
  };

  it('gives the reference text for any value, or refuses it naming a path', () => {
    const odd = fc.oneof(
      fc.constantFrom(
        Number.NaN,
        Number.POSITIVE_INFINITY,
        undefined,
        '\ud800',
        'a\udc00b',
        new Date(0),
      ),
      fc.string({ unit: 'binary' }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        odd,
        fc.array(tie('node')),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const want = reference(v);
        if (want === null) {
          expect(() => canonicalize(v)).toThrow(/^\$/);
        } else {
          expect(canonicalize(v)).toBe(want);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
