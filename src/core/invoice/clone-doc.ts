import type { Doc } from './doc.js';
import { copyLine } from './line-memo.js';

/**
 * A copy of an invoice being computed that a settlement may write to without touching the
 * original: every row, table and map is new; decimals, strings and the site settings (never
 * written) are shared. `test/core/clone-doc.test.ts` walks a real quote's doc to prove no
 * mutable object is shared, so a table added to `Doc` without a copy here fails it.
 */
export function cloneDoc(doc: Doc): Doc {
  return {
    ...doc,
    items: doc.items.map(copyLine),
    taxes: doc.taxes.map((t) => ({
      ...t,
      item_wise_tax_detail: new Map(
        [...t.item_wise_tax_detail].map(([k, [rate, amount]]) => [k, [rate, amount]]),
      ),
    })),
    payments: doc.payments.map((p) => ({ ...p })),
    pricing_rules: doc.pricing_rules.map((r) => ({ ...r })),
    unsupported_pricing_rules: doc.unsupported_pricing_rules.map((u) => ({ ...u })),
  };
}
