import { createApp, type SimApp } from '../../src/sim/app.js';
import { ManualClock } from '../../src/sim/clock.js';
import { SimDb } from '../../src/sim/db.js';
import type { SimResponse } from '../../src/sim/http-types.js';
import { seedEmpty } from '../../src/sim/seed-empty.js';

export const KEY = 'test-key';
export const SECRET = 'test-secret';
export const AUTH = { authorization: `token ${KEY}:${SECRET}` } as const;

/** A fresh in-memory site seeded like `--seed empty`, with a hand-driven clock. */
export interface TestSite {
  readonly app: SimApp;
  readonly db: SimDb;
  readonly clock: ManualClock;
  get(path: string, query?: Record<string, string>): SimResponse;
  post(path: string, body: unknown): SimResponse;
  put(path: string, body: unknown): SimResponse;
  del(path: string): SimResponse;
}

export function makeSite(path = ':memory:'): TestSite {
  const db = SimDb.open(path);
  const clock = new ManualClock(Date.parse('2026-11-27T06:50:00.000Z'));
  if (!db.exists('User', 'Administrator')) {
    seedEmpty(db, clock, { timeZone: 'America/New_York', apiKey: KEY, apiSecret: SECRET });
  }
  const app = createApp({ db, clock, config: { timeZone: 'America/New_York' } });
  const call = (method: string, p: string, body?: unknown, query?: Record<string, string>) =>
    app.handle({ method, path: p, headers: AUTH, body, query: query ?? null });
  return {
    app,
    db,
    clock,
    get: (p, q) => call('GET', p, undefined, q),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    del: (p) => call('DELETE', p),
  };
}

/** `body.data` of a single-document reply. */
export const data = (r: SimResponse): Record<string, unknown> =>
  (r.body as { data: Record<string, unknown> }).data;

/** `body.data` of a list reply. */
export const rows = (r: SimResponse): Record<string, unknown>[] =>
  (r.body as { data: Record<string, unknown>[] }).data;

/** Decode Frappe's doubly JSON-encoded `_server_messages`. */
export function serverMessages(r: SimResponse): string[] {
  const raw = (r.body as { _server_messages?: string })._server_messages;
  if (!raw) return [];
  return (JSON.parse(raw) as string[]).map((m) => (JSON.parse(m) as { message: string }).message);
}

/** Insert a plain Item through the API. */
export function addItem(
  site: TestSite,
  code: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return site.post('/api/resource/Item', {
    item_code: code,
    item_group: 'Products',
    stock_uom: 'Nos',
    ...extra,
  });
}
