import type { Server } from 'node:http';
import { createApp, type SimApp } from '../../src/sim/app.js';
import { systemClock, type Clock } from '../../src/sim/clock.js';
import { SimDb } from '../../src/sim/db.js';
import { seedEmpty } from '../../src/sim/seed-empty.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';
import { listen, type ListenOptions } from '../../src/sim/server.js';

export const KEY = 'outpost-test-key';
export const SECRET = 'outpost-test-secret';

export interface RunningSim {
  readonly app: SimApp;
  readonly url: string;
  readonly server: Server;
  call(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): { status: number; body: unknown };
  close(): Promise<void>;
}

/** A demo-seeded simulator serving HTTP on a free loopback port, in this process. */
export async function startSim(
  opts: {
    items?: number;
    customers?: number;
    path?: string;
    decide?: ListenOptions['decide'];
    /** The site's clock (default: the system's). */
    clock?: Clock;
  } = {},
): Promise<RunningSim> {
  const db = SimDb.open(opts.path ?? ':memory:');
  if (!db.exists('User', 'Administrator')) {
    seedEmpty(db, opts.clock ?? systemClock, {
      timeZone: 'America/New_York',
      apiKey: KEY,
      apiSecret: SECRET,
    });
  }
  const app = createApp({
    db,
    clock: opts.clock ?? systemClock,
    config: { timeZone: 'America/New_York' },
  });
  if (!db.exists('Item', 'SKU-0000001'))
    loadDemoSeed(app, { items: opts.items ?? 300, customers: opts.customers ?? 40 });
  const { server, port } = await listen(app, opts.decide ? { port: 0, decide: opts.decide } : 0);
  return {
    app,
    server,
    url: `http://127.0.0.1:${port}`,
    call: (method, path, body, query) => {
      const r = app.handle({
        method,
        path,
        headers: { authorization: `token ${KEY}:${SECRET}` },
        body: body === undefined ? undefined : JSON.stringify(body),
        query: query ?? null,
      });
      return { status: r.status, body: r.body };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
