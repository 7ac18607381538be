import type { Server } from 'node:http';
import { createApp, type AppDeps, type SimApp } from './app.js';
import { systemClock, type Clock } from './clock.js';
import { SimDb } from './db.js';
import { seedEmpty, type EmptySeedOptions } from './seed-empty.js';
import { listen, type ListenOptions } from './server.js';

export interface StartOptions {
  /** SQLite file (created if missing); ':memory:' for a throwaway site. */
  readonly dbPath: string;
  readonly port: number;
  readonly timeZone?: string;
  readonly clock?: Clock;
  /** Credentials for a fresh site (ignored once the site exists). */
  readonly credentials?: Omit<EmptySeedOptions, 'timeZone'>;
  /** Extra data for a fresh site after `seedEmpty` (e.g. the demo catalogue). */
  readonly seed?: (app: SimApp) => void;
  readonly register?: AppDeps['register'];
  readonly methods?: AppDeps['methods'];
  readonly decide?: ListenOptions['decide'];
}

export interface RunningSim {
  readonly app: SimApp;
  readonly server: Server;
  readonly port: number;
  /** Stop listening (dropping open connections), then close the database. */
  close(): Promise<void>;
}

/**
 * Open (or create and seed) a simulated site and serve it on 127.0.0.1: what `outpost sim`
 * runs. A database that already holds a site is served as is, so data survives restarts.
 */
export async function startSim(opts: StartOptions): Promise<RunningSim> {
  const db = SimDb.open(opts.dbPath);
  const clock = opts.clock ?? systemClock;
  const timeZone = opts.timeZone ?? 'America/New_York';
  const fresh = !db.exists('User', 'Administrator');
  if (fresh) seedEmpty(db, clock, { ...opts.credentials, timeZone });
  const app = createApp({
    db,
    clock,
    config: { timeZone },
    ...(opts.register ? { register: opts.register } : {}),
    ...(opts.methods ? { methods: opts.methods } : {}),
  });
  if (fresh) opts.seed?.(app);
  const { server, port } = await listen(app, {
    port: opts.port,
    ...(opts.decide ? { decide: opts.decide } : {}),
  });
  return {
    app,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
