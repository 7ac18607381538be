import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { listen, type FaultDecision } from '../../src/sim/server.js';
import { KEY, SECRET, makeSite } from './site.js';

describe('node:http server', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const site = makeSite();
    const up = await listen(site.app, 0);
    server = up.server;
    base = `http://127.0.0.1:${up.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the same handler over HTTP (query string, JSON body, encoded doctype)', async () => {
    const headers = { Authorization: `token ${KEY}:${SECRET}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${base}/api/resource/Item`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ item_code: 'H 1', item_group: 'Products', stock_uom: 'Nos' }),
    });
    expect(created.status).toBe(200);
    const got = await fetch(`${base}/api/resource/Item/H%201`, { headers });
    expect(((await got.json()) as { data: { item_name: string } }).data.item_name).toBe('H 1');
    const list = await fetch(
      `${base}/api/v1/resource/Price%20List?fields=${encodeURIComponent('["name"]')}&order_by=name%20asc`,
      { headers },
    );
    expect(await list.json()).toEqual({
      data: [{ name: 'Standard Buying' }, { name: 'Standard Selling' }],
    });
    const ping = await fetch(`${base}/api/method/ping`);
    expect(await ping.json()).toEqual({ message: 'pong' });
  });
});

describe('fault decisions at the HTTP edge', () => {
  it('fails without running, or runs and commits then drops the answer', async () => {
    const site = makeSite();
    let next: FaultDecision = { kind: 'fail', status: 503, delayMs: 0 };
    const up = await listen(site.app, { port: 0, decide: () => next });
    const url = `http://127.0.0.1:${up.port}/api/resource/Item`;
    const headers = { Authorization: `token ${KEY}:${SECRET}`, 'Content-Type': 'application/json' };
    const body = JSON.stringify({ item_code: 'F-1', item_group: 'Products', stock_uom: 'Nos' });
    const failed = await fetch(url, { method: 'POST', headers, body });
    expect(failed.status).toBe(503);
    expect(site.db.exists('Item', 'F-1')).toBe(false);
    next = { kind: 'commit-then-drop', delayMs: 0 };
    await expect(fetch(url, { method: 'POST', headers, body })).rejects.toThrow();
    expect(site.db.exists('Item', 'F-1')).toBe(true);
    up.server.closeAllConnections();
    await new Promise<void>((resolve) => up.server.close(() => resolve()));
  });
});
