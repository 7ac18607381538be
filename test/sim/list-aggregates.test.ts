import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/sim/app.js';
import { ManualClock } from '../../src/sim/clock.js';
import { SimDb } from '../../src/sim/db.js';
import type { SimResponse } from '../../src/sim/http-types.js';
import { getList } from '../../src/sim/query.js';
import { seedEmpty } from '../../src/sim/seed-empty.js';
import {
  AUTH,
  KEY,
  SECRET,
  addItem,
  makeSite,
  rows,
  serverMessages,
  type TestSite,
} from './site.js';

const names = (r: SimResponse): string[] => rows(r).map((d) => String(d['name']));
const excType = (r: SimResponse): string => (r.body as { exc_type: string }).exc_type;
const exception = (r: SimResponse): string => (r.body as { exception: string }).exception;

/**
 * An Item Group subtree under "All Item Groups":
 *   Beverages ─┬─ Hot Drinks ── Coffee
 *              └─ Juice
 * with items in the leaves and in the seeded Products / Services groups.
 */
function seedCatalog(site: TestSite): void {
  const group = (name: string, parent: string, isGroup: number) =>
    expect(
      site.post('/api/resource/Item Group', {
        item_group_name: name,
        parent_item_group: parent,
        is_group: isGroup,
      }).status,
    ).toBe(200);
  group('Beverages', 'All Item Groups', 1);
  group('Hot Drinks', 'Beverages', 1);
  group('Coffee', 'Hot Drinks', 0);
  group('Juice', 'Beverages', 0);
  const item = (code: string, item_group: string, standard_rate: number, disabled = 0) =>
    expect(addItem(site, code, { item_group, standard_rate, disabled }).status).toBe(200);
  item('P-1', 'Products', 1.1);
  item('P-2', 'Products', 2.2);
  item('C-1', 'Coffee', 0.1);
  item('C-2', 'Coffee', 0.2);
  item('C-3', 'Coffee', 0.3);
  item('J-1', 'Juice', 10);
  item('S-1', 'Services', 5, 1);
}

