import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Master, priceDraft, quote, type MasterInput } from '../../src/core/index.js';
import { outcome } from './fixture.js';

// A till prices a cart's lines once and settles them twice (amount due, then the tender):
// `priceDraft(...).settle(variant)` must be byte for byte `quote(master, variant)`, refusals
// included, whatever the cart, the customer and the payments.

type Rec = Record<string, unknown>;
interface Case {
  readonly system: Rec;
  readonly master: Rec;
  readonly draft: Rec;
}

const dir = join(import.meta.dirname, '../fixtures/parity');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case) }));

const customersOf = (c: Case): string[] =>
  ((c.master['Customer'] as Rec[] | undefined) ?? []).map((r) => String(r['name']));
const modesOf = (c: Case): string[] => {
  const fromDraft = ((c.draft['payments'] as Rec[] | undefined) ?? []).map((p) =>
    String(p['mode_of_payment']),
  );
  return [...new Set([...fromDraft, 'Cash'])];
};

/** A cart drawn from a case: its own lines picked, repeated and re-quantified, its customers. */
const scenario = fc.constantFrom(...cases.keys()).chain((n) => {
  const c = cases[n] as (typeof cases)[number];
  const rows = (c.draft['items'] as Rec[] | undefined) ?? [];
  const payment = fc.record({
    mode_of_payment: fc.constantFrom(...modesOf(c)),
    amount: fc.integer({ min: -5_000, max: 500_000 }).map((cents) => cents / 100),
  });
  return fc.record({
    file: fc.constant(c.file),
    lines: fc.array(
      fc.record({
        row: fc.nat({ max: Math.max(0, rows.length - 1) }),
        qty: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    customer: fc.option(fc.constantFrom(...customersOf(c), 'Nobody'), { nil: undefined }),
    discount: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    variants: fc.array(
      fc.record({
        docstatus: fc.constantFrom(0, 1),
        payments: fc.array(payment, { minLength: 0, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  });
});

describe('a priced draft settled against payment variants', () => {
  it('settles every variant exactly as a whole quote of that variant would', () => {
    fc.assert(
      fc.property(scenario, ({ file, lines, customer, discount, variants }) => {
        const c = cases.find((x) => x.file === file) as (typeof cases)[number];
        const rows = (c.draft['items'] as Rec[] | undefined) ?? [];
        const draft0: Rec = {
          ...c.draft,
          items: lines.map(({ row, qty }) => ({
            ...rows[row],
            ...(qty !== undefined ? { qty } : {}),
          })),
          ...(customer !== undefined ? { customer } : {}),
          ...(discount !== undefined ? { additional_discount_percentage: discount } : {}),
          docstatus: 0,
        };
        const input: MasterInput = { system: c.system, ...c.master };
        // The whole quote on a master of its own: no memo of the shared one can hide a change.
        const whole = (d: Rec) => outcome(() => quote(input, d));
        let priced: ReturnType<typeof priceDraft> | null = null;
        const first = outcome(() => {
          priced = priceDraft(new Master(input), draft0);
          return priced.settle(draft0);
        });
        expect(first).toBe(whole(draft0));
        if (priced === null) return;
        const reuse: ReturnType<typeof priceDraft> = priced;
        for (const v of variants) {
          const variant = { ...draft0, docstatus: v.docstatus, payments: v.payments };
          expect(outcome(() => reuse.settle(variant))).toBe(whole(variant));
        }
        // Settling never writes to the priced state: the first settlement again, unchanged.
        expect(outcome(() => reuse.settle(draft0))).toBe(first);
      }),
      { numRuns: 400 },
    );
  });

  it('quotes afresh a variant that changes more than its payments', () => {
    const c = cases.find((x) => x.file.startsWith('055-'));
    if (!c) throw new Error('parity case 055 is missing');
    const input: MasterInput = { system: c.system, ...c.master };
    const draft0 = { ...c.draft, docstatus: 0 };
    const other = { ...draft0, additional_discount_percentage: 50 };
    const priced = priceDraft(new Master(input), draft0);
    const viaPriced = outcome(() => priced.settle(other));
    expect(viaPriced).toBe(outcome(() => quote(input, other)));
    expect(viaPriced).not.toBe(outcome(() => quote(input, draft0)));
  });
});
