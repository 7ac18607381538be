import { pyRound } from './numbers.js';
import {
  intToFloat,
  isNum,
  NotEvaluable,
  PyRaise,
  repr,
  typeName,
  type Py,
  type PyCallable,
} from './values.js';

/**
 * What `frappe.safe_eval` puts in scope besides the document: `__builtins__` is emptied and only
 * WHITELISTED_SAFE_EVAL_GLOBALS is added (frappe/utils/safe_exec.py): int, float, long (= int),
 * round. Everything else (len, str, flt, getdate, nowdate...) is a NameError there.
 */
export const SAFE_EVAL_GLOBALS: ReadonlyMap<string, PyCallable> = new Map(
  ['int', 'float', 'long', 'round'].map((name) => [name, { type: 'callable', name }]),
);

/** Non-underscore attributes of each type in CPython 3.11 (`dir(type)`); others AttributeError. */
const ATTRIBUTES: Record<string, readonly string[]> = {
  str: 'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill'.split(
    ' ',
  ),
  int: 'as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes'.split(
    ' ',
  ),
  bool: 'as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes'.split(
    ' ',
  ),
  float: 'as_integer_ratio conjugate fromhex hex imag is_integer real'.split(' '),
  list: 'append clear copy count extend index insert pop remove reverse sort'.split(' '),
  tuple: 'count index'.split(' '),
  NoneType: [],
};
/** frappe.utils.safe_exec.UNSAFE_ATTRIBUTES that a str or number could name. */
const NON_ASCII = { test: (s: string): boolean => [...s].some((c) => c.charCodeAt(0) > 0x7f) };
const UNSAFE = new Set(['format', 'format_map']);
const STR_METHODS = new Set([
  'lower',
  'upper',
  'strip',
  'lstrip',
  'rstrip',
  'startswith',
  'endswith',
]);

/** `v.name` through Frappe's `_get_attr_for_eval` guard, then Python's getattr. */
export function attribute(v: Py, name: string): Py {
  if (UNSAFE.has(name)) throw new PyRaise('SyntaxError', `${name} is an unsafe attribute`);
  const type = typeName(v);
  const known = ATTRIBUTES[type];
  if (known && !known.includes(name)) {
    throw new PyRaise('AttributeError', `'${type}' object has no attribute '${name}'`);
  }
  if (typeof v === 'string' && STR_METHODS.has(name)) return { type: 'callable', name, self: v };
  throw new NotEvaluable(`the attribute ${type}.${name}`);
}

/** Calls one of the whitelisted builtins or a bound str method. */
export function call(fn: Py, args: Py[]): Py {
  if (typeof fn !== 'object' || fn === null || fn.type !== 'callable') {
    throw new PyRaise('TypeError', `'${typeName(fn)}' object is not callable`);
  }
  if (fn.self !== undefined) return strMethod(fn.self, fn.name, args);
  switch (fn.name) {
    case 'int':
    case 'long':
      if (args.length > 1) throw new NotEvaluable('int() with a base');
      return args.length === 0 ? 0n : toInt(args[0] ?? null);
    case 'float':
      if (args.length > 1) throw arity('float', 'at most 1', args.length);
      return args.length === 0 ? 0 : toFloat(args[0] ?? null);
    case 'round': {
      if (args.length < 1 || args.length > 2) throw arity('round', 'from 1 to 2', args.length);
      const x = args[0] ?? null;
      const n = args.length === 2 ? (args[1] ?? null) : null;
      if (!isNum(x)) {
        throw new PyRaise('TypeError', `type ${typeName(x)} doesn't define __round__ method`);
      }
      if (n !== null && typeof n !== 'bigint' && typeof n !== 'boolean') {
        throw new PyRaise(
          'TypeError',
          `'${typeName(n)}' object cannot be interpreted as an integer`,
        );
      }
      return pyRound(x, n === null ? null : BigInt(n));
    }
    default:
      throw new NotEvaluable(`the function ${fn.name}`);
  }
}

const arity = (name: string, expected: string, got: number): PyRaise =>
  new PyRaise('TypeError', `${name}() takes ${expected} arguments (${got} given)`);

