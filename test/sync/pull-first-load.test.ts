import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErpClient } from '../../src/erpnext/client.js';
import { openStore } from '../../src/store/db.js';
import { Lookup } from '../../src/store/lookup.js';
import { Puller } from '../../src/sync/pull.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

const PROFILE = 'Store North - Till 1';

describe('the first pull loads in bulk (store/first-load.ts)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ items: 300, customers: 20 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('fills the item search index once, at the end, and puts the connection back as it was', async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-first-load-')), 'store.db'));
    const erp = new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET });
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    // What a reader would see between the Item pages: items, and no search rows yet.
    const seen: { items: number; searchRows: number; sync: number }[] = [];
    await new Puller(db, erp, {
      posProfile: PROFILE,
      pageSize: 100,
      onProgress: (p) => {
        if (p.doctype !== 'Item' || p.done === 0) return;
        seen.push({
          items: count('SELECT count(*) FROM item'),
          searchRows: count('SELECT count(*) FROM item_fts'),
          sync: db.pragma('synchronous', { simple: true }) as number,
        });
      },
    }).run();
    expect(seen.map((s) => s.searchRows)).toEqual(seen.map(() => 0));
    expect(seen.map((s) => s.sync)).toEqual(seen.map(() => 1));
    expect(seen.map((s) => s.items).slice(0, 3)).toEqual([100, 200, 300]);

    // Complete: one search row per enabled item, with its code, name and every barcode.
    const enabled = count('SELECT count(*) FROM item WHERE disabled = 0');
    expect(count('SELECT count(*) FROM item_fts')).toBe(enabled);
    const wrong = db
      .prepare(
        `SELECT i.item_code FROM item i JOIN item_fts f ON f.rowid = i.id
         WHERE f.item_code <> i.item_code OR f.item_name <> i.item_name
            OR f.barcodes <> coalesce((SELECT group_concat(b.barcode, ' ')
                 FROM item_barcode b WHERE b.item_code = i.item_code), '')`,
      )
      .all();
    expect(wrong).toEqual([]);
    expect(
      count('SELECT count(*) FROM item_fts f JOIN item i ON i.id = f.rowid WHERE i.disabled = 1'),
    ).toBe(0);
    const some = db
      .prepare(
        `SELECT i.item_code, i.item_name, b.barcode FROM item i JOIN item_barcode b
         ON b.item_code = i.item_code WHERE i.disabled = 0 ORDER BY i.id LIMIT 1`,
      )
      .get() as { item_code: string; item_name: string; barcode: string };
    const look = new Lookup(db);
    expect(look.search(some.barcode).map((r) => r.item_code)).toContain(some.item_code);
    expect(look.search(some.item_name).map((r) => r.item_code)).toContain(some.item_code);

    // The store's own settings again: durable commits, 4 MiB checkpoints, the 16 MiB cache.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.pragma('cache_size', { simple: true })).toBe(-16000);
    db.close();
  });
});
