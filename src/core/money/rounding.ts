import { Dec, ZERO } from './decimal.js';

/** The values of System Settings `rounding_method` that ERPNext v15 supports. */
export const RoundingMethods = [
  "Banker's Rounding",
  "Banker's Rounding (legacy)",
  'Commercial Rounding',
] as const;
export type RoundingMethod = (typeof RoundingMethods)[number];

export function isRoundingMethod(value: unknown): value is RoundingMethod {
  return typeof value === 'string' && (RoundingMethods as readonly string[]).includes(value);
}

/**
 * Frappe's `rounded(num, precision, method)` on exact decimals.
 *
 * - Banker's Rounding: ties go to the even neighbour (`_bankers_rounding`).
 * - Banker's Rounding (legacy): with precision > 0 a tie goes up (toward +inf, since it floors
 *   then adds one); with precision 0 a tie goes to even (`_bankers_rounding_legacy`).
 * - Commercial Rounding: ties go away from zero (`_round_away_from_zero`).
 *
 * Frappe first snaps the float product to 12 (or 8) decimals to erase binary noise; an exact
 * decimal has no such noise, so the tie test here is exact.
 */
export function rounded(value: Dec, precision: number, method: RoundingMethod): Dec {
  if (value.isZero()) return ZERO;
  // Already within the places: every method leaves it as is (decimals are immutable, so the same
  // value is returned). Most of a cart's roundings are of values rounded before.
  if (value.decimalPlaces() <= precision) return value;
  switch (method) {
    case "Banker's Rounding":
      return value.toDecimalPlaces(precision, Dec.ROUND_HALF_EVEN);
    case "Banker's Rounding (legacy)":
      return value.toDecimalPlaces(
        precision,
        precision ? Dec.ROUND_HALF_CEIL : Dec.ROUND_HALF_EVEN,
      );
    case 'Commercial Rounding':
      return value.toDecimalPlaces(precision, Dec.ROUND_HALF_UP);
  }
}

/** Precision and rounding in force: what Frappe reads from System Settings. */
export interface Precision {
  /** Places for Currency fields. */
  readonly currency: number;
  /** Places for Float and Percent fields without their own precision. */
  readonly float: number;
  readonly method: RoundingMethod;
}

/** `flt(value, precision)` with the site's rounding method. */
export function flt(value: Dec, precision: number, p: Pick<Precision, 'method'>): Dec {
  return rounded(value, precision, p.method);
}
