import { appliedRuleNames, type Quote } from '../core/index.js';
import { str } from './fields.js';
import type { Terminal } from './terminal.js';

/**
 * The titles of the pricing rules a quote applied ("Milk: 10% off 2 or more"), as they read at
 * the sale: kept in the journal so the receipt, and every copy of it, names the promotion.
 */
export function ruleTitles(term: Terminal, q: Quote): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of q.doc.items) {
    for (const name of appliedRuleNames(line.pricing_rules)) {
      const title = str(term.doc('Pricing Rule', name)?.['title']);
      if (title) out[name] = title;
    }
  }
  return out;
}
