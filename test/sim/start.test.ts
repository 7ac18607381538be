import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
