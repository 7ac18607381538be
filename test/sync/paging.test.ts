import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErpClient, type ErpClient, type ListQuery } from '../../src/erpnext/client.js';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Puller } from '../../src/sync/pull.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

describe('first pull in small pages', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ items: 120, customers: 15 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('pages through documents sharing one `modified` without gaps or repeats', async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-paging-')), 'store.db'));
    const http = new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET });
    const itemPages: ListQuery[] = [];
    const erp: ErpClient = Object.assign(Object.create(http) as ErpClient, {
      list: async (doctype: string, q: ListQuery) => {
        if (doctype === 'Item') itemPages.push(q);
        return http.list(doctype, q);
      },
    });
    const result = await new Puller(db, erp, {
      posProfile: 'Store North - Till 1',
      pageSize: 7,
    }).run();
    const simItems = (
      sim.call('GET', '/api/resource/Item', undefined, {
        fields: '["name"]',
        limit_page_length: '0',
        order_by: 'name asc',
      }).body as { data: { name: string }[] }
    ).data.map((d) => d.name);
    const names = db
      .prepare("SELECT name FROM doc WHERE doctype = 'Item' ORDER BY name")
      .pluck()
      .all() as string[];
    expect(names).toEqual(simItems);
    expect(result.counts['Item']).toBe(simItems.length);
    expect(new Catalog(db).counts()['Bin']).toBe(result.counts['Bin']);
    // After the first page every request is one index range: no `or_filters`.
    expect(itemPages.length).toBeGreaterThan(simItems.length / 7);
    expect(itemPages.every((q) => q.or_filters === undefined)).toBe(true);
    db.close();
  }, 60_000);
});
