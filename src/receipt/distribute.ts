import { Dec } from '../core/index.js';

/**
 * Splits `total` (an amount at `places`) in proportion to `weights` so that the parts, each at
 * `places`, sum to `total` exactly: largest remainder, ties to the earlier weight.
 * With no usable weights (all zero) the whole amount goes to the first part.
 *
 * @example distribute(new Dec('1.00'), [new Dec(1), new Dec(1), new Dec(1)], 2) // 0.34, 0.33, 0.33
 */
export function distribute(total: Dec, weights: readonly Dec[], places: number): Dec[] {
  if (weights.length === 0) return [];
  const scale = new Dec(10).pow(places);
  const minor = total.times(scale).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN);
  const weightSum = weights.reduce((a, w) => a.plus(w), new Dec(0));
  if (weightSum.isZero()) {
    return weights.map((_, i) => (i === 0 ? minor : new Dec(0)).div(scale));
  }
  const exact = weights.map((w) => minor.times(w).div(weightSum));
  const floors = exact.map((e) => e.floor());
  // The shares sum to `minor`, so the floors fall short by fewer than weights.length units; a
  // share a hair below an integer through inexact division floors one low and wins a unit back.
  let left = floors.reduce((a, f) => a.minus(f), minor).toNumber();
  const byRemainder = exact
    .map((e, i) => ({ i, fraction: e.minus(e.floor()) }))
    .sort((a, b) => b.fraction.comparedTo(a.fraction) || a.i - b.i);
  const parts = [...floors];
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) {
    const at = byRemainder[k]?.i ?? 0;
    parts[at] = (parts[at] ?? new Dec(0)).plus(1);
  }
  return parts.map((p) => p.div(scale));
}
