import { QuoteError } from '../errors.js';
import type { Doc } from '../invoice/doc.js';
import { NotEvaluable, safeEval } from './evaluate.js';
import { invoiceLookup, type Stage } from './invoice-scope.js';

export { safeEval } from './evaluate.js';
export { NotEvaluable, type Py } from './values.js';
export type { Stage } from './invoice-scope.js';

/** What a rule's condition decided: apply, skip, or skip because it raises in ERPNext too. */
type Verdict = { keep: boolean; raised: string | null };

/**
 * `filter_pricing_rule_based_on_condition` (erpnext/accounts/doctype/pricing_rule/utils.py):
 * `frappe.safe_eval(condition, None, doc.as_dict())` decides; an exception is caught there and
 * the rule is dropped, so a raising condition drops the rule here too (and says why). A
 * condition this evaluator cannot decide refuses the invoice: pricing without the rule or with
 * it could both differ from ERPNext.
 */
export function ruleCondition(rule: string, condition: string, doc: Doc, stage: Stage): Verdict {
  try {
    const out = safeEval(condition, invoiceLookup(doc, stage));
    return out.raised === null
      ? { keep: out.truthy, raised: null }
      : { keep: false, raised: out.raised.message };
  } catch (e) {
    if (!(e instanceof NotEvaluable)) throw e;
    throw new QuoteError(
      'UnsupportedPricingRule',
      `Pricing Rule ${rule}: its condition ${JSON.stringify(condition)} cannot be evaluated offline (${e.message}); ERPNext evaluates it on the invoice, so the till refuses to guess the price`,
      `Pricing Rule ${rule}.condition`,
    );
  }
}
