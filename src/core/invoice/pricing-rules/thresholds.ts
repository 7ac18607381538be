import { Dec } from '../../money/decimal.js';
import type { Master } from '../../master.js';
import type { Fields } from '../../record.js';
import type { Candidate } from './types.js';

/** `filter_pricing_rules_for_qty_amount`: min/max qty and amount, scaled by the row's UOM. */
export function filterQtyAmount(
  master: Master,
  qty: Dec,
  amount: Dec,
  rules: Candidate[],
  uom: string | null,
): Candidate[] {
  return rules.filter((c) => {
    const r = c.rule;
    let cf = new Dec(1);
    if (c.uom) {
      const item = master.get('Item', r.table('items')[0]?.str('item_code') ?? '');
      const row = item?.table('uoms').find((u) => u.str('uom') === c.uom);
      cf = row ? row.dec('conversion_factor') : new Dec(1);
    }
    const maxQty = r.dec('max_qty');
    const qtyOk =
      qty.gte(r.dec('min_qty').times(cf)) && (maxQty.isZero() || qty.lte(maxQty.times(cf)));
    if (uom !== null && c.uom === uom) cf = new Dec(1);
    const maxAmt = r.dec('max_amt');
    const amtOk =
      amount.gte(r.dec('min_amt').times(cf)) && (maxAmt.isZero() || amount.lte(maxAmt.times(cf)));
    return qtyOk && amtOk;
  });
}

/** `validate_quantity_and_amount_for_suggestion`: within threshold_percentage of a limit. */
export function suggests(rule: Fields, qty: Dec, amount: Dec): boolean {
  const pct = rule.dec('threshold_percentage');
  for (const [field, value] of [
    ['min_qty', qty],
    ['min_amt', amount],
  ] as const) {
    const limit = rule.dec(field);
    if (
      !limit.isZero() &&
      value.lt(limit) &&
      limit.minus(limit.times(pct).div(100).trunc()).lte(value)
    )
      return true;
  }
  for (const [field, value] of [
    ['max_qty', qty],
    ['max_amt', amount],
  ] as const) {
    const limit = rule.dec(field);
    if (
      !limit.isZero() &&
      value.gt(limit) &&
      limit.plus(limit.times(pct).div(100).trunc()).gte(value)
    )
      return true;
  }
  return false;
}