/** `int(x)`: truncates a float, parses a str of decimal digits; None and lists are TypeErrors. */
function toInt(x: Py): bigint {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'boolean') return x ? 1n : 0n;
  if (typeof x === 'number') {
    if (Number.isNaN(x)) throw new PyRaise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) {
      throw new PyRaise('OverflowError', 'cannot convert float infinity to integer');
    }
    return BigInt(Math.trunc(x));
  }
  if (typeof x === 'string') {
    const t = pyStrip(x);
    if (!/^[+-]?\d(?:_?\d)*$/.test(t)) {
      if (NON_ASCII.test(t)) throw new NotEvaluable('int() of non-ASCII digits');
      throw new PyRaise('ValueError', `invalid literal for int() with base 10: ${repr(x)}`);
    }
    return BigInt(t.replace(/_/g, ''));
  }
  throw new PyRaise(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(x)}'`,
  );
}

/** `float(x)`: Python's float syntax, plus inf/infinity/nan in any case. */
function toFloat(x: Py): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint' || typeof x === 'boolean') {
    return intToFloat(typeof x === 'boolean' ? BigInt(x) : x);
  }
  if (typeof x === 'string') {
    const t = pyStrip(x);
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
    if (special) {
      const sign = special[1] === '-' ? -1 : 1;
      return (special[2] ?? '').toLowerCase() === 'nan' ? NaN : sign * Infinity;
    }
    const digits = String.raw`\d(?:_?\d)*`;
    const re = new RegExp(
      `^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`,
    );
    if (!re.test(t)) {
      if (NON_ASCII.test(t)) throw new NotEvaluable('float() of non-ASCII digits');
      throw new PyRaise('ValueError', `could not convert string to float: ${repr(x)}`);
    }
    return Number(t.replace(/_/g, ''));
  }
  throw new PyRaise(
    'TypeError',
    `float() argument must be a string or a real number, not '${typeName(x)}'`,
  );
}

/** Python's default `str.strip()` removes Unicode whitespace; ASCII whitespace covers what we accept. */
function pyStrip(s: string): string {
  if (/^[\s]|[\s]$/u.test(s) && NON_ASCII.test(s)) {
    throw new NotEvaluable('stripping non-ASCII whitespace');
  }
  return s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
}

function strMethod(self: string, name: string, args: Py[]): Py {
  if (NON_ASCII.test(self)) throw new NotEvaluable(`str.${name} on non-ASCII text`);
  switch (name) {
    case 'lower':
    case 'upper':
      if (args.length > 0) throw arity(`str.${name}`, 'no', args.length);
      return name === 'lower' ? self.toLowerCase() : self.toUpperCase();
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      if (args.length > 1) throw arity(`str.${name}`, 'at most 1', args.length);
      const chars = args[0] ?? null;
      if (chars !== null && typeof chars !== 'string') {
        throw new PyRaise('TypeError', `${name} arg must be None or str`);
      }
      const set = chars === null ? ' \t\n\r\f\v\x1c\x1d\x1e\x1f\x85' : chars;
      let a = 0;
      let b = self.length;
      if (name !== 'rstrip') while (a < b && set.includes(self.charAt(a))) a++;
      if (name !== 'lstrip') while (b > a && set.includes(self.charAt(b - 1))) b--;
      return self.slice(a, b);
    }
    default: {
      if (args.length !== 1) throw new NotEvaluable(`str.${name} with start or end positions`);
      const arg = args[0] ?? null;
      const options =
        typeof arg === 'string'
          ? [arg]
          : typeof arg === 'object' && arg !== null && arg.type === 'tuple'
            ? arg.items
            : null;
      if (options === null || !options.every((o) => typeof o === 'string')) {
        throw new PyRaise(
          'TypeError',
          `${name} first arg must be str or a tuple of str, not ${typeName(arg)}`,
        );
      }
      const test = (o: string): boolean =>
        name === 'startswith' ? self.startsWith(o) : self.endsWith(o);
      return (options as string[]).some(test);
    }
  }
}
