import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseJsonWith, toErpnextJson } from '../core/index.js';
import { priceCart, quoteDraft } from '../pos/index.js';
import { UsageError, flags, required } from './args.js';
import type { Io } from './command.js';
import { openTill } from './till.js';
import { CART_FLAGS, cartOf, json } from './till-flags.js';

/** A POS Invoice draft's outer shape; quoteDraft checks its rows as ERPNext would. */
const draftSchema = z.looseObject({});

/**
 * `outpost quote --data DIR` with sell's cart flags: the invoice a sale of this cart would
 * commit now, on the store's current snapshot, as ERPNext JSON; nothing is written.
 */
export function quoteStore(argv: readonly string[], io: Io): number {
  const { values } = flags(argv, {
    data: { type: 'string' },
    invoice: { type: 'string' },
    ...CART_FLAGS,
  });
  const till = openTill(required(values.data, '--data', 'the store directory'));
  try {
    if (values.invoice !== undefined) {
      if (values.item || values.barcode) {
        throw new UsageError('--invoice and the cart flags exclude each other');
      }
      let text: string;
      try {
        text = readFileSync(values.invoice, 'utf8');
      } catch (e) {
        throw new UsageError(`--invoice: cannot read ${values.invoice}: ${(e as Error).message}`);
      }
      const draft = parseJsonWith(draftSchema, text, '--invoice');
      const { quote, snapshot } = quoteDraft(till.term, draft);
      json(io, { ...toErpnextJson(quote), snapshot_version: snapshot });
      return 0;
    }
    const priced = priceCart(till.term, cartOf(values));
    json(io, { ...toErpnextJson(priced.quote), snapshot_version: priced.snapshot });
    return 0;
  } finally {
    till.close();
  }
}
