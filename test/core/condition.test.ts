import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotEvaluable, safeEval, type Py } from '../../src/core/condition/index.js';
import { floatRepr, repr } from '../../src/core/condition/values.js';

const locals: Record<string, Py> = { customer: 'Walk-in', qty: 2.5, is_return: 0n };
const lookup = (name: string): Py | undefined => locals[name];

/** The value as Python's repr() prints it, or the exception type it raises. */
function ev(code: string): string {
  const out = safeEval(code, lookup);
  return out.raised === null ? repr(out.value) : out.raised.pyType;
}

// Expected values recorded from CPython 3.11 (eval with the same locals and only int, float,
// long and round as globals), one row per construct.
const VALUES: [string, string][] = [
  ['1 + 2', '3'],
  ['7 / 2', '3.5'],
  ['7 // 2', '3'],
  ['-7 // 2', '-4'],
  ['-7 % 3', '2'],
  ['7 % -3', '-2'],
  ['-7.5 // 2', '-4.0'],
  ['-7.5 % 2', '0.5'],
  ['2 ** 10', '1024'],
  ['2 ** -1', '0.5'],
  ['10 / 4', '2.5'],
  ["'ab' + 'cd'", "'abcd'"],
  ["'ab' * 3", "'ababab'"],
  ["3 * 'ab'", "'ababab'"],
  ['[1, 2] + [3]', '[1, 2, 3]'],
  ['True + True', '2'],
  ['1 == 1.0', 'True'],
  ['True == 1', 'True'],
  ['0.1 + 0.2 == 0.3', 'False'],
  ['0.1 + 0.2', '0.30000000000000004'],
  ['1 < 2 < 3', 'True'],
  ['3 > 2 > 2', 'False'],
  ['1 < 2 > 0', 'True'],
  ["'a' < 'b'", 'True'],
  ["'B' < 'a'", 'True'],
  ['(1, 2) < (1, 3)', 'True'],
  ['[1, 2] == [1, 2]', 'True'],
  ['[1] == (1,)', 'False'],
  ["'bc' in 'abcd'", 'True'],
  ['2 in [1, 2]', 'True'],
  ['2 not in (1, 3)', 'True'],
  ['None is None', 'True'],
  ['None is not None', 'False'],
  ['qty is None', 'False'],
  ["0 or 'x'", "'x'"],
  ["'' or 0", '0'],
  ["1 and 'y'", "'y'"],
  ['0 and 1/0', '0'],
  ['1 or 1/0', '1'],
  ["not ''", 'True'],
  ['not 0.0', 'True'],
  ["'yes' if 1 > 2 else 'no'", "'no'"],
  ["'abc'[0]", "'a'"],
  ["'abc'[-1]", "'c'"],
  ["'abcdef'[1:3]", "'bc'"],
  ["'abcdef'[:-2]", "'abcd'"],
  ['[10, 20, 30][1]', '20'],
  ['int(2.9)', '2'],
  ['int(-2.9)', '-2'],
  ["int(' 42 ')", '42'],
  ["int('1_000')", '1000'],
  ["float('1.5')", '1.5'],
  ["float(' -inf ')", '-inf'],
  ['round(2.5)', '2'],
  ['round(3.5)', '4'],
  ['round(-0.5)', '0'],
  ['round(2.675, 2)', '2.67'],
  ['round(1.005, 2)', '1.0'],
  ['round(25, -1)', '20'],
  ['round(35, -1)', '40'],
  ['round(0.125, 2)', '0.12'],
  ['round(123.456, -1)', '120.0'],
  ['long(7)', '7'],
  ['-(-3)', '3'],
  ['~5', '-6'],
  ['+True', '1'],
  ['1e3', '1000.0'],
  ['0x1F', '31'],
  ['0o17', '15'],
  ['0b101', '5'],
  ['1_000', '1000'],
  ['.5', '0.5'],
  ['5.', '5.0'],
  ["'a' 'b'", "'ab'"],
  ['"it\'s"', '"it\'s"'],
  ["'\\x41\\n'", "'A\\n'"],
  ["r'\\n'", "'\\\\n'"],
  ["'abc'.upper()", "'ABC'"],
  ["'  x '.strip()", "'x'"],
  ["'Walk-in'.startswith(('W', 'Z'))", 'True'],
  ["'abc'.endswith('bc')", 'True'],
  ['1 if 0 else 2 if 0 else 3', '3'],
  ['not 1 == 2', 'True'],
  ['2 ** 3 ** 2', '512'],
  ['-2 ** 2', '-4'],
  ['(1, 2) + (3,)', '(1, 2, 3)'],
  ['()', '()'],
  ['(1,)', '(1,)'],
  ['1.5 > 1', 'True'],
  ['10**20 > 1e19', 'True'],
  ['10**16 + 1 == 1e16', 'False'],
  ['3 // 0.5', '6.0'],
  ['1e308 * 10', 'inf'],
  ['1e16', '1e+16'],
  ['1.5e-5', '1.5e-05'],
  ['0.0001', '0.0001'],
  ["customer == 'Walk-in' and qty > 1", 'True'],
  ['qty * 2', '5.0'],
  ['is_return == 0', 'True'],
  ['customer\n', "'Walk-in'"],
  ['# note\ncustomer', "'Walk-in'"],
  ['(qty\n + 1)', '3.5'],
];
const RAISES: [string, string][] = [
  ['1/0', 'ZeroDivisionError'],
  ['1 % 0', 'ZeroDivisionError'],
  ['1.0 // 0', 'ZeroDivisionError'],
  ["'a' + 1", 'TypeError'],
  ["'a' < 1", 'TypeError'],
  ['None < 1', 'TypeError'],
  ["1 in 'a'", 'TypeError'],
  ['2 in 5', 'TypeError'],
  ["'abc'[5]", 'IndexError'],
  ['None.x', 'AttributeError'],
  ["'a'.foo", 'AttributeError'],
  ['unknown', 'NameError'],
  ["len('a')", 'NameError'],
  ['int(None)', 'TypeError'],
  ["int('x')", 'ValueError'],
  ["float('1,5')", 'ValueError'],
  ["round('a')", 'TypeError'],
  ['(1)(2)', 'TypeError'],
  ['None[0]', 'TypeError'],
  ['0 ** -1', 'ZeroDivisionError'],
  ['1 +', 'SyntaxError'],
  ['(1', 'SyntaxError'],
  ["customer = 'x'", 'SyntaxError'],
  ['1;', 'SyntaxError'],
  ["'abc", 'SyntaxError'],
  ['01', 'SyntaxError'],
  ['[1][1.0]', 'TypeError'],
  ["-'a'", 'TypeError'],
  [' customer', 'IndentationError'],
  ['customer\nqty', 'SyntaxError'],
  ['1 if 1', 'SyntaxError'],
];

