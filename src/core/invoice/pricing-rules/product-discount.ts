import { Dec, ZERO } from '../../money/decimal.js';
import { QuoteError } from '../../errors.js';
import type { Fields } from '../../record.js';
import { conversionFactor } from './conversion-factor.js';
import type { RuleArgs, RuleContext, RuleDetails } from './types.js';

/** `get_product_discount_rule`: the free row a product rule adds. */
export function productDiscount(
  { master, doc, reach }: RuleContext,
  rule: Fields,
  details: RuleDetails,
  args: RuleArgs,
): void {
  // Its free row goes into the table, and a recursive rule counts the other rows.
  reach.wide = true;
  let freeItem = rule.str('free_item');
  if (rule.bool('same_item') && rule.str('apply_on') !== 'Transaction') freeItem = args.item_code;
  if (!freeItem) {
    throw new QuoteError(
      'ValidationError',
      `Free item not set in the pricing rule ${rule.str('name')}`,
      'free_item',
    );
  }
  const freeQty = rule.dec('free_qty');
  let qty = freeQty.isZero() ? new Dec(1) : freeQty;
  if (rule.bool('is_recursive')) {
    let transactionQty = ZERO;
    for (const row of doc.items) {
      if (
        !row.is_free_item &&
        row.item_code === args.item_code &&
        row.pricing_rules === args.pricing_rules
      ) {
        transactionQty = transactionQty.plus(row.qty);
      }
    }
    transactionQty = transactionQty.minus(rule.dec('apply_recursion_over'));
    const recurseFor = rule.dec('recurse_for');
    if (transactionQty.gt(0) && !recurseFor.isZero()) {
      qty = transactionQty.times(qty).div(recurseFor);
      if (rule.bool('round_free_qty')) {
        qty = transactionQty
          .div(recurseFor)
          .floor()
          .times(freeQty.isZero() ? new Dec(1) : freeQty);
      }
    }
  }
  if (qty.isZero()) return;
  const item = master.link('Item', freeItem, `Pricing Rule ${rule.str('name')}.free_item`);
  const uom = rule.str('free_item_uom') || item.str('stock_uom');
  details.free_item_data.push({
    item_code: freeItem,
    qty,
    pricing_rules: rule.str('name'),
    rate: rule.dec('free_item_rate'),
    price_list_rate: rule.dec('free_item_rate'),
    uom,
    conversion_factor: conversionFactor(item, uom, master),
  });
}
