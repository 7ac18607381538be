import { beforeAll, describe, expect, it } from 'vitest';
import { addItem, makeSite, type TestSite } from './site.js';

const names = (r: { body: unknown }): string[] =>
  (r.body as { data: { name: string }[] }).data.map((d) => d.name);

describe('list filters, operators and paging', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    for (let i = 1; i <= 30; i++) {
      const code = `Q-${String(i).padStart(2, '0')}`;
      addItem(site, code, {
        standard_rate: i,
        disabled: i % 3 === 0 ? 1 : 0,
        barcodes: i === 7 ? [{ barcode: 'BC-7' }] : [],
      });
      site.clock.advance(10);
    }
  });
  const list = (q: Record<string, string>) => site.get('/api/resource/Item', q);

  it('defaults to 20 rows ordered by name; 0 means all; limit is an alias', () => {
    expect(names(list({}))).toHaveLength(20);
    expect(names(list({ limit_page_length: '0' }))).toHaveLength(30);
    expect(names(list({ limit: '3' }))).toEqual(['Q-01', 'Q-02', 'Q-03']);
    expect(names(list({ limit_start: '28', limit_page_length: '5' }))).toEqual(['Q-29', 'Q-30']);
    expect(names(list({ limit_start: '1000' }))).toEqual([]);
  });

  it('supports comparison operators with string values cast to the field type', () => {
    const f = (filters: unknown) => names(list({ filters: JSON.stringify(filters), limit: '0' }));
    expect(f([['standard_rate', '>', '27']])).toEqual(['Q-28', 'Q-29', 'Q-30']);
    expect(f([['standard_rate', '<=', 2]])).toEqual(['Q-01', 'Q-02']);
    expect(f([['standard_rate', '>=', 29]])).toEqual(['Q-29', 'Q-30']);
    expect(f([['standard_rate', '<', 2]])).toEqual(['Q-01']);
    expect(f([['disabled', '=', '1']])).toHaveLength(10);
    expect(f([['disabled', '!=', 1]])).toHaveLength(20);
    expect(f({ item_code: ['like', 'Q-1%'] })).toHaveLength(10);
    expect(f([['item_code', 'not like', 'Q-%']])).toEqual([]);
    expect(f([['name', 'in', ['Q-01', 'Q-05', 'NOPE']]])).toEqual(['Q-01', 'Q-05']);
    expect(f([['name', 'in', 'Q-01, Q-02']])).toEqual(['Q-01', 'Q-02']);
    expect(
      f([
        ['name', 'not in', ['Q-01']],
        ['standard_rate', '<', 3],
      ]),
    ).toEqual(['Q-02']);
    expect(f([['customer_code', 'is', 'not set']])).toHaveLength(30);
    expect(f([['description', 'is', 'set']])).toHaveLength(30);
    expect(f([['brand', 'is', 'set']])).toEqual([]);
    expect(f([['standard_rate', 'between', [3, 5]]])).toEqual(['Q-03', 'Q-04', 'Q-05']);
    expect(f([['Item', 'standard_rate', '=', 9]])).toEqual(['Q-09']);
    expect(f([['Item Barcode', 'barcode', '=', 'BC-7']])).toEqual(['Q-07']);
  });

  it('ORs or_filters and ANDs them with filters', () => {
    const r = list({
      filters: JSON.stringify({ disabled: 0 }),
      or_filters: JSON.stringify([
        ['name', '=', 'Q-01'],
        ['name', '=', 'Q-03'],
        ['name', '=', 'Q-04'],
      ]),
    });
    expect(names(r)).toEqual(['Q-01', 'Q-04']);
  });

  it('orders by several columns and selects child-table fields one row per child', () => {
    const r = list({ order_by: 'standard_rate desc, name asc', limit: '2' });
    expect(names(r)).toEqual(['Q-30', 'Q-29']);
    const child = list({
      fields: JSON.stringify(['name', 'barcodes.barcode']),
      filters: JSON.stringify([['name', '=', 'Q-07']]),
    });
    expect((child.body as { data: unknown }).data).toEqual([{ name: 'Q-07', barcode: 'BC-7' }]);
  });

  it('compares modified in the recorded formats (offsets are ignored, not converted)', () => {
    const all = (
      list({ fields: '["name","modified"]', limit: '0', order_by: 'modified asc' }).body as {
        data: { name: string; modified: string }[];
      }
    ).data;
    const cut = all[9]?.modified ?? '';
    const after = (v: string) =>
      names(list({ filters: JSON.stringify([['modified', '>', v]]), limit: '0' })).length;
    expect(after(cut)).toBe(20);
    expect(after(`${cut.replace(' ', 'T')}Z`)).toBe(20);
    expect(after(`${cut.replace(' ', 'T')}+05:00`)).toBe(20);
    expect(after(cut.slice(0, 10))).toBe(30);
  });

  it('refuses unknown fields (417 DataError) and bad order_by (500 OperationalError)', () => {
    const bad = list({ fields: '["name","nope"]' });
    expect(bad.status).toBe(417);
    expect((bad.body as { exc_type: string }).exc_type).toBe('DataError');
    const order = list({ order_by: 'nope asc' });
    expect(order.status).toBe(500);
    expect((order.body as { exc_type: string }).exc_type).toBe('OperationalError');
    const json = list({ filters: '[["name"' });
    expect(json.status).toBe(500);
    expect((json.body as { exc_type: string }).exc_type).toBe('JSONDecodeError');
  });

  it('counts with frappe.client.get_count', () => {
    const r = site.get('/api/method/frappe.client.get_count', {
      doctype: 'Item',
      filters: JSON.stringify({ disabled: 1 }),
    });
    expect(r.body).toEqual({ message: 10 });
  });
});

describe('child doctype lists', () => {
  it('need a real parent doctype the user can read', () => {
    const site = makeSite();
    addItem(site, 'C-1', { barcodes: [{ barcode: 'C1-A' }, { barcode: 'C1-B' }] });
    const list = (q: Record<string, string>) => site.get('/api/resource/Item Barcode', q);
    expect(list({}).status).toBe(403);
    expect(list({ parent: 'Customer' }).status).toBe(403);
    const ok = list({ parent: 'Item', fields: '["parent","barcode"]' });
    expect((ok.body as { data: unknown }).data).toEqual([
      { parent: 'C-1', barcode: 'C1-A' },
      { parent: 'C-1', barcode: 'C1-B' },
    ]);
  });
});

describe('collation', () => {
  it('matches names and text case-insensitively, like MariaDB utf8mb4_unicode_ci', () => {
    const site = makeSite();
    addItem(site, 'Case-1', { item_name: 'Blue Mug' });
    expect(site.get('/api/resource/Item/case-1').status).toBe(200);
    expect(addItem(site, 'CASE-1').status).toBe(409);
    const r = site.get('/api/resource/Item', { filters: '{"item_name":"blue mug"}' });
    expect(names(r)).toEqual(['Case-1']);
  });
});