describe('safe_eval expressions (values as CPython gives them)', () => {
  it.each(VALUES)('%j → %s', (code, expected) => {
    expect(ev(code)).toBe(expected);
  });
});

describe('expressions that raise in CPython (ERPNext then drops the rule)', () => {
  it.each(RAISES)('%j raises %s', (code, expected) => {
    expect(ev(code)).toBe(expected === 'IndentationError' ? 'IndentationError' : expected);
  });
});

describe("what Frappe's safe_eval refuses beyond plain Python", () => {
  it.each([
    ['_x', 'SyntaxError'], // RestrictedPython: names starting with "_"
    ['customer._len', 'SyntaxError'],
    ['print', 'SyntaxError'],
    ['x__roles__', 'SyntaxError'],
    ['(a := 1)', 'SyntaxError'], // _validate_safe_eval_syntax blocks NamedExpr
    ['customer.format', 'SyntaxError'], // UNSAFE_ATTRIBUTES
    ["'x'[0] if 0 else _y", 'SyntaxError'], // refused at compile time, even unevaluated
    ['len(customer)', 'NameError'], // builtins emptied: only int, float, long, round
    ['str(qty)', 'NameError'],
    ['flt(qty)', 'NameError'],
    ['frappe._dict()', 'SyntaxError'],
    ['doc.customer', 'NameError'],
  ])('%j → %s', (code, expected) => {
    expect(ev(code)).toBe(expected);
  });
});

describe('valid Python outside the implemented subset is refused, never guessed', () => {
  it.each([
    '[c for c in customer]',
    'lambda: 1',
    "{'a': 1}",
    "f'{qty}'",
    '1j',
    'round(qty, ndigits=1)',
    "'%s' % customer",
    "customer.split('-')",
    '1 is 1',
    '...',
    'int("10", 2)',
  ])('%j', (code) => {
    expect(() => safeEval(code, lookup)).toThrow(NotEvaluable);
  });
});

describe('properties', () => {
  const int = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
  it('a // b * b + a % b == a, with the sign of a % b that of b', () => {
    fc.assert(
      fc.property(
        int,
        int.filter((b) => b !== 0n),
        (a, b) => {
          expect(ev(`${a} // (${b}) * (${b}) + ${a} % (${b}) == ${a}`)).toBe('True');
          const mod = safeEval(`${a} % (${b})`, lookup);
          const m = mod.raised === null ? (mod.value as bigint) : 0n;
          expect(m === 0n || m < 0n === b < 0n).toBe(true);
        },
      ),
    );
  });

  it('a float literal printed by repr reads back as the same float', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const text = floatRepr(Math.abs(f));
        const out = safeEval(text, lookup);
        expect(out.raised === null && Object.is(out.value, Math.abs(f))).toBe(true);
      }),
    );
  });

  it('a string printed by repr reads back as the same string, NFKC-normalised as safe_eval does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = safeEval(repr(s), lookup);
        expect(out.raised === null ? out.value : out.raised.message).toBe(s.normalize('NFKC'));
      }),
    );
  });

  it('comparisons of ints and floats agree with exact arithmetic, chained as a < b and b < c', () => {
    const num = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.double({ min: -1000, max: 1000, noNaN: true }),
    );
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        const lit = (x: number): string =>
          Number.isInteger(x) && !Object.is(x, -0) ? `(${x})` : `(${floatRepr(x)})`;
        expect(ev(`${lit(a)} < ${lit(b)} <= ${lit(c)}`)).toBe(a < b && b <= c ? 'True' : 'False');
      }),
    );
  });

  it('round(x) of a float is the nearest int, ties to even', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (i) => {
        const even = BigInt(i % 2 === 0 ? i : i + 1);
        const up = safeEval(`round(${i}.5)`, lookup);
        const down = safeEval(`round(-${i}.5)`, lookup);
        expect(up.raised === null ? up.value : null).toBe(even);
        expect(down.raised === null ? down.value : null).toBe(-even);
      }),
    );
  });

  it('and/or return the deciding operand, never evaluating the other', () => {
    const lit = fc.constantFrom('0', '1', "''", "'x'", 'None', '0.0', '[]', '(1,)');
    fc.assert(
      fc.property(lit, lit, (a, b) => {
        const t = ev(`not not ${a}`) === 'True';
        expect(ev(`${a} and ${b}`)).toBe(t ? ev(b) : ev(a));
        expect(ev(`${a} or ${b}`)).toBe(t ? ev(a) : ev(b));
        expect(ev(`${a} and 1/0`)).toBe(t ? 'ZeroDivisionError' : ev(a));
      }),
    );
  });
});
