/**
 * Python values as `frappe.safe_eval` sees them. Python floats are IEEE doubles, exactly what a
 * JS `number` is, so a float is a number and comparisons match bit for bit; Python ints are
 * unbounded, so an int is a bigint. `bool` stays apart from int (it prints and is-compares
 * differently) but takes part in arithmetic as 0/1, as in Python.
 */
export type Py = null | boolean | bigint | number | string | PyList | PyTuple | PyCallable;

interface PyList {
  readonly type: 'list';
  readonly items: readonly Py[];
}
interface PyTuple {
  readonly type: 'tuple';
  readonly items: readonly Py[];
}
/** A whitelisted builtin (`int`, `float`, `round`) or a bound `str` method. */
export interface PyCallable {
  readonly type: 'callable';
  readonly name: string;
  readonly self?: string;
}

/**
 * A Python exception the expression raises in ERPNext (NameError, TypeError, SyntaxError...).
 * ERPNext's `filter_pricing_rule_based_on_condition` catches every Exception and drops the rule.
 */
export class PyRaise extends Error {
  override readonly name = 'PyRaise';
  constructor(
    readonly pyType: string,
    readonly detail: string,
  ) {
    super(`${pyType}: ${detail}`);
  }
}

/**
 * Valid (or possibly valid) Python that this evaluator does not implement, or a document field
 * the till does not know the value of: ERPNext's answer is unknown here, so the caller refuses.
 */
export class NotEvaluable extends Error {
  override readonly name = 'NotEvaluable';
}

export const list = (items: readonly Py[]): PyList => ({ type: 'list', items });
export const tuple = (items: readonly Py[]): PyTuple => ({ type: 'tuple', items });

export function typeName(v: Py): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    default:
      return v.type === 'callable' ? 'builtin_function_or_method' : v.type;
  }
}

/** Python truthiness (`bool(v)`). */
export function truthy(v: Py): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0; // NaN is truthy in Python too
    case 'string':
      return v.length > 0;
    default:
      return v.type === 'callable' ? true : v.items.length > 0;
  }
}

/** int, float or bool: the operands of arithmetic. */
export type Num = boolean | bigint | number;
export const isNum = (v: Py): v is Num =>
  typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number';
/** bool and int as an int. */
export const asInt = (v: boolean | bigint): bigint => (typeof v === 'boolean' ? (v ? 1n : 0n) : v);

/** `float(int)`: exact to the nearest double, OverflowError past the double range. */
export function intToFloat(i: bigint): number {
  const f = Number(i);
  if (!Number.isFinite(f)) throw new PyRaise('OverflowError', 'int too large to convert to float');
  return f;
}

/** `repr(float)`: the shortest round-tripping digits, fixed between 1e-4 and 1e16 as Python does. */
export function floatRepr(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(f.toExponential());
  if (!m) return String(f);
  const [, sign = '', head = '', tail = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = head + tail;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac || '0'}`;
  }
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${sign}${head}${tail ? `.${tail}` : ''}e${e}`;
}

/** `repr(v)`, used in error messages the way Python words them. */
export function repr(v: Py): string {
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'bigint':
      return v.toString();
    case 'number':
      return floatRepr(v);
    case 'string':
      return strRepr(v);
    default:
      if (v.type === 'callable') return `<built-in function ${v.name}>`;
      if (v.type === 'list') return `[${v.items.map(repr).join(', ')}]`;
      return v.items.length === 1
        ? `(${repr(v.items[0] ?? null)},)`
        : `(${v.items.map(repr).join(', ')})`;
  }
}

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if ((ch.codePointAt(0) ?? 0) < 0x20 || ch === '\x7f')
      out += `\\x${(ch.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}
