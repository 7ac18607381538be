import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact decimal arithmetic for every amount, rate and quantity the engine keeps.
 * 40 significant digits: far beyond what a binary float carries, so ERPNext's own float
 * arithmetic (about 16 digits, then rounded by `flt`) is reproduced exactly at each rounding point.
 */
export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;

export const ZERO: Dec = new Dec(0);
export const ONE: Dec = new Dec(1);
export const HUNDRED: Dec = new Dec(100);

/**
 * Converts a JSON value (number or numeric string, as Frappe returns it) to a decimal.
 * A JS number is read through its shortest round-trip text, i.e. the literal in the JSON.
 * Like Frappe's `flt`, blank and null read as 0; anything else that is not a number is an error.
 */
export function toDec(value: unknown, field = 'value'): Dec {
  if (value === null || value === undefined || value === '') return ZERO;
  if (value instanceof Dec) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${field}: ${value} is not a finite number`);
    return new Dec(String(value));
  }
  if (typeof value === 'boolean') return value ? ONE : ZERO;
  if (typeof value === 'string') {
    const text = value.replaceAll(',', '').trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return new Dec(text);
  }
  throw new RangeError(`${field}: ${JSON.stringify(value)} is not a number`);
}

/** Sum of decimals. */
export function sum(values: Iterable<Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
