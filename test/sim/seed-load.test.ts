import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimDb } from '../../src/sim/db.js';
import { InterruptedLoadError } from '../../src/sim/db-errors.js';
import type { StoredRow } from '../../src/sim/db-rows.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';
import { makeSite } from './site.js';

type Row = Omit<StoredRow, 'data'> & { data: string };

/** Every row the load added (and the Company it updates), and the series counters. */
function loaded(worker: boolean): { rows: Row[]; series: unknown[]; counts: unknown } {
  const site = makeSite();
  const before = site.db.sql.prepare('SELECT max(rowid) FROM docs').pluck().get() as number;
  const { counts } = loadDemoSeed(site.app, { items: 300, customers: 25, worker });
  const rows = site.db.sql
    .prepare<[number], Row>(
      `SELECT doctype, name, parent, parentfield, parenttype, idx, docstatus, creation, modified,
         data FROM docs WHERE rowid > ? OR doctype = 'Company' ORDER BY rowid`,
    )
    .all(before);
  const series = site.db.sql.prepare('SELECT * FROM series ORDER BY name').all();
  site.db.close();
  return { rows, series, counts };
}

describe('loadDemoSeed', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('stores the same rows, in the same order, whether a worker thread generates them or not', () => {
    const inline = loaded(false);
    const threaded = loaded(true);
    expect(inline.rows.length).toBeGreaterThan(2000);
    expect(threaded.counts).toEqual(inline.counts);
    expect(threaded.series).toEqual(inline.series);
    expect(threaded.rows).toEqual(inline.rows);
  });

  it('leaves the site in WAL mode, and a file whose load was cut short is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-'));
    dirs.push(dir);
    const file = join(dir, 'site.db');
    const site = makeSite(file);
    loadDemoSeed(site.app, { items: 20, customers: 2 });
    expect(site.db.sql.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(site.db.sql.pragma('synchronous', { simple: true })).toBe(1);
    // The process "dies" half-way through a load: rows stop coming after a committed batch.
    function* dying(): Generator<StoredRow> {
      for (let i = 0; i < 5; i++) {
        yield {
          doctype: 'Brand',
          name: `Half ${i}`,
          parent: null,
          parentfield: null,
          parenttype: null,
          idx: 0,
          docstatus: 0,
          creation: '2026-11-27 09:00:00.000000',
          modified: '2026-11-27 09:00:00.000000',
          data: { name: `Half ${i}` },
        };
      }
      throw new Error('killed');
    }
    expect(() => site.db.bulkInsert(dying(), 2)).toThrow('killed');
    site.db.close();
    expect(() => SimDb.open(file)).toThrow(InterruptedLoadError);
  });

  it('opens a file whose load finished', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-'));
    dirs.push(dir);
    const file = join(dir, 'site.db');
    const site = makeSite(file);
    loadDemoSeed(site.app, { items: 20, customers: 2 });
    site.db.close();
    const again = SimDb.open(file);
    expect(again.exists('Item', 'SKU-0000001')).toBe(true);
    again.close();
  });
});
