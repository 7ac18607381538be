import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

const BIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
const PROFILE = 'Store North - Till 1';

/** Runs `outpost init` in a child process; resolves with its exit code (or signal). */
function init(
  url: string,
  dir: string,
  killWhen?: (stderr: string) => boolean,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      BIN,
      'init',
      '--data',
      dir,
      '--erpnext',
      url,
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--pos-profile',
      PROFILE,
    ]);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('kill -9 during the first pull', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    // Slow Item pages down so the kill lands in the middle of the catalog.
    sim = await startSim({
      items: 3000,
      customers: 20,
      decide: (req) => ({ kind: 'pass', delayMs: req.path.includes('/Item') ? 150 : 0 }),
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('a rerun finishes with nothing duplicated or missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-crash-'));
    const first = await init(sim.url, dir, (err) =>
      /^Item\s+\[[#.]+\] (1\d{3}|2\d{3})\//m.test(err),
    );
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const partial = openStore(join(dir, 'store.db'));
    const partialItems = partial
      .prepare("SELECT count(*) FROM doc WHERE doctype = 'Item'")
      .pluck()
      .get() as number;
    expect(partialItems).toBeGreaterThan(0);
    expect(partialItems).toBeLessThan(3000 + 1);
    expect(
      partial.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck().get(),
    ).toBe('0');
    partial.close();

    const second = await init(sim.url, dir);
    expect(second.code).toBe(0);
    const db = openStore(join(dir, 'store.db'));
    try {
      const names = db
        .prepare("SELECT name FROM doc WHERE doctype = 'Item' ORDER BY name")
        .pluck()
        .all() as string[];
      const simItems = sim.call('GET', '/api/resource/Item', undefined, {
        fields: '["name"]',
        limit_page_length: '0',
        order_by: 'name asc',
      });
      expect(names).toEqual(
        (simItems.body as { data: { name: string }[] }).data.map((d) => d.name),
      );
      expect(db.prepare('SELECT count(*) FROM item').pluck().get()).toBe(names.length);
      const barcodes = db
        .prepare(
          "SELECT sum(json_array_length(data, '$.barcodes')) FROM doc WHERE doctype = 'Item'",
        )
        .pluck()
        .get() as number;
      expect(db.prepare('SELECT count(*) FROM item_barcode').pluck().get()).toBe(barcodes);
      expect(db.prepare('SELECT count(*) FROM item_fts').pluck().get()).toBe(
        db.prepare('SELECT count(*) FROM item WHERE disabled = 0').pluck().get(),
      );
      expect(
        db.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck().get(),
      ).toBe('1');
    } finally {
      db.close();
    }
  }, 120_000);
});
