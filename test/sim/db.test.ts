import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addItem, data, makeSite } from './site.js';

describe('persistence', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps documents, series counters, custom fields and secrets across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-'));
    dirs.push(dir);
    const file = join(dir, 'site.db');
    const first = makeSite(file);
    expect(first.db.sql.pragma('journal_mode', { simple: true })).toBe('wal');
    addItem(first, 'P-1');
    first.post('/api/resource/Custom Field', {
      dt: 'Item',
      fieldname: 'ext_id',
      label: 'Ext',
      fieldtype: 'Data',
      unique: 1,
    });
    const lastWrite = String(data(addItem(first, 'P-2', { ext_id: 'A' }))['modified']);
    first.db.close();

    const second = makeSite(file);
    expect(data(second.get('/api/resource/Item/P-1'))['item_name']).toBe('P-1');
    expect(data(second.get('/api/resource/Item/P-2'))['ext_id']).toBe('A');
    expect(addItem(second, 'P-3', { ext_id: 'A' }).status).toBe(417);
    // The new process's clock starts at the same instant; its writes still sort after the old.
    const next = String(
      data(second.put('/api/resource/Item/P-1', { description: 'x' }))['modified'],
    );
    expect(next > lastWrite).toBe(true);
    second.db.close();
  });
});

describe('stored documents read back', () => {
  it('a stored body that is not a JSON object is refused, naming the document', () => {
    const site = makeSite();
    addItem(site, 'BAD-1');
    site.db.sql
      .prepare("UPDATE docs SET data = '[1, 2]' WHERE doctype = 'Item' AND name = 'BAD-1'")
      .run();
    expect(() => site.db.get('Item', 'BAD-1')).toThrow('docs: Item BAD-1: a JSON object');
  });
});
