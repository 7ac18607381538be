import { describe, expect, it } from 'vitest';
import { ITEM, WAREHOUSE, cash, makePosSite } from './erpnext-site.js';
import { data, rows, serverMessages } from './site.js';

const AVAILABILITY =
  '/api/method/erpnext.accounts.doctype.pos_invoice.pos_invoice.get_stock_availability';

describe('stock reserved by POS Invoices (ERPNext v15)', () => {
  it('counts submitted, unconsolidated POS Invoice rows against the Bin, without any ledger', () => {
    const site = makePosSite({ SOAP: 10 });
    site.open();
    const available = (): unknown =>
      (
        site.get(AVAILABILITY, { item_code: ITEM, warehouse: WAREHOUSE }).body as {
          message: unknown;
        }
      ).message;
    expect(available()).toEqual([10, true]);
    expect(site.sell([{ item_code: ITEM, qty: 3 }], cash(7.5)).status).toBe(200);
    // A draft reserves nothing.
    site.sell([{ item_code: ITEM, qty: 2 }], { ...cash(5), docstatus: 0 });
    expect(available()).toEqual([7, true]);
    const bin = rows(
      site.get('/api/resource/Bin', {
        fields: '["actual_qty"]',
        filters: `[["item_code","=","${ITEM}"]]`,
      }),
    );
    expect(bin[0]?.['actual_qty']).toBe(10);
    expect(
      rows(
        site.get('/api/resource/Stock Ledger Entry', { filters: `[["item_code","=","${ITEM}"]]` }),
      ),
    ).toEqual([]);
  });

  it('refuses a submit beyond the available quantity, and accepts it as a draft', () => {
    const site = makePosSite({ SOAP: 10 });
    site.open();
    site.sell([{ item_code: ITEM, qty: 3 }], cash(7.5));
    const over = site.sell([{ item_code: ITEM, qty: 8 }], cash(20));
    expect(over.status).toBe(417);
    expect(serverMessages(over)).toEqual([
      `Row #1: Stock quantity not enough for Item Code: <strong>${ITEM}</strong> under warehouse <strong>${WAREHOUSE}</strong>. Available quantity 7.0.`,
    ]);
    const draft = site.sell([{ item_code: ITEM, qty: 8 }], { ...cash(20), docstatus: 0 });
    expect(data(draft)['docstatus']).toBe(0);
  });
});
