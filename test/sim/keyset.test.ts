import { describe, expect, it } from 'vitest';
import type { StoredRow } from '../../src/sim/db-rows.js';
import { makeSite } from './site.js';
import { seededRandom } from '../../src/sim/faults.js';

const N = 5_000;
const PAGE = 200;

/** mulberry32, seeded: every run makes the same choices. */
const prng = seededRandom;

function* items(): Generator<StoredRow> {
  for (let i = 0; i < N; i++) {
    const name = `K-${String(i).padStart(5, '0')}`;
    // Ten items share each timestamp, so the cursor must break ties by name.
    const modified = `2026-11-26 10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.000000`;
    yield {
      doctype: 'Item',
      name,
      parent: null,
      parentfield: null,
      parenttype: null,
      idx: 0,
      docstatus: 0,
      creation: modified,
      modified,
      data: {
        name,
        item_code: name,
        item_name: name,
        item_group: 'Products',
        stock_uom: 'Nos',
        modified,
        creation: modified,
      },
    };
  }
}

describe('keyset paging by (modified, name) under concurrent writes', () => {
  it('sees every item at its latest version and never repeats a (name, modified) pair', () => {
    const site = makeSite();
    expect(site.db.bulkInsert(items(), 1_000)).toBe(N);
    const random = prng(42);
    const seen = new Set<string>();
    const lastSeen = new Map<string, string>();
    let cursor = { modified: '', name: '' };
    let pages = 0;
    for (;;) {
      const r = site.get('/api/resource/Item', {
        fields: '["name","modified"]',
        filters: JSON.stringify([
          ['modified', '>=', cursor.modified || '2000-01-01'],
          ['name', 'like', 'K-%'],
        ]),
        order_by: 'modified asc, name asc',
        limit_page_length: String(PAGE + 20),
      });
      // (modified, name) > cursor; ties on modified are resolved by name on the client side.
      const rows = (r.body as { data: { name: string; modified: string }[] }).data
        .filter(
          (x) =>
            x.modified > cursor.modified ||
            (x.modified === cursor.modified && x.name > cursor.name),
        )
        .slice(0, PAGE);
      if (rows.length === 0) break;
      for (const row of rows) {
        const key = `${row.name}@${row.modified}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
        lastSeen.set(row.name, row.modified);
      }
      const last = rows[rows.length - 1];
      if (last) cursor = { modified: last.modified, name: last.name };
      pages++;
      // Another writer updates a few items between pages (only while the first pass runs).
      if (pages < 25) {
        for (let k = 0; k < 5; k++) {
          const name = `K-${String(Math.floor(random() * N)).padStart(5, '0')}`;
          site.clock.advance(1);
          expect(
            site.put(`/api/resource/Item/${name}`, { description: `v${pages}-${k}` }).status,
          ).toBe(200);
        }
      }
    }
    const latest = (
      site.get('/api/resource/Item', {
        fields: '["name","modified"]',
        filters: '[["name","like","K-%"]]',
        limit_page_length: '0',
      }).body as { data: { name: string; modified: string }[] }
    ).data;
    expect(latest).toHaveLength(N);
    for (const row of latest) expect(lastSeen.get(row.name), row.name).toBe(row.modified);
    expect(seen.size).toBeGreaterThan(N);
  });
});
