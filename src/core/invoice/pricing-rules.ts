import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';
import { pricingRuleForItem } from './pricing-rules/item.js';
import { RuleMemo } from './pricing-rules/rule-memo.js';
import { transactionRules } from './pricing-rules/transaction.js';
import type { RuleArgs, RuleContext, RuleDetails } from './pricing-rules/types.js';

export { conversionFactor } from './pricing-rules/conversion-factor.js';
export type { FreeItem, RuleArgs } from './pricing-rules/types.js';

/**
 * Pricing-rule engine over the master data; one per quote. The steps live in `pricing-rules/`,
 * one ERPNext function (apps/erpnext/erpnext/accounts/doctype/pricing_rule/) per file or so.
 */
export class PricingRules {
  private readonly ctx: RuleContext;

  constructor(master: Master, doc: Doc) {
    this.ctx = { master, doc, memo: new RuleMemo(), reach: { wide: false } };
  }

  rule(name: string): Fields | undefined {
    return this.ctx.master.get('Pricing Rule', name);
  }

  /** Starts a row: what it reads is tracked from here (see `rowWasLocal`). */
  startRow(): void {
    this.ctx.reach.wide = false;
  }

  /** The row's rules read only the row itself, the header and the master data since `startRow`. */
  rowWasLocal(): boolean {
    return !this.ctx.reach.wide;
  }

  /** ERPNext's `get_pricing_rule_for_item` on the server (`for_validate`, with the document). */
  forItem(args: RuleArgs): RuleDetails {
    return pricingRuleForItem(this.ctx, args);
  }

  /** `apply_pricing_rule_on_transaction`: the invoice-level discount and free rows. */
  transactionRules(): ReturnType<typeof transactionRules> {
    return transactionRules(this.ctx);
  }
}
