import { describe, expect, it } from 'vitest';
import { toErpnextJson } from '../../src/core/index.js';
import { buildReceipt, ReceiptError, type ReceiptInput } from '../../src/receipt/index.js';
import { groceryQuote, sampleInput } from './fixture.js';

describe('buildReceipt from a real quote', () => {
  const r = buildReceipt(sampleInput());

  it('prints each line with qty × list price, its discount and free items', () => {
    expect(
      r.lines.map((l) => [l.name, l.qty, l.uom, l.rate, l.gross, l.amount, l.taxCode]),
    ).toEqual([
      ['Oat Drink Barista 1 L', '3', '', '2.49', '7.47', '6.72', 'B'],
      ['Aged Gouda', '0.45', 'Kg', '18.90', '8.50', '8.50', 'B'],
      ['Sourdough Loaf', '1', '', '4.20', '4.20', '4.20', 'B'],
      ['Coffee Beans 500 g', '2', '', '11.95', '23.90', '23.90', 'A'],
      ['Dish Soap <Lemon> & Lime', '1', '', '3.15', '3.15', '3.15', 'A'],
      ['Tote Bag', '1', '', '0.00', '0.00', '0.00', 'A'],
    ]);
    expect(r.lines[0]?.adjustments).toEqual([{ label: 'Oat week -10%', amount: '-0.75' }]);
    expect(r.lines[5]).toMatchObject({
      free: true,
      adjustments: [{ label: 'Free item: Free tote', amount: null }],
    });
  });

  it('labels a discount by rule name without a title, and "Discount n%" without a rule', () => {
    const untitled = buildReceipt(sampleInput({ ruleTitles: {} }));
    expect(untitled.lines[0]?.adjustments[0]?.label).toBe('PR-OAT -10%');
    const manual = buildReceipt(
      sampleInput({
        invoice: groceryQuote({
          ignore_pricing_rule: 1,
          items: [{ item_code: 'BREAD', qty: 2, discount_percentage: 25 }],
        }),
      }),
    );
    expect(manual.lines[0]?.adjustments).toEqual([{ label: 'Discount 25%', amount: '-2.10' }]);
  });

  it('splits the tax per rate from item_wise_tax_detail, adding up to the invoice exactly', () => {
    expect(r.taxes).toEqual([
      { code: 'A', rate: '20%', net: '22.54', tax: '4.51', gross: '27.05' },
      { code: 'B', rate: '5%', net: '18.50', tax: '0.92', gross: '19.42' },
    ]);
    const cents = (s: string): number => Math.round(Number(s) * 100);
    expect(r.taxes.reduce((a, t) => a + cents(t.tax), 0)).toBe(cents(r.totals.tax));
    expect(r.taxes.reduce((a, t) => a + cents(t.gross), 0)).toBe(cents(r.totals.grandTotal));
  });

  it('totals, payments, change and loyalty come from the invoice', () => {
    expect(r.totals).toEqual({
      subtotal: '47.22',
      discounts: '-0.75',
      tax: '5.43',
      taxIncluded: true,
      grandTotal: '46.47',
      roundingAdjustment: '0.00',
      roundedTotal: '46.47',
    });
    expect(r.payments).toEqual([{ mode: 'Cash', amount: '50.00' }]);
    expect(r.change).toBe('5.53');
    expect(r.loyalty).toEqual({
      pointsRedeemed: 200,
      amountRedeemed: '2.00',
      pointsEarned: 44,
      balanceAfter: 644,
    });
    expect(r.currency).toBe('USD');
    expect(r.customer).toBe('Ada Lovelace');
    expect(r.issuedAt).toMatchObject({ date: '2026-11-27', time: '14:03:12', offset: '+01:00' });
  });

  it('the ERPNext JSON of the same invoice gives the same receipt', () => {
    const json: unknown = JSON.parse(JSON.stringify(toErpnextJson(groceryQuote())));
    const fromJson = buildReceipt(
      sampleInput({
        invoice: { erpnext: json, currencyPrecision: 2, roundingMethod: "Banker's Rounding" },
      }),
    );
    expect(fromJson).toEqual(r);
  });

  it('shows a rounding adjustment, and no rounded total when ERPNext disabled it', () => {
    const json = toErpnextJson(groceryQuote());
    const rounded = buildReceipt(
      sampleInput({
        invoice: {
          erpnext: { ...json, rounding_adjustment: 0.03, rounded_total: 46.5 },
          currencyPrecision: 2,
        },
      }),
    );
    expect(rounded.totals).toMatchObject({ roundingAdjustment: '0.03', roundedTotal: '46.50' });
    const disabled = buildReceipt(
      sampleInput({ invoice: { erpnext: { ...json, rounded_total: 0 }, currencyPrecision: 2 } }),
    );
    expect(disabled.totals.roundedTotal).toBeNull();
  });

  it('adds an invoice-level discount to the discounts', () => {
    const q = groceryQuote({
      additional_discount_percentage: 10,
      apply_discount_on: 'Grand Total',
    });
    const d = buildReceipt(sampleInput({ invoice: q }));
    expect(d.totals).toMatchObject({ subtotal: '47.22', discounts: '-5.40', grandTotal: '41.82' });
  });

  it('refuses a bad ERPNext JSON field with its path', () => {
    const json = { ...toErpnextJson(groceryQuote()), grand_total: 'lots' };
    expect(() =>
      buildReceipt(sampleInput({ invoice: { erpnext: json, currencyPrecision: 2 } })),
    ).toThrow(/grand_total/);
  });
});

