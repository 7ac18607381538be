import { describe, expect, it } from 'vitest';
import {
  demoSeed,
  ean13CheckDigit,
  isValidEan13,
  weighedEan13,
  HERO,
  type SeedDoc,
} from '../../src/sim/seed/index.js';

const NOW = '2026-11-27 09:00:00.000000';
const SMALL = { items: 200, customers: 20, now: NOW };

const materialize = (opts: Parameters<typeof demoSeed>[0]): Map<string, SeedDoc[]> =>
  new Map(demoSeed(opts).map((t) => [t.doctype, [...t.records]]));
const rows = (doc: SeedDoc, table: string): SeedDoc[] => {
  const v = doc[table];
  return Array.isArray(v) ? (v as SeedDoc[]) : [];
};

const seed = materialize(SMALL);
const all = (doctype: string): SeedDoc[] => seed.get(doctype) ?? [];
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

describe('EAN-13 helpers', () => {
  it('computes the check digit of known codes', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1); // GS1's own example, 4006381333931
    expect(ean13CheckDigit('978030640615')).toBe(7); // ISBN 978-0-306-40615-7
    expect(ean13CheckDigit('000000000000')).toBe(0);
  });
  it('accepts valid codes and rejects the rest', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('400638133393')).toBe(false);
    expect(isValidEan13('400638133393a')).toBe(false);
    expect(() => ean13CheckDigit('12345')).toThrow(/12 digits/);
  });
  it('encodes a weight into a variable-measure code for the same PLU', () => {
    const label = weighedEan13(123, 452);
    expect(label).toBe('2100123004522'); // 21 | PLU 00123 | 452 g | check digit 2
    expect(isValidEan13(label)).toBe(true);
    expect(weighedEan13(123, 0).slice(0, 7)).toBe(label.slice(0, 7));
    expect(() => weighedEan13(100000, 1)).toThrow(/plu/);
  });
});

describe('demoSeed', () => {
  it('is deterministic: same options, same records; another seed, another catalog', () => {
    const again = materialize(SMALL);
    expect(JSON.stringify([...again])).toBe(JSON.stringify([...seed]));
    const other = materialize({ ...SMALL, seed: 7 });
    expect(JSON.stringify(other.get('Item'))).not.toBe(JSON.stringify(all('Item')));
  });

  it('generates the requested counts, and its defaults', () => {
    expect(all('Item')).toHaveLength(200);
    expect(all('Customer')).toHaveLength(20);
    const stockItems = all('Item').filter((i) => i['is_stock_item'] === 1).length;
    expect(all('Bin')).toHaveLength(stockItems * 2);
    expect(all('Item Price').length).toBeGreaterThanOrEqual(400);
    expect(all('POS Profile')).toHaveLength(4);
    expect(all('Warehouse').map((w) => w.name)).toEqual([
      'All Warehouses - ODR',
      'Store North - ODR',
      'Store South - ODR',
    ]);
    const byDefault = new Map(demoSeed({ now: NOW }).map((t) => [t.doctype, t.records]));
    expect([...(byDefault.get('Item') ?? [])]).toHaveLength(2000);
    expect([...(byDefault.get('Customer') ?? [])]).toHaveLength(500);
  });

  it('refuses options it cannot honour, naming the option', () => {
    expect(() => demoSeed({ items: 3, now: NOW })).toThrow(/items must be a whole number from 18/);
    expect(() => demoSeed({ customers: 1.5, now: NOW })).toThrow(/customers/);
    expect(() => demoSeed({ now: '2026-11-27' })).toThrow(/now must look like/);
  });

  it('stamps every record with ERPNext standard fields', () => {
    for (const [doctype, list] of seed) {
      const names = new Set<string>();
      for (const r of list) {
        expect(r.doctype).toBe(doctype);
        expect(r.docstatus).toBe(0);
        expect(r.creation).toBe(NOW);
        expect(r.modified).toBe(NOW);
        expect(typeof r.name).toBe('string');
        names.add(r.name);
      }
      expect(names.size, `${doctype} names are unique`).toBe(list.length);
    }
    const barcodes = rows(all('Item')[0]!, 'barcodes');
    expect(barcodes[0]).toMatchObject({ parent: HERO.milk, parenttype: 'Item', idx: 1 });
  });

  it('gives every item valid, unique EAN-13 barcodes', () => {
    const big = demoSeed({ items: 20_000, customers: 1, now: NOW });
    const seen = new Set<string>();
    let count = 0;
    for (const item of big.find((t) => t.doctype === 'Item')?.records ?? []) {
      const codes = rows(item, 'barcodes');
      expect(codes.length).toBeGreaterThan(0);
      for (const b of codes) {
        expect(b['barcode_type']).toBe('EAN');
        expect(isValidEan13(text(b['barcode'])), text(b['barcode'])).toBe(true);
        expect(seen.has(text(b['barcode']))).toBe(false);
        seen.add(text(b['barcode']));
        count++;
      }
    }
    expect(count).toBeGreaterThan(20_000);
  });

  it('sells weighed items by Kg under variable-measure codes with unique PLUs', () => {
    const weighed = all('Item').filter((i) => i['stock_uom'] === 'Kg');
    expect(weighed.length).toBeGreaterThanOrEqual(10);
    const plus = new Set<string>();
    for (const item of weighed) {
      const [code] = rows(item, 'barcodes');
      expect(text(code?.['barcode'])).toMatch(/^21\d{5}00000\d$/);
      plus.add(text(code?.['barcode']).slice(2, 7));
    }
    expect(plus.size).toBe(weighed.length);
    expect(all('UOM').find((u) => u.name === 'Kg')?.['must_be_whole_number']).toBe(0);
    const kgBins = all('Bin').filter((b) => b['stock_uom'] === 'Kg');
    expect(kgBins.some((b) => !Number.isInteger(b['actual_qty']))).toBe(true);
  });

  it('sells some items by the Box, with a conversion factor, a barcode and a case price', () => {
    const boxed = all('Item').filter((i) => rows(i, 'uoms').some((u) => u['uom'] === 'Box'));
    expect(boxed.length).toBeGreaterThan(5);
    for (const item of boxed) {
      const box = rows(item, 'uoms').find((u) => u['uom'] === 'Box');
      expect(box?.['conversion_factor']).toBeGreaterThan(1);
      expect(rows(item, 'barcodes').some((b) => b['uom'] === 'Box')).toBe(true);
      expect(
        all('Item Price').some((p) => p['item_code'] === item.name && p['uom'] === 'Box'),
      ).toBe(true);
    }
  });

  it('prices every item in both price lists, to the cent, in believable ranges', () => {
    for (const list of ['Standard Selling', 'Member Selling']) {
      const priced = new Set(
        all('Item Price')
          .filter((p) => p['price_list'] === list)
          .map((p) => p['item_code']),
      );
      expect(priced.size).toBe(all('Item').length);
    }
    for (const p of all('Item Price')) {
      const rate = Number(p['price_list_rate']);
      expect(Math.round(rate * 100) / 100).toBe(rate);
      expect(rate).toBeGreaterThan(0.5);
      expect(rate).toBeLessThan(300);
    }
  });
});
