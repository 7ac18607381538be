import { describe, expect, it } from 'vitest';
import { buildReceipt, renderText } from '../../src/receipt/index.js';
import { quote, toErpnextJson } from '../../src/core/index.js';
import { baseMaster, draft } from '../core/fixture.js';
import { PAYLOAD, groceryQuote, sampleInput } from './fixture.js';

const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('renderText', () => {
  it.each([48, 32])('keeps every line within %i columns', (width) => {
    const text = renderText(buildReceipt(sampleInput({ training: true, copy: 1 })), width);
    for (const l of lines(text)) expect([...l].length).toBeLessThanOrEqual(width);
  });

  it('aligns amounts right, with the tax code after item amounts', () => {
    const text = lines(renderText(buildReceipt(sampleInput()), 48));
    expect(text).toContain('  3 x 2.49                                7.47 B');
    expect(text).toContain('  Oat week -10%                          -0.75 B');
    expect(text).toContain('  0.45 Kg x 18.90                         8.50 B');
    expect(text).toContain('TOTAL USD                                  46.47');
    expect(text).toContain('Change                                      5.53');
    expect(text).toContain('A 20%         22.54          4.51         27.05');
    expect(text).toContain('Invoice                      S01-T03-2026-000417');
    expect(text).toContain('Seq                                         1042');
  });

  it('prints the verification payload in full, since text cannot draw the QR', () => {
    const text = lines(renderText(buildReceipt(sampleInput()), 32));
    const at = text.indexOf('Verification:');
    expect(text.slice(at + 1, at + 1 + Math.ceil(PAYLOAD.length / 32)).join('')).toBe(PAYLOAD);
  });

  it('marks copies and training at both ends, and returns with the original number', () => {
    const copy = renderText(buildReceipt(sampleInput({ copy: 2, training: true })), 48);
    expect(copy.match(/COPY 2/g)).toHaveLength(2);
    expect(copy.match(/TRAINING — NOT A RECEIPT/g)).toHaveLength(2);
    expect(renderText(buildReceipt(sampleInput()), 48)).not.toMatch(/COPY|TRAINING/);
  });

  it('wraps a long item name and a long label instead of overflowing', () => {
    const r = buildReceipt(sampleInput());
    const long = {
      ...r,
      lines: [
        { ...r.lines[0]!, name: 'Extra Long Organic Fair-Trade Oat Drink Barista Edition 1 L' },
      ],
    };
    const text = lines(renderText(long, 32));
    expect(text).toContain('Extra Long Organic Fair-Trade');
    expect(text).toContain('Oat Drink Barista Edition 1 L');
  });

  it('titles returns and voids with the original invoice number', () => {
    const ret = groceryQuote({
      is_return: 1,
      return_against: 'S01-T03-2026-000417',
      redeem_loyalty_points: 0,
      loyalty_points: 0,
      items: [{ item_code: 'BREAD', qty: -1 }],
      payments: [{ mode_of_payment: 'Cash', amount: -4.2 }],
    });
    const r = lines(renderText(buildReceipt(sampleInput({ invoice: ret, invoiceNo: 'R-9' })), 48));
    expect(r.map((l) => l.trim())).toContain('RETURN');
    expect(r).toContain('Original invoice             S01-T03-2026-000417');
    expect(r).toContain('TOTAL USD                                  -4.20');
    const v = renderText(
      buildReceipt(sampleInput({ invoice: ret, document: { kind: 'void', against: 'S01-9' } })),
      48,
    );
    expect(v).toMatch(/CREDIT NOTE/);
    expect(v).toMatch(/Voids invoice\s+S01-9/);
  });

  it('adds exclusive tax to the total, and prints rounding when ERPNext rounded', () => {
    const m = baseMaster({
      'Sales Taxes and Charges Template': [
        {
          name: 'T',
          company: 'Test Co',
          taxes: [
            { charge_type: 'On Net Total', account_head: 'VAT - TC', description: 'VAT', rate: 8 },
          ],
        },
      ],
    });
    const q = quote(
      m,
      draft(
        [
          { item_code: 'HAMMER', qty: 1 },
          { item_code: 'MILK', qty: 3 },
        ],
        { taxes_and_charges: 'T' },
      ),
    );
    const excl = lines(renderText(buildReceipt(sampleInput({ invoice: q, loyalty: {} })), 48));
    expect(excl).toContain('Subtotal                                   27.50');
    expect(excl).toContain('Tax                                         2.20');
    expect(excl).toContain('TOTAL USD                                  29.70');
    expect(excl.join('\n')).not.toMatch(/incl\. tax/);
    expect(excl.some((l) => /^A 8%\s+27\.50\s+2\.20\s+29\.70$/.test(l))).toBe(true);

    const json = { ...toErpnextJson(q), rounding_adjustment: 0.05, rounded_total: 29.75 };
    const rounded = lines(
      renderText(
        buildReceipt(
          sampleInput({ invoice: { erpnext: json, currencyPrecision: 2 }, loyalty: {} }),
        ),
        48,
      ),
    );
    expect(rounded).toContain('Total                                      29.70');
    expect(rounded).toContain('Rounding                                    0.05');
    expect(rounded).toContain('TOTAL USD                                  29.75');
  });

  it('prints no tax codes or table for an invoice without taxes', () => {
    const q = quote(baseMaster(), draft([{ item_code: 'MILK', qty: 2 }]));
    const t = lines(renderText(buildReceipt(sampleInput({ invoice: q })), 32));
    expect(t).toContain('  2 x 2.50                  5.00');
    expect(t.join('\n')).not.toMatch(/Rate\s+Net/);
  });
});