describe('aggregates in fields', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    seedCatalog(site);
  });
  const list = (q: Record<string, unknown>) =>
    site.get(
      '/api/resource/Item',
      Object.fromEntries(
        Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    );
  const ctx = () => site.app.contextFor('Administrator');

  it('counts: the key is the expression as written unless aliased; count is an integer', () => {
    expect(rows(list({ fields: ['count(name)'] }))).toEqual([{ 'count(name)': 7 }]);
    expect(rows(list({ fields: ['count(name) as count'], filters: { disabled: 0 } }))).toEqual([
      { count: 6 },
    ]);
    expect(rows(list({ fields: ['COUNT(`name`) AS n'] }))).toEqual([{ n: 7 }]);
    expect(rows(list({ fields: ['count(distinct item_group) as groups'] }))).toEqual([
      { groups: 4 },
    ]);
    expect(rows(list({ fields: ['count(distinct `tabItem`.`item_group`)'] }))).toEqual([
      { 'count(distinct `tabItem`.`item_group`)': 4 },
    ]);
    // Over no rows: count 0, the others NULL (one row, as MariaDB answers an aggregate).
    expect(
      rows(
        list({
          fields: ['count(name) as n', 'sum(standard_rate) as total', 'max(item_name) as top'],
          filters: [['name', '=', 'NOPE']],
        }),
      ),
    ).toEqual([{ n: 0, total: null, top: null }]);
  });

  it('sums, averages, min and max exactly as MariaDB decimal(21,9) columns do', () => {
    const coffee = { item_group: 'Coffee' };
    const r = rows(
      list({
        fields: [
          'sum(standard_rate) as total',
          'avg(standard_rate) as mean',
          'min(standard_rate) as low',
          'max(standard_rate)',
          'sum(disabled) as off',
        ],
        filters: coffee,
      }),
    );
    // 0.1 + 0.2 + 0.3 in binary floating point is 0.6000000000000001; MariaDB's decimal is 0.6.
    expect(r).toEqual([{ total: 0.6, mean: 0.2, low: 0.1, 'max(standard_rate)': 0.3, off: 0 }]);
    expect(rows(list({ fields: ['sum(standard_rate) as total'] }))).toEqual([{ total: 18.9 }]);
    expect(rows(list({ fields: ['avg(disabled) as a'] }))).toEqual([{ a: 0.1429 }]); // 1/7, 4 places
    expect(rows(list({ fields: ['min(item_code) as first', 'max(item_code) as last'] }))).toEqual([
      { first: 'C-1', last: 'S-1' },
    ]);
  });

  it('groups with group_by: one row per group, in group order unless order_by says otherwise', () => {
    const grouped = (orderBy?: string) =>
      getList(ctx(), {
        doctype: 'Item',
        fields: ['item_group', 'count(name) as count', 'sum(standard_rate) as total'],
        groupBy: 'item_group',
        orderBy,
        pageLength: 0,
      });
    expect(grouped()).toEqual([
      { item_group: 'Coffee', count: 3, total: 0.6 },
      { item_group: 'Juice', count: 1, total: 10 },
      { item_group: 'Products', count: 2, total: 3.3 },
      { item_group: 'Services', count: 1, total: 5 },
    ]);
    // The same over REST, v1 and the get_list method, as frappe.client.get_list takes it.
    const fields = ['item_group', 'count(name) as count', 'sum(standard_rate) as total'];
    expect(rows(list({ fields, group_by: 'item_group', limit_page_length: 0 }))).toEqual(grouped());
    const method = site.get('/api/method/frappe.client.get_list', {
      doctype: 'Item',
      fields: JSON.stringify(fields),
      group_by: 'item_group',
      limit_page_length: '0',
    });
    expect((method.body as { message: unknown }).message).toEqual(grouped());
    expect(grouped('count desc, item_group asc').map((g) => g['item_group'])).toEqual([
      'Coffee',
      'Products',
      'Juice',
      'Services',
    ]);
    expect(grouped('sum(standard_rate) desc').map((g) => g['item_group'])).toEqual([
      'Juice',
      'Services',
      'Products',
      'Coffee',
    ]);
    // order_by may aggregate a column that is not selected.
    expect(
      getList(ctx(), {
        doctype: 'Item',
        fields: ['item_group'],
        groupBy: 'item_group',
        orderBy: 'avg(standard_rate) asc',
        pageLength: 0,
      }),
    ).toEqual([
      { item_group: 'Coffee' },
      { item_group: 'Products' },
      { item_group: 'Services' },
      { item_group: 'Juice' },
    ]);
    expect(
      getList(ctx(), {
        doctype: 'Item',
        fields: ['disabled', 'count(name) as n'],
        groupBy: '`tabItem`.`disabled`',
        pageLength: 1,
        start: 1,
      }),
    ).toEqual([{ disabled: 1, n: 1 }]);
    expect(() =>
      getList(ctx(), { doctype: 'Item', fields: ['name'], groupBy: 'item_group; drop table' }),
    ).toThrow('Illegal SQL Query');
    expect(() => getList(ctx(), { doctype: 'Item', fields: ['name'], groupBy: 'nope' })).toThrow(
      `Unknown column 'nope' in 'GROUP BY'`,
    );
  });

  it('refuses what Frappe refuses, with its exception and message', () => {
    const refused = (field: string) => {
      const r = list({ fields: ['name', field] });
      return { status: r.status, exc: excType(r), messages: serverMessages(r) };
    };
    // reportview.validate_fields: count(*) has no column but "*", which is not a field.
    expect(refused('count(*)')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Field not permitted in query: *'],
    });
    expect(refused('sum(nope) as s')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Field not permitted in query: nope'],
    });
    // DatabaseQuery.sanitize_fields
    expect(refused('concat(item_name, item_code)')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Use of function concat in field is restricted'],
    });
    expect(refused('(select name from tabUser)')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Use of sub-query or function is restricted'],
    });
    // Frappe looks for blacklisted words anywhere in the argument, even inside a field name.
    expect(refused('count(create_new_batch)')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Use of sub-query or function is restricted'],
    });
    expect(refused('name, item_name')).toEqual({
      status: 417,
      exc: 'DataError',
      messages: ['Use of sub-query or function is restricted'],
    });
    // Past Frappe's checks, MariaDB: an unknown function.
    const fn = list({ fields: ['frobnicate(item_name)'] });
    expect(fn.status).toBe(500);
    expect(excType(fn)).toBe('OperationalError');
    expect(exception(fn)).toMatch(
      /^pymysql\.err\.OperationalError: \(1305, "FUNCTION .+\.frobnicate does not exist"\)$/,
    );
    // order_by naming neither a column, an alias nor an aggregate.
    const order = list({ fields: ['count(name) as n'], order_by: 'nope desc' });
    expect(exception(order)).toBe(
      `pymysql.err.OperationalError: (1054, "Unknown column 'nope' in 'ORDER BY'")`,
    );
    const illegal = list({ order_by: 'name; drop' });
    expect([illegal.status, excType(illegal), serverMessages(illegal)]).toEqual([
      417,
      'ValidationError',
      ['Illegal SQL Query'],
    ]);
  });
});

