import { ruleCondition, type Stage } from '../../condition/index.js';
import type { Doc } from '../doc.js';
import type { Candidate } from './types.js';

/** The rule's Python condition on the invoice; one that raises in ERPNext is dropped and noted. */
export function conditionHolds(doc: Doc, c: Candidate, stage: Stage, itemCode: string): boolean {
  const condition = c.rule.str('condition');
  if (!condition) return true;
  const verdict = ruleCondition(c.name, condition, doc, stage);
  if (verdict.raised === null) return verdict.keep;
  const noted = doc.unsupported_pricing_rules.some(
    (u) => u.pricing_rule === c.name && u.item_code === itemCode,
  );
  if (!noted) {
    doc.unsupported_pricing_rules.push({
      pricing_rule: c.name,
      item_code: itemCode,
      reason: `the rule's condition raises ${verdict.raised}; ERPNext drops a rule whose condition raises, so it is not applied here either`,
    });
  }
  return false;
}
