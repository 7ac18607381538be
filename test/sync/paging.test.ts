import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErpClient, type ErpClient, type ListQuery } from '../../src/erpnext/client.js';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Puller } from '../../src/sync/pull.js';
import { ManualClock } from '../../src/sim/clock.js';
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

describe('incremental pulls read again only the window a late commit can hide in', () => {
  const T0 = Date.parse('2026-11-27T13:00:00Z');
  const clock = new ManualClock(T0);
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ items: 60, customers: 5, clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('fetches a bulk-imported catalog once, then only what changed, and still a late commit', async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-window-')), 'store.db'));
    const erp = new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET });
    const pull = () => new Puller(db, erp, { posProfile: 'Store North - Till 1' }).run();
    const minutes = (n: number) => clock.advance(n * 60_000);
    const rename = (code: string, name: string) =>
      expect(sim.call('PUT', `/api/resource/Item/${code}`, { item_name: name }).status).toBe(200);

    expect((await pull()).counts['Item']).toBe(60); // the first pull, at the import's second
    minutes(10);
    // The last pull started with the import's rows: a transaction open then could still have
    // committed rows stamped up to 2 minutes before it, so that window is read again, once.
    expect((await pull()).counts['Item']).toBe(60);
    // That pull started 10 minutes after the newest row: nothing to read again.
    expect((await pull()).counts['Item']).toBe(0);
    expect((await pull()).counts['Bin']).toBe(0);

    rename('SKU-0000007', 'Renamed seven');
    expect((await pull()).counts['Item']).toBe(1);
    // A long transaction: stamped a minute before the pull above started, committed after it.
    minutes(-1);
    rename('SKU-0000008', 'Committed late');
    minutes(2);
    const late = await pull();
    expect(late.counts['Item']).toBeGreaterThanOrEqual(1);
    const name = db
      .prepare(
        "SELECT json_extract(data, '$.item_name') FROM doc WHERE doctype = 'Item' AND name = ?",
      )
      .pluck()
      .get('SKU-0000008');
    expect(name).toBe('Committed late');
    db.close();
  }, 60_000);
});
