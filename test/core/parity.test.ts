import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quote, toErpnextJson, QuoteError } from '../../src/core/index.js';

/** Cases recorded from a real ERPNext v15.71.1 site: {system, master, draft, expected}. */
const dir = join(import.meta.dirname, '../fixtures/parity');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const ITEM_FIELDS = [
  'qty',
  'stock_qty',
  'conversion_factor',
  'price_list_rate',
  'discount_percentage',
  'discount_amount',
  'rate',
  'amount',
  'net_rate',
  'net_amount',
  'is_free_item',
  'distributed_discount_amount',
  'base_price_list_rate',
  'base_rate',
  'base_amount',
  'base_net_rate',
  'base_net_amount',
] as const;
const TAX_FIELDS = [
  'rate',
  'tax_amount',
  'total',
  'tax_amount_after_discount_amount',
  'base_tax_amount',
  'base_total',
] as const;
const DOC_FIELDS = [
  'total_qty',
  'total',
  'net_total',
  'total_taxes_and_charges',
  'discount_amount',
  'additional_discount_percentage',
  'grand_total',
  'rounding_adjustment',
  'rounded_total',
  'loyalty_amount',
  'paid_amount',
  'change_amount',
  'write_off_amount',
  'base_total',
  'base_net_total',
  'base_total_taxes_and_charges',
  'base_discount_amount',
  'base_grand_total',
  'base_rounding_adjustment',
  'base_rounded_total',
] as const;

interface Case {
  name: string;
  system: Record<string, unknown>;
  master: Record<string, unknown>;
  draft: Record<string, unknown>;
  expected: Record<string, unknown> & {
    error?: { http_status: number; body: { exc_type: string } };
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

describe('parity with a real ERPNext v15.71', () => {
  it('has every recorded case', () => {
    expect(files.length).toBe(49);
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case;
    const about = (c as unknown as { about: string }).about;
    it(`${file}: ${about}`, () =>
      check(c, () => quote({ system: c.system, ...c.master }, c.draft)));
    // Cases recorded with the site's System Settings / Global Defaults / Currency records: the
    // settings derived from those records alone (siteSettings) must give ERPNext's totals too.
    if (c.master['System Settings']) {
      it(`${file} (settings from the recorded records): ${about}`, () =>
        check(c, () => quote(c.master, c.draft)));
    }
  }
});

function check(c: Case, run: () => ReturnType<typeof quote>): void {
  if (c.expected.error) {
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QuoteError);
    const err = caught as QuoteError;
    const expectedKind = c.expected.error.body.exc_type;
    expect(err.kind).toBe(expectedKind);
    return;
  }
  const out = toErpnextJson(run());
  const e = c.expected;
  const cents = (v: unknown) => Math.round(num(v) * 1000) / 1000;
  for (const f of DOC_FIELDS) {
    expect({ field: f, value: cents(out[f]) }).toEqual({ field: f, value: cents(e[f]) });
  }
  const eItems = e['items'] as Record<string, unknown>[];
  const oItems = out['items'] as Record<string, unknown>[];
  expect(oItems.map((i) => i['item_code'])).toEqual(eItems.map((i) => i['item_code']));
  eItems.forEach((ei, n) => {
    const oi = oItems[n] ?? {};
    for (const f of ITEM_FIELDS) {
      expect({ row: n + 1, field: f, value: cents(oi[f]) }).toEqual({
        row: n + 1,
        field: f,
        value: cents(ei[f]),
      });
    }
    expect({ row: n + 1, uom: oi['uom'] }).toEqual({ row: n + 1, uom: ei['uom'] });
    if (ei['pricing_rules']) expect(oi['pricing_rules']).toBe(ei['pricing_rules']);
    expect(JSON.parse(String(oi['item_tax_rate']))).toEqual(
      JSON.parse((ei['item_tax_rate'] as string | undefined) ?? '{}'),
    );
  });
  const eTaxes = (e['taxes'] as Record<string, unknown>[]) ?? [];
  const oTaxes = out['taxes'] as Record<string, unknown>[];
  expect(oTaxes.length).toBe(eTaxes.length);
  eTaxes.forEach((et, n) => {
    for (const f of TAX_FIELDS) {
      expect({ tax: n + 1, field: f, value: cents(oTaxes[n]?.[f]) }).toEqual({
        tax: n + 1,
        field: f,
        value: cents(et[f]),
      });
    }
  });
  const ePr = ((e['pricing_rules'] as Record<string, unknown>[]) ?? []).map((r) => [
    r['pricing_rule'],
    r['item_code'],
  ]);
  const oPr = (out['pricing_rules'] as Record<string, unknown>[]).map((r) => [
    r['pricing_rule'],
    r['item_code'],
  ]);
  expect(oPr).toEqual(ePr);
}
