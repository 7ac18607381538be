import { Dec } from '../core/index.js';
import { dec, str } from './fields.js';
import { rowsOf, type Original } from './return-original.js';
import type { Terminal } from './terminal.js';

/**
 * ERPNext on a return (POS Invoice on_submit → the original's delete_loyalty_point_entry and
 * make_loyalty_point_entry): the original's entries, its redemption included, are deleted and
 * the earn entry is made again on the amount not yet returned. Locally: the change in earned
 * points, plus the redeemed points given back at the first return.
 */
export function loyaltyOnReturn(
  term: Terminal,
  orig: Original,
  thisReturn: Dec,
): { points: number; program: string } {
  const l = orig.body.loyalty;
  const program = l.earned?.loyalty_program ?? str(orig.body.invoice['loyalty_program']);
  if (!program) return { points: 0, program: '' };
  let delta = orig.firstReturn ? l.points_redeemed : 0;
  if (l.earned) {
    const doc = term.doc('Loyalty Program', program);
    const rule = rowsOf(doc?.['collection_rules']).find((r) => r['tier_name'] === l.earned?.tier);
    const factor = dec(rule?.['collection_factor']);
    const f = factor.isZero() ? new Dec(1) : factor;
    const purchase = new Dec(l.earned.purchase_amount);
    const before = purchase.minus(orig.returnedTotal).div(f).trunc().toNumber();
    const after = purchase.minus(orig.returnedTotal).minus(thisReturn).div(f).trunc().toNumber();
    delta += after - before;
  }
  return { points: delta, program };
}
