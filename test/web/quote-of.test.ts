import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Master, quote, toErpnextJson } from '../../src/core/index.js';
import { quoteSchema } from '../../web/src/api/schemas.js';
import { quoteOf } from '../../web/src/pricing/quote-of.js';

// The screen's short view of a priced invoice must be, field for field, the node's: the whole
// invoice's JSON parsed by the screen's schema (what /api/cart/price answers, read back).

interface Case {
  readonly system: Record<string, unknown>;
  readonly master: Record<string, unknown>;
  readonly draft: Record<string, unknown>;
}

const dir = join(import.meta.dirname, '../fixtures/parity');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case) }));

const priced = cases.flatMap((c) => {
  try {
    const master = new Master({ ...c.master, system: c.system });
    return [{ file: c.file, q: quote(master, c.draft) }];
  } catch {
    return [];
  }
});

describe('quoteOf', () => {
  it('prices most parity cases (the rest are refusals)', () => {
    expect(priced.length).toBe(45);
  });

  it.each(priced)('$file: the same fields and values as the parsed invoice JSON', ({ q }) => {
    expect(quoteOf(q)).toStrictEqual(quoteSchema.parse(toErpnextJson(q)));
  });
});
