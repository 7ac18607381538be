import type { Server } from 'node:http';
import type { SimApp } from '../../src/sim/app.js';
import type { Clock } from '../../src/sim/clock.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';
import type { ListenOptions } from '../../src/sim/server.js';
import { startSim as start } from '../../src/sim/start.js';

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
  // The same start-up path as `outpost sim` (src/sim/start.ts), demo seed included.
  const sim = await start({
    dbPath: opts.path ?? ':memory:',
    port: 0,
    timeZone: 'America/New_York',
    ...(opts.clock ? { clock: opts.clock } : {}),
    credentials: { apiKey: KEY, apiSecret: SECRET },
    seeded: (app) => app.db.exists('Item', 'SKU-0000001'),
    seed: (app) =>
      void loadDemoSeed(app, { items: opts.items ?? 300, customers: opts.customers ?? 40 }),
    ...(opts.decide ? { decide: opts.decide } : {}),
  });
  const { app } = sim;
  return {
    app,
    server: sim.server,
    url: `http://127.0.0.1:${sim.port}`,
    call: (method, path, body, query) => {
      const r = app.handle({
        method,
        path,
        headers: {
          authorization: `token ${KEY}:${SECRET}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        query: query ?? null,
      });
      return { status: r.status, body: r.body };
    },
    close: () => sim.close(),
  };
}
