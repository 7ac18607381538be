import { Dec, ZERO } from '../../money/decimal.js';
import { conditionHolds } from './condition.js';
import { matchesConditions } from './other-conditions.js';
import { productDiscount } from './product-discount.js';
import { filterQtyAmount } from './thresholds.js';
import { emptyDetails, type FreeItem, type RuleArgs, type RuleContext } from './types.js';

/** A product rule on the whole invoice has no item row to read arguments from. */
const noArgs: RuleArgs = {
  item_code: '',
  item_group: '',
  brand: '',
  variant_of: '',
  uom: '',
  qty: ZERO,
  stock_qty: ZERO,
  conversion_factor: new Dec(1),
  price_list_rate: ZERO,
  rate: ZERO,
  warehouse: '',
  transaction_date: '',
  pricing_rules: '',
  is_free_item: false,
};

interface TransactionResult {
  discount: boolean;
  free: FreeItem[];
  removeFree: boolean;
}

/**
 * `apply_pricing_rule_on_transaction`: rules with apply_on Transaction set the invoice's
 * additional discount or add free rows. Invoices have no `transaction_date`, so ERPNext applies
 * no validity dates here.
 */
export function transactionRules(ctx: RuleContext): TransactionResult {
  const { master, doc } = ctx;
  const all = master
    .all('Pricing Rule')
    .filter((r) => r.str('apply_on') === 'Transaction' && !r.bool('disable') && r.bool('selling'))
    .filter((r) => matchesConditions(ctx, r, null));
  const result: TransactionResult = { discount: false, free: [], removeFree: false };
  if (all.length === 0) return result;
  const rules = filterQtyAmount(
    master,
    doc.total_qty,
    doc.total,
    all.map((rule) => ({ rule, name: rule.str('name'), uom: '' })),
    null,
  ).filter((c) => conditionHolds(doc, c, 'transaction', ''));
  if (rules.length === 0) {
    result.removeFree = true;
    return result;
  }
  for (const c of rules) {
    const d = c.rule;
    if (d.str('price_or_product_discount') === 'Price') {
      if (d.str('apply_discount_on')) doc.apply_discount_on = d.str('apply_discount_on');
      let met = false;
      for (const [field, ruleField] of [
        ['additional_discount_percentage', 'discount_percentage'],
        ['discount_amount', 'discount_amount'],
      ] as const) {
        const value = d.dec(ruleField);
        if (value.isZero()) continue;
        if (d.bool('validate_applied_rule') && doc[field].lt(value)) continue;
        if (!d.bool('coupon_code_based')) {
          doc[field] = value;
        } else if (doc.coupon_code) {
          const coupon = master.get('Coupon Code', doc.coupon_code);
          if (coupon?.str('pricing_rule') === c.name) {
            doc[field] = value;
            met = true;
            break;
          }
          doc[field] = ZERO;
        } else {
          doc[field] = ZERO;
        }
      }
      result.discount = true;
      if (met) break;
    } else if (d.str('price_or_product_discount') === 'Product') {
      const details = emptyDetails();
      productDiscount(ctx, d, details, { ...noArgs, item_code: '' });
      result.free.push(...details.free_item_data);
    }
  }
  return result;
}
