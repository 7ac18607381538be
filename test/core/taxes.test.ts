import { describe, expect, it } from 'vitest';
import { baseMaster, draft, run } from './fixture.js';

const template = (name: string, taxes: Record<string, unknown>[]) => ({
  name,
  company: 'Test Co',
  taxes,
});
const row = (charge_type: string, rate: number, more: Record<string, unknown> = {}) => ({
  charge_type,
  rate,
  account_head: `${charge_type} ${rate} - TC`,
  description: `${charge_type} ${rate}`,
  ...more,
});
const cart = [
  { item_code: 'HAMMER', qty: 1 },
  { item_code: 'MILK', qty: 3 },
];
const withTaxes = (taxes: Record<string, unknown>[], more: Record<string, unknown> = {}) =>
  run(
    baseMaster({ 'Sales Taxes and Charges Template': [template('T', taxes)] }),
    draft(cart, { taxes_and_charges: 'T', ...more }),
  );

describe('taxes and totals (ERPNext calculate_taxes_and_totals)', () => {
  it('On Net Total, exclusive', () => {
    const out = withTaxes([row('On Net Total', 8)]);
    expect(out).toMatchObject({
      total: 27.5,
      net_total: 27.5,
      total_taxes_and_charges: 2.2,
      grand_total: 29.7,
      rounded_total: 29.7,
    });
    expect(out.taxes[0]).toMatchObject({ tax_amount: 2.2, total: 29.7 });
  });

  it('Actual: a fixed amount spread over the lines by net amount', () => {
    const out = withTaxes([row('Actual', 0, { tax_amount: 5 })]);
    expect(out.taxes[0]).toMatchObject({ tax_amount: 5, total: 32.5 });
    expect(out).toMatchObject({ grand_total: 32.5, total_taxes_and_charges: 5 });
    const detail = JSON.parse(String(out.taxes[0]?.['item_wise_tax_detail'])) as Record<
      string,
      [number, number]
    >;
    // 5 x 20.00 / 27.50 and 5 x 7.50 / 27.50, kept to 9 decimals (ERPNext stores the unrounded
    // float, 3.6363636363636362 and 1.3636363636363638; no amount is computed from the detail).
    expect(detail).toEqual({ HAMMER: [0, 3.636363636], MILK: [0, 1.363636364] });
  });

  it('On Previous Row Amount (tax on tax), rounded half to even', () => {
    const out = withTaxes([
      row('On Net Total', 10),
      row('On Previous Row Amount', 50, { row_id: '1' }),
    ]);
    expect(out.taxes.map((t) => [t['tax_amount'], t['total']])).toEqual([
      [2.75, 30.25],
      [1.38, 31.63],
    ]);
  });

  it('On Previous Row Total', () => {
    const out = withTaxes([
      row('On Net Total', 10),
      row('On Previous Row Total', 2, { row_id: '1' }),
    ]);
    expect(out.taxes.map((t) => [t['tax_amount'], t['total']])).toEqual([
      [2.75, 30.25],
      [0.6, 30.85],
    ]);
  });

  it('On Item Quantity', () => {
    const out = withTaxes([row('On Item Quantity', 0.1)]);
    expect(out).toMatchObject({ total_taxes_and_charges: 0.4, grand_total: 27.9 });
  });

  it('inclusive tax splits the gross back to net and tax, and the grand total equals the gross', () => {
    const out = withTaxes([row('On Net Total', 20, { included_in_print_rate: 1 })]);
    expect(out.items.map((i) => [i['amount'], i['net_amount'], i['net_rate']])).toEqual([
      [20, 16.67, 16.67],
      [7.5, 6.25, 2.08],
    ]);
    expect(out).toMatchObject({
      total: 27.5,
      net_total: 22.92,
      total_taxes_and_charges: 4.58,
      grand_total: 27.5,
    });
  });

  it('an Item Tax Template overrides the rate for its account', () => {
    const m = baseMaster({
      'Sales Taxes and Charges Template': [
        template('T', [row('On Net Total', 8, { account_head: 'VAT - TC' })]),
      ],
      'Item Tax Template': [
        { name: 'Zero', company: 'Test Co', taxes: [{ tax_type: 'VAT - TC', tax_rate: 0 }] },
      ],
    });
    const out = run(
      m,
      draft(
        [
          { item_code: 'HAMMER', qty: 1, item_tax_template: 'Zero' },
          { item_code: 'MILK', qty: 3 },
        ],
        { taxes_and_charges: 'T' },
      ),
    );
    expect(out.items[0]).toMatchObject({
      item_tax_template: 'Zero',
      item_tax_rate: '{"VAT - TC":0}',
    });
    expect(out).toMatchObject({ total_taxes_and_charges: 0.6, grand_total: 28.1 });
  });

  it("the company's default template applies when the invoice names none", () => {
    const m = baseMaster({
      'Sales Taxes and Charges Template': [
        { ...template('Default', [row('On Net Total', 10)]), is_default: 1 },
      ],
    });
    const out = run(m, draft(cart));
    expect(out).toMatchObject({ taxes_and_charges: 'Default', grand_total: 30.25 });
  });

  it('additional discount percentage on the Grand Total is spread over the lines', () => {
    const out = withTaxes([row('On Net Total', 8)], {
      additional_discount_percentage: 10,
      apply_discount_on: 'Grand Total',
    });
    expect(out).toMatchObject({
      discount_amount: 2.97,
      net_total: 24.75,
      total_taxes_and_charges: 1.98,
      grand_total: 26.73,
    });
    expect(out.items.map((i) => i['distributed_discount_amount'])).toEqual([2, 0.75]);
  });

  it('a discount amount on the Net Total: lines carry the rounding residue so they sum exactly', () => {
    const out = withTaxes([row('On Net Total', 8)], {
      discount_amount: 1,
      apply_discount_on: 'Net Total',
    });
    expect(out.items.map((i) => i['net_amount'])).toEqual([19.27, 7.23]);
    expect(out).toMatchObject({
      net_total: 26.5,
      total_taxes_and_charges: 2.12,
      grand_total: 28.62,
    });
  });

  it('rounded total to the smallest coin, and disabled rounding', () => {
    const chf = {
      ...baseMaster(),
      Currency: [{ name: 'USD', smallest_currency_fraction_value: 0.05 }],
    };
    const out = run(
      chf,
      draft([
        { item_code: 'NAILS', qty: 3 },
        { item_code: 'MILK', qty: 1 },
      ]),
    );
    expect(out).toMatchObject({ grand_total: 2.8, rounded_total: 2.8 });
    const odd = run(chf, draft([{ item_code: 'NAILS', qty: 7 }]));
    expect(odd).toMatchObject({ grand_total: 0.7, rounded_total: 0.7 });
    const three = run(chf, draft([{ item_code: 'CHEESE', qty: 1 }]));
    expect(three).toMatchObject({
      grand_total: 12.99,
      rounded_total: 13,
      rounding_adjustment: 0.01,
    });
    const off = {
      ...baseMaster(),
      system: { currency_precision: 2, float_precision: 3, disable_rounded_total: 1 },
    };
    expect(run(off, draft([{ item_code: 'CHEESE', qty: 1 }]))).toMatchObject({
      rounded_total: 0,
      rounding_adjustment: 0,
    });
  });

  it('payments: change for cash over the total, loyalty counted as paid, write-off within the limit', () => {
    const m = baseMaster();
    const out = run(
      m,
      draft([{ item_code: 'CHEESE', qty: 1 }], {
        payments: [{ mode_of_payment: 'Cash', amount: 20 }],
        docstatus: 1,
      }),
    );
    expect(out).toMatchObject({ paid_amount: 20, change_amount: 7.01 });
    const split = run(
      m,
      draft([{ item_code: 'CHEESE', qty: 1 }], {
        payments: [
          { mode_of_payment: 'Cash', amount: 10 },
          { mode_of_payment: 'Card', amount: 2.99 },
        ],
        docstatus: 1,
      }),
    );
    expect(split).toMatchObject({ paid_amount: 12.99, change_amount: 0 });
    const writeOff = run(
      m,
      draft([{ item_code: 'CHEESE', qty: 1 }], {
        payments: [{ mode_of_payment: 'Cash', amount: 12.5 }],
        write_off_amount: 0.49,
      }),
    );
    expect(writeOff).toMatchObject({ write_off_amount: 0.49 });
    expect(() =>
      run(m, draft([{ item_code: 'CHEESE', qty: 1 }], { write_off_amount: 5 })),
    ).toThrowError(expect.objectContaining({ field: 'write_off_amount' }) as Error);
  });
});
