import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimApp } from '../../src/sim/app.js';
import { ListenError } from '../../src/sim/server.js';
import { startSim } from '../../src/sim/start.js';

describe('startSim', () => {
  it('seeds a fresh file once, serves it, and keeps its data across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-start-'));
    const dbPath = join(dir, 'site.db');
    const credentials = { apiKey: 'k', apiSecret: 's' };
    const headers = { Authorization: 'token k:s', 'Content-Type': 'application/json' };
    let seeded = 0;
    const seed = () => void seeded++;
    try {
      const first = await startSim({ dbPath, port: 0, credentials, seed });
      const url = `http://127.0.0.1:${first.port}/api/resource/Item`;
      const body = JSON.stringify({ item_code: 'S-1', item_group: 'Products', stock_uom: 'Nos' });
      expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
      await first.close();
      const second = await startSim({ dbPath, port: 0, credentials, seed });
      const got = await fetch(`http://127.0.0.1:${second.port}/api/resource/Item/S-1`, { headers });
      expect(got.status).toBe(200);
      await second.close();
      expect(seeded).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a busy port with ListenError PortInUse and closes the database again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-busy-'));
    const dbPath = join(dir, 'site.db');
    const credentials = { apiKey: 'k', apiSecret: 's' };
    const first = await startSim({ dbPath: ':memory:', port: 0, credentials });
    try {
      const busy = startSim({ dbPath, port: first.port, credentials });
      await expect(busy).rejects.toBeInstanceOf(ListenError);
      await expect(busy).rejects.toMatchObject({ kind: 'PortInUse', port: first.port });
      // Closed, not leaked: the file opens again and holds the site seeded before the failure.
      const again = await startSim({ dbPath, port: 0, credentials });
      expect(again.fresh).toBe(false);
      await again.close();
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the demo seed again when a start died before it was in (seeded marker)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-sim-seeded-'));
    const dbPath = join(dir, 'site.db');
    const credentials = { apiKey: 'k', apiSecret: 's' };
    const seeded = (app: SimApp) => app.db.getDefaults()['test_seed'] === 'in';
    const seed = (app: SimApp) => app.db.setDefault('test_seed', 'in');
    try {
      const empty = await startSim({ dbPath, port: 0, credentials });
      await empty.close();
      const second = await startSim({ dbPath, port: 0, credentials, seed, seeded });
      expect(second.fresh).toBe(false);
      expect(seeded(second.app)).toBe(true);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
