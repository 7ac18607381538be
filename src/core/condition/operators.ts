import { numeric } from './numbers.js';
import {
  isNum,
  list,
  NotEvaluable,
  PyRaise,
  tuple,
  typeName,
  type Num,
  type Py,
} from './values.js';

const typeError = (msg: string): PyRaise => new PyRaise('TypeError', msg);
const isSeq = (v: Py): v is { type: 'list' | 'tuple'; items: readonly Py[] } =>
  typeof v === 'object' && v !== null && (v.type === 'list' || v.type === 'tuple');

/** A binary operator (`+ - * / // % ** @ & | ^ << >>`) with Python's type rules. */
export function binary(op: string, a: Py, b: Py): Py {
  if (isNum(a) && isNum(b)) {
    if (
      ['&', '|', '^', '<<', '>>'].includes(op) &&
      (typeof a === 'number' || typeof b === 'number')
    ) {
      throw unsupportedOperands(op, a, b);
    }
    if (op === '@') throw unsupportedOperands(op, a, b);
    return numeric(op, a, b);
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (isSeq(a) && isSeq(b) && a.type === b.type) {
      return a.type === 'list' ? list([...a.items, ...b.items]) : tuple([...a.items, ...b.items]);
    }
  }
  if (op === '*') {
    const rep = repeat(a, b) ?? repeat(b, a);
    if (rep !== undefined) return rep;
  }
  if (op === '%' && typeof a === 'string') throw new NotEvaluable('%-formatting of strings');
  throw unsupportedOperands(op, a, b);
}

function repeat(seq: Py, times: Py): Py | undefined {
  if (typeof times !== 'bigint' && typeof times !== 'boolean') return undefined;
  const n = typeof times === 'boolean' ? (times ? 1 : 0) : Number(times < 0n ? 0n : times);
  if (typeof seq === 'string') {
    if (seq.length * n > 1_000_000) throw new NotEvaluable('strings over a million characters');
    return seq.repeat(n);
  }
  if (isSeq(seq)) {
    if (seq.items.length * n > 1_000_000) throw new NotEvaluable('lists over a million items');
    const items = Array.from({ length: n }, () => seq.items).flat();
    return seq.type === 'list' ? list(items) : tuple(items);
  }
  return undefined;
}

const unsupportedOperands = (op: string, a: Py, b: Py): PyRaise =>
  typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);

/** Unary `-`, `+`, `~`. */
export function unary(op: '-' | '+' | '~', v: Py): Py {
  if (isNum(v) && !(op === '~' && typeof v === 'number')) {
    if (op === '-') return typeof v === 'number' ? -v : -(typeof v === 'boolean' ? BigInt(v) : v);
    if (op === '+') return typeof v === 'boolean' ? BigInt(v) : v;
    return ~(typeof v === 'boolean' ? BigInt(v) : v);
  }
  throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`);
}

/** `a == b`: numbers across int, float and bool; sequences item by item; else same value. */
export function equal(a: Py, b: Py): boolean {
  if (isNum(a) && isNum(b)) return numEq(a, b);
  if (isSeq(a) && isSeq(b)) {
    return (
      a.type === b.type &&
      a.items.length === b.items.length &&
      a.items.every((x, i) => equal(x, b.items[i] ?? null))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return a.type === 'callable' && b.type === 'callable' && a.name === b.name && a.self === b.self;
  }
  return a === b;
}

const numOf = (v: Num): bigint | number => (typeof v === 'boolean' ? (v ? 1n : 0n) : v);
// JS compares a bigint with a number exactly, as CPython compares int with float.
const numEq = (a: Num, b: Num): boolean => numOf(a) == numOf(b);

/** `<`, `<=`, `>`, `>=`: numbers, strings by code point, sequences lexicographically. */
export function order(op: string, a: Py, b: Py): boolean {
  const c = compare(op, a, b);
  if (c === 'nan') return false;
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function compare(op: string, a: Py, b: Py): number | 'nan' {
  if (isNum(a) && isNum(b)) {
    const x = numOf(a);
    const y = numOf(b);
    if ((typeof x === 'number' && Number.isNaN(x)) || (typeof y === 'number' && Number.isNaN(y)))
      return 'nan';
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (isSeq(a) && isSeq(b) && a.type === b.type) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const x = a.items[i] ?? null;
      const y = b.items[i] ?? null;
      if (!equal(x, y)) return compare(op, x, y);
    }
    return a.items.length - b.items.length;
  }
  throw typeError(
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** `needle in haystack`. */
export function contains(needle: Py, haystack: Py): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') {
      throw typeError(`'in <string>' requires string as left operand, not ${typeName(needle)}`);
    }
    return haystack.includes(needle);
  }
  if (isSeq(haystack)) return haystack.items.some((x) => x === needle || equal(x, needle));
  throw typeError(`argument of type '${typeName(haystack)}' is not iterable`);
}

/**
 * `a is b`: decidable only against the singletons None, True and False; identity of other
 * values (interned strings, cached small ints) is a CPython implementation detail.
 */
export function identical(a: Py, b: Py): boolean {
  const singleton = (v: Py): boolean => v === null || typeof v === 'boolean';
  if (singleton(a) || singleton(b)) return a === b;
  throw new NotEvaluable(`'is' between two ${typeName(a)}/${typeName(b)} values`);
}

/** `v[index]` and `v[lower:upper]` on str, list and tuple. */
export function subscript(v: Py, index: Py): Py {
  // Frappe's _getitem_ guard refuses keys starting with "_" before the lookup.
  if (typeof index === 'string' && index.startsWith('_')) {
    throw new PyRaise('SyntaxError', 'Key starts with _');
  }
  if (typeof v === 'string' || isSeq(v)) {
    const items = typeof v === 'string' ? Array.from(v) : v.items;
    if (typeof index !== 'bigint' && typeof index !== 'boolean') {
      throw typeError(`${typeName(v)} indices must be integers or slices, not ${typeName(index)}`);
    }
    const i = Number(typeof index === 'boolean' ? BigInt(index) : index);
    const at = i < 0 ? items.length + i : i;
    const item = at >= 0 && at < items.length ? items[at] : undefined;
    if (item === undefined) throw new PyRaise('IndexError', `${typeName(v)} index out of range`);
    return item;
  }
  throw typeError(`'${typeName(v)}' object is not subscriptable`);
}

export function slice(v: Py, lower: Py, upper: Py, step: Py): Py {
  if (typeof v !== 'string' && !isSeq(v)) {
    throw typeError(`'${typeName(v)}' object is not subscriptable`);
  }
  if (step !== null && !(typeof step === 'bigint' && step === 1n) && step !== true) {
    throw new NotEvaluable('slices with a step');
  }
  const items = typeof v === 'string' ? Array.from(v) : [...v.items];
  const bound = (b: Py, dflt: number): number => {
    if (b === null) return dflt;
    if (typeof b !== 'bigint' && typeof b !== 'boolean') {
      throw typeError('slice indices must be integers or None or have an __index__ method');
    }
    const n = Number(typeof b === 'boolean' ? BigInt(b) : b);
    const at = n < 0 ? items.length + n : n;
    return Math.min(Math.max(at, 0), items.length);
  };
  const part = items.slice(bound(lower, 0), bound(upper, items.length));
  if (typeof v === 'string') return (part as string[]).join('');
  return v.type === 'list' ? list(part) : tuple(part);
}
