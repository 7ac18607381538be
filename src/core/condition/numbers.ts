import { asInt, intToFloat, NotEvaluable, PyRaise, type Num } from './values.js';

/**
 * Python's numeric operators on int (bigint), float (number) and bool. A float operand makes the
 * operation float, as CPython's coercion does; two ints stay exact.
 */
const zero = (what: string): PyRaise => new PyRaise('ZeroDivisionError', what);
const toFloat = (v: Num): number => (typeof v === 'number' ? v : intToFloat(asInt(v)));
const SAFE = 2n ** 53n;

export function numeric(op: string, a: Num, b: Num): Num {
  if (typeof a === 'number' || typeof b === 'number') return floatOp(op, toFloat(a), toFloat(b));
  const x = asInt(a);
  const y = asInt(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/': {
      if (y === 0n) throw zero('division by zero');
      // Both exact as doubles: one correctly rounded division, as CPython's int true division.
      if (abs(x) > SAFE || abs(y) > SAFE)
        throw new NotEvaluable('true division of ints beyond 2**53');
      return Number(x) / Number(y);
    }
    case '//':
      if (y === 0n) throw zero('integer division or modulo by zero');
      return floorDiv(x, y);
    case '%':
      if (y === 0n) throw zero('integer modulo by zero');
      return x - floorDiv(x, y) * y;
    case '**':
      if (y < 0n) return floatOp('**', toFloat(x), toFloat(y));
      if (y > 4096n) throw new NotEvaluable('int powers above 4096');
      return x ** y;
    default:
      return bitwise(op, a, b);
  }
}

function bitwise(op: string, a: Num, b: Num): Num {
  const x = asInt(a as boolean | bigint);
  const y = asInt(b as boolean | bigint);
  const both = typeof a === 'boolean' && typeof b === 'boolean';
  switch (op) {
    case '&':
      return both ? Boolean(x & y) : x & y;
    case '|':
      return both ? Boolean(x | y) : x | y;
    case '^':
      return both ? Boolean(x ^ y) : x ^ y;
    case '<<':
      if (y < 0n) throw new PyRaise('ValueError', 'negative shift count');
      if (y > 4096n) throw new NotEvaluable('shifts above 4096');
      return x << y;
    case '>>':
      if (y < 0n) throw new PyRaise('ValueError', 'negative shift count');
      return x >> y;
    default:
      throw new PyRaise('TypeError', `unsupported operand type(s) for ${op}`);
  }
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** Floor division of ints (BigInt division truncates toward zero). */
function floorDiv(x: bigint, y: bigint): bigint {
  const q = x / y;
  return x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q;
}

function floatOp(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw zero('float division by zero');
      return x / y;
    case '//':
      if (y === 0) throw zero('float floor division by zero');
      return floatDivmod(x, y)[0];
    case '%':
      if (y === 0) throw zero('float modulo');
      return floatDivmod(x, y)[1];
    case '**':
      return floatPow(x, y);
    default:
      throw new PyRaise('TypeError', `unsupported operand type(s) for ${op}: 'float'`);
  }
}

/** CPython's float_divmod (Objects/floatobject.c): fmod, then fixed to floor semantics. */
function floatDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = x / y < 0 || Object.is(x / y, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

/** CPython's float_pow: its error cases, else the C library's pow. */
function floatPow(x: number, y: number): number {
  if (x === 0 && y < 0) throw zero('0.0 cannot be raised to a negative power');
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y)) {
    throw new NotEvaluable('a negative float raised to a fractional power (a complex number)');
  }
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new PyRaise('OverflowError', "(34, 'Numerical result out of range')");
  }
  return r;
}

/**
 * `round(x)` and `round(x, n)` (builtin round): half to even on the float's exact binary value,
 * so round(2.675, 2) is 2.67 as in Python, and an int stays an int.
 */
export function pyRound(x: Num, ndigits: bigint | null): Num {
  if (typeof x !== 'number') {
    const i = asInt(x);
    if (ndigits === null || ndigits >= 0n) return i;
    const unit = 10n ** -ndigits;
    return roundHalfEven(i, unit) * unit;
  }
  if (ndigits === null) {
    if (Number.isNaN(x)) throw new PyRaise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x))
      throw new PyRaise('OverflowError', 'cannot convert float infinity to integer');
    const [num, den] = exactRatio(x);
    return roundHalfEven(num, den);
  }
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 400n) return x;
  if (ndigits < -400n) return x < 0 ? -0 : 0;
  let [num, den] = exactRatio(x);
  if (ndigits >= 0n) num *= 10n ** ndigits;
  else den *= 10n ** -ndigits;
  const q = roundHalfEven(num, den);
  const r = Number(`${q}e${-ndigits}`);
  if (!Number.isFinite(r))
    throw new PyRaise('OverflowError', 'rounded value too large to represent');
  return r === 0 && x < 0 ? -0 : r;
}

/** The exact value of a finite double as num/den with den a power of two. */
function exactRatio(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const exp = (expBits === 0 ? 1 : expBits) - 1075;
  return exp >= 0 ? [sign * mant * 2n ** BigInt(exp), 1n] : [sign * mant, 2n ** BigInt(-exp)];
}

/** num/den to the nearest integer, ties to even (den > 0). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  let r = num - q * den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += 1n;
  return q;
}
