import { flt, type Dec, type RoundingMethod } from '../core/index.js';

/** How the invoice's currency is printed: its places and the site's rounding method. */
export interface MoneyFormat {
  readonly places: number;
  readonly method: RoundingMethod;
}

/** An amount as printed, e.g. "-0.75": rounded as ERPNext's `flt`, fixed to the places. */
export function formatMoney(value: Dec, format: MoneyFormat): string {
  const text = flt(value, format.places, format).toFixed(format.places);
  // decimal.js keeps the sign of a negative zero ("-0.00"), which no receipt should show.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A quantity or rate without trailing zeros and never in exponent form: "0.45", "3". */
export function formatNumber(value: Dec): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}

/** A percentage as printed: "10%", "5.5%". */
export const formatPercent = (value: Dec): string => `${formatNumber(value)}%`;