describe('nested-set operators', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    seedCatalog(site);
  });
  const items = (filters: unknown) =>
    names(site.get('/api/resource/Item', { filters: JSON.stringify(filters), limit: '0' }));
  const groups = (filters: unknown) =>
    names(site.get('/api/resource/Item Group', { filters: JSON.stringify(filters), limit: '0' }));

  it('descendants of / not descendants of a subtree, through the link field', () => {
    expect(items([['item_group', 'descendants of', 'Beverages']])).toEqual([
      'C-1',
      'C-2',
      'C-3',
      'J-1',
    ]);
    expect(items({ item_group: ['descendants of', 'Hot Drinks'] })).toEqual(['C-1', 'C-2', 'C-3']);
    expect(items([['item_group', 'not descendants of', 'Beverages']])).toEqual([
      'P-1',
      'P-2',
      'S-1',
    ]);
    // A leaf has no descendants: Frappe then filters on `in ('')`.
    expect(items([['item_group', 'descendants of', 'Coffee']])).toEqual([]);
    expect(items([['item_group', 'descendants of (inclusive)', 'Coffee']])).toEqual([
      'C-1',
      'C-2',
      'C-3',
    ]);
    expect(items([['item_group', 'descendants of', 'No Such Group']])).toEqual([]);
    expect(groups([['name', 'descendants of', 'Beverages']])).toEqual([
      'Coffee',
      'Hot Drinks',
      'Juice',
    ]);
  });

  it('ancestors of / not ancestors of, on the tree doctype itself', () => {
    expect(groups([['name', 'ancestors of', 'Coffee']])).toEqual([
      'All Item Groups',
      'Beverages',
      'Hot Drinks',
    ]);
    expect(groups([['name', 'not ancestors of', 'Juice']])).toEqual([
      'Coffee',
      'Consumable',
      'Hot Drinks',
      'Juice',
      'Products',
      'Raw Material',
      'Services',
      'Sub Assemblies',
    ]);
    expect(groups([['name', 'ancestors of', 'All Item Groups']])).toEqual([]);
    const customerGroups = names(
      site.get('/api/resource/Customer Group', {
        filters: JSON.stringify([['name', 'descendants of', 'All Customer Groups']]),
      }),
    );
    expect(customerGroups).toEqual(['Commercial', 'Government', 'Individual', 'Non Profit']);
  });

  it('fails like MariaDB on a doctype that is not a tree', () => {
    const r = site.get('/api/resource/Item', {
      filters: JSON.stringify([['stock_uom', 'descendants of', 'Nos']]),
    });
    expect(r.status).toBe(500);
    expect(exception(r)).toBe(
      `pymysql.err.OperationalError: (1054, "Unknown column 'lft' in 'SELECT'")`,
    );
  });
});

