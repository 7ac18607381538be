/**
 * Exact decimal aggregates, as MariaDB computes them over Frappe's decimal(21,9) columns
 * (Float, Currency, Percent): the stored JSON numbers are read as the decimals they print as,
 * rounded to the column's scale, summed exactly, and handed back as a float the way Frappe's
 * JSON encoder turns a Decimal into one. AVG keeps 4 more places (div_precision_increment).
 */
import type Database from 'better-sqlite3';

/** Frappe v15 stores Float / Currency / Percent / Duration as decimal(21,9) (Rating: 3,2). */
const DECIMAL_SCALE = 9;
/** The decimal places of a numeric fieldtype's column (0 for Int / Check). */
export const scaleOf = (fieldtype: string): number =>
  fieldtype === 'Int' || fieldtype === 'Check' ? 0 : fieldtype === 'Rating' ? 2 : DECIMAL_SCALE;
/** MariaDB's div_precision_increment: AVG of a decimal has 4 more places than its argument. */
const DIV_INCREMENT = 4;

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** A number or numeric string as an integer count of 10^-scale, rounded half away from zero. */
export function toScaled(value: unknown, scale: number): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  const text =
    typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : '';
  const m = DECIMAL.exec(text);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') return 0n; // MariaDB reads junk as 0
  const digits = BigInt((m[2] ?? '') + (m[3] ?? '') || '0');
  const shift = Number(m[4] ?? 0) - (m[3] ?? '').length + scale;
  let scaled: bigint;
  if (shift >= 0) scaled = digits * 10n ** BigInt(shift);
  else scaled = divRound(digits, 10n ** BigInt(-shift));
  return m[1] === '-' ? -scaled : scaled;
}

/** a / b for b > 0, rounded half away from zero. */
function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return negative ? -q : q;
}

/** A scaled decimal as the float Python's float(Decimal) gives (correctly rounded). */
export function scaledToNumber(value: bigint, scale: number): number {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return Number(`${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`);
}

interface SumState {
  sum: bigint;
  any: boolean;
}
interface AvgState {
  sum: bigint;
  count: bigint;
}

const registered = new WeakSet<Database.Database>();

/** SQL names of the exact aggregates over a column of `scale` places (9: decimal, 0: int). */
export const decimalSum = (scale: number): string => `sim_decimal_sum_${scale}`;
export const decimalAvg = (scale: number): string => `sim_decimal_avg_${scale}`;

/** Register the exact aggregates on a connection (once). */
export function registerDecimalAggregates(db: Database.Database): void {
  if (registered.has(db)) return;
  registered.add(db);
  for (const scale of [0, 2, DECIMAL_SCALE]) {
    db.aggregate<SumState>(decimalSum(scale), {
      deterministic: true,
      start: () => ({ sum: 0n, any: false }),
      step: (state, value: unknown) => {
        const v = toScaled(value, scale);
        return v === undefined ? state : { sum: state.sum + v, any: true };
      },
      result: (state) => (state.any ? scaledToNumber(state.sum, scale) : null),
    });
    db.aggregate<AvgState>(decimalAvg(scale), {
      deterministic: true,
      start: () => ({ sum: 0n, count: 0n }),
      step: (state, value: unknown) => {
        const v = toScaled(value, scale);
        return v === undefined ? state : { sum: state.sum + v, count: state.count + 1n };
      },
      result: (state) =>
        state.count === 0n
          ? null
          : scaledToNumber(
              divRound(state.sum * 10n ** BigInt(DIV_INCREMENT), state.count),
              scale + DIV_INCREMENT,
            ),
    });
  }
}