describe('markings and document kinds', () => {
  it('an original has no copy number; reprints count from 1', () => {
    expect(buildReceipt(sampleInput()).copy).toBe(0);
    expect(buildReceipt(sampleInput({ copy: 3 })).copy).toBe(3);
    expect(() => buildReceipt(sampleInput({ copy: -1 }))).toThrow(ReceiptError);
  });

  it('a return names the original invoice; a void is a credit note', () => {
    const ret = groceryQuote({
      is_return: 1,
      return_against: 'S01-T03-2026-000417',
      redeem_loyalty_points: 0,
      loyalty_points: 0,
      items: [{ item_code: 'BREAD', qty: -1 }],
      payments: [{ mode_of_payment: 'Cash', amount: -4.2 }],
    });
    const r = buildReceipt(sampleInput({ invoice: ret, loyalty: {} }));
    expect(r.document).toEqual({ kind: 'return', against: 'S01-T03-2026-000417' });
    expect(r.totals.grandTotal).toBe('-4.20');
    expect(r.payments).toEqual([{ mode: 'Cash', amount: '-4.20' }]);
    const v = buildReceipt(
      sampleInput({ invoice: ret, document: { kind: 'void', against: 'X-1' } }),
    );
    expect(v.document).toEqual({ kind: 'void', against: 'X-1' });
    expect(() => buildReceipt(sampleInput({ invoice: ret, document: { kind: 'sale' } }))).toThrow(
      /a sale needs a sale invoice/,
    );
    expect(() =>
      buildReceipt(sampleInput({ document: { kind: 'return', against: 'X-1' } })),
    ).toThrow(/is_return/);
  });

  it('validates the caller-given fields', () => {
    const bad: Partial<ReceiptInput>[] = [
      { issuedAt: '2026-11-27T14:03:12' },
      { issuedAt: '2026-11-27 14:03' },
      { verification: { payload: 'OP1;é' } },
      { verification: { payload: '' } },
      { seq: 0 },
      { invoiceNo: '' },
    ];
    for (const more of bad) expect(() => buildReceipt(sampleInput(more))).toThrow(ReceiptError);
    expect(buildReceipt(sampleInput({ issuedAt: '2026-11-27T13:03:12.5Z' })).issuedAt.offset).toBe(
      '+00:00',
    );
  });

  it('types refuse a return without its original invoice', () => {
    // @ts-expect-error a return must name the invoice it returns against
    const doc: ReceiptInput['document'] = { kind: 'return' };
    expect(doc).toBeDefined();
  });
});