describe('timespan, previous and next', () => {
  // America/New_York; "today" on the site is Wednesday 2026-03-18 (EDT, UTC-4).
  const db = SimDb.open(':memory:');
  const clock = new ManualClock(Date.parse('2025-12-01T12:00:00Z'));
  seedEmpty(db, clock, { timeZone: 'America/New_York', apiKey: KEY, apiSecret: SECRET });
  const app = createApp({ db, clock, config: { timeZone: 'America/New_York' } });
  const get = (path: string, query: Record<string, string>) =>
    app.handle({ method: 'GET', path, headers: AUTH, body: undefined, query });
  const post = (path: string, body: unknown) =>
    app.handle({ method: 'POST', path, headers: AUTH, body, query: null });
  const put = (path: string, body: unknown) =>
    app.handle({ method: 'PUT', path, headers: AUTH, body, query: null });

  const createdAt: [string, string][] = [
    ['T-2025-12-15', '2025-12-15T17:00:00Z'],
    ['T-2026-02-28', '2026-02-28T17:00:00Z'],
    ['T-2026-03-01', '2026-03-01T17:00:00Z'],
    ['T-2026-03-10', '2026-03-10T16:00:00Z'],
    ['T-2026-03-15', '2026-03-15T16:00:00Z'], // a Sunday
    ['T-2026-03-17-late', '2026-03-18T03:59:59Z'], // 23:59:59 on the 17th, site time
    ['T-2026-03-18-early', '2026-03-18T04:00:30Z'], // 00:00:30 on the 18th, site time
    ['T-2026-03-18-noon', '2026-03-18T16:00:00Z'],
  ];
  beforeAll(() => {
    for (const [code, at] of createdAt) {
      clock.set(Date.parse(at));
      const r = post('/api/resource/Item', {
        item_code: code,
        item_group: 'Products',
        stock_uom: 'Nos',
      });
      expect(r.status).toBe(200);
    }
    clock.set(Date.parse('2026-03-18T17:00:00Z'));
    for (const [code, eol] of [
      ['D-A', '2026-03-25'],
      ['D-B', '2026-04-10'],
      ['D-C', '2026-03-18'],
      ['D-D', '2026-03-17'],
    ] as const) {
      const r = post('/api/resource/Item', {
        item_code: code,
        item_group: 'Products',
        stock_uom: 'Nos',
        end_of_life: eol,
      });
      expect(r.status).toBe(200);
    }
  });
  const created = (op: string, value: string) =>
    names(
      get('/api/resource/Item', {
        filters: JSON.stringify([
          ['creation', op, value],
          ['name', 'like', 'T-%'],
        ]),
        limit: '0',
      }),
    ).map((n) => n.slice(2));
  const endOfLife = (op: string, value: string) =>
    names(
      get('/api/resource/Item', {
        filters: JSON.stringify([
          ['end_of_life', op, value],
          ['name', 'like', 'D-%'],
        ]),
        limit: '0',
      }),
    );

  it('timespan on a Datetime column: whole days in the site time zone', () => {
    expect(created('timespan', 'today')).toEqual(['2026-03-18-early', '2026-03-18-noon']);
    expect(created('timespan', 'yesterday')).toEqual(['2026-03-17-late']);
    // Weeks start on Sunday (System Settings' default).
    expect(created('timespan', 'this week')).toEqual([
      '2026-03-15',
      '2026-03-17-late',
      '2026-03-18-early',
      '2026-03-18-noon',
    ]);
    expect(created('timespan', 'last week')).toEqual(['2026-03-10']);
    expect(created('timespan', 'last 7 days')).toEqual([
      '2026-03-15',
      '2026-03-17-late',
      '2026-03-18-early',
      '2026-03-18-noon',
    ]);
    expect(created('timespan', 'this month')).toEqual([
      '2026-03-01',
      '2026-03-10',
      '2026-03-15',
      '2026-03-17-late',
      '2026-03-18-early',
      '2026-03-18-noon',
    ]);
    expect(created('timespan', 'last month')).toEqual(['2026-02-28']);
    expect(created('timespan', 'last year')).toEqual(['2025-12-15']);
    expect(created('timespan', 'this year')).toHaveLength(7);
    // A timespan Frappe does not know becomes `between` with no bounds: today.
    expect(created('timespan', 'fortnight')).toEqual(['2026-03-18-early', '2026-03-18-noon']);
  });

  it('previous / next map 1 week, 1 month, 3 months, 6 months, 1 year onto timespans', () => {
    expect(created('previous', '1 week')).toEqual(['2026-03-10']);
    expect(created('previous', '1 month')).toEqual(['2026-02-28']);
    expect(created('previous', '3 months')).toEqual(['2025-12-15']); // last quarter: Q4 2025
    expect(created('previous', '6 months')).toEqual(['2025-12-15']); // 2025-07-01 … 2025-12-31
    expect(created('previous', '1 year')).toEqual(['2025-12-15']);
    expect(created('next', '1 year')).toEqual([]);
    const bad = get('/api/resource/Item', {
      filters: JSON.stringify([['creation', 'previous', '2 weeks']]),
    });
    expect([bad.status, exception(bad)]).toEqual([500, "KeyError: '2 weeks'"]);
  });

  it('works on Date columns, and weeks follow first_day_of_the_week', () => {
    expect(endOfLife('timespan', 'today')).toEqual(['D-C']);
    expect(endOfLife('timespan', 'yesterday')).toEqual(['D-D']);
    expect(endOfLife('next', '1 week')).toEqual(['D-A']); // 2026-03-22 … 2026-03-28
    expect(endOfLife('next', '1 month')).toEqual(['D-B']);
    expect(endOfLife('timespan', 'next 7 days')).toEqual(['D-A', 'D-C']);
    expect(endOfLife('timespan', 'this month')).toEqual(['D-A', 'D-C', 'D-D']);
    const r = put('/api/resource/System Settings/System Settings', {
      first_day_of_the_week: 'Monday',
    });
    expect(r.status).toBe(200);
    // Monday weeks: this week is 2026-03-16 … 03-22, last week 03-09 … 03-15.
    expect(created('timespan', 'this week')).toEqual([
      '2026-03-17-late',
      '2026-03-18-early',
      '2026-03-18-noon',
    ]);
    expect(created('timespan', 'last week')).toEqual(['2026-03-10', '2026-03-15']);
  });
});
