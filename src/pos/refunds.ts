import { Dec } from '../core/index.js';
import type { PerMode } from './shift.js';

/** Two refund lists as one, a mode's amounts added. */
export function mergeRefunds(
  a: readonly { mode: string; amount: string }[],
  b: readonly { mode: string; amount: string }[],
  places: number,
): { mode: string; amount: string }[] {
  const out = new Map<string, Dec>();
  for (const r of [...a, ...b]) out.set(r.mode, (out.get(r.mode) ?? new Dec(0)).plus(r.amount));
  return [...out].map(([mode, amount]) => ({ mode, amount: amount.toFixed(places) }));
}

/**
 * Refunds to the modes the customer paid with: non-cash modes first, each up to what it took
 * (less earlier refunds), the rest in cash.
 */
export function allocateRefund(
  paid: PerMode,
  refunded: Map<string, Dec>,
  due: Dec,
  typeOf: (mode: string) => string,
  cashMode: string,
  places: number,
): { mode: string; amount: string }[] {
  const out: { mode: string; amount: string }[] = [];
  let left = due;
  const order = Object.keys(paid).sort(
    (a, b) => Number(typeOf(a) === 'Cash') - Number(typeOf(b) === 'Cash'),
  );
  for (const mode of order) {
    if (left.lte(0)) break;
    const room = new Dec(paid[mode] ?? 0).plus(refunded.get(mode) ?? 0);
    const take = Dec.min(room, left);
    if (take.gt(0)) {
      out.push({ mode, amount: take.toFixed(places) });
      left = left.minus(take);
    }
  }
  if (left.gt(0)) {
    const cash = out.find((o) => o.mode === cashMode);
    if (cash) cash.amount = new Dec(cash.amount).plus(left).toFixed(places);
    else out.push({ mode: cashMode, amount: left.toFixed(places) });
  }
  return out;
}
