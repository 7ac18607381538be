import type { Server } from 'node:http';
import { createApp, type AppDeps, type SimApp } from './app.js';
import { systemClock, type Clock } from './clock.js';
import { SimDb } from './db.js';
import { seedEmpty, type EmptySeedOptions } from './seed-empty.js';
import { listen, type ListenOptions } from './server.js';

interface StartOptions {
  /** SQLite file (created if missing); ':memory:' for a throwaway site. */
  readonly dbPath: string;
  readonly port: number;
  readonly timeZone?: string;
  readonly clock?: Clock;
  /** Credentials for a fresh site (ignored once the site exists). */
  readonly credentials?: Omit<EmptySeedOptions, 'timeZone'>;
  /** Extra data after `seedEmpty` (e.g. the demo catalogue), loaded while `seeded` is false. */
  readonly seed?: (app: SimApp) => void;
  /**
   * Whether `seed` is already in the database. Default: the site existed before this start.
   * A seed with its own marker (the demo's first item) is then loaded again after a start that
   * died between the empty site and the seed.
   */
  readonly seeded?: (app: SimApp) => boolean;
  readonly register?: AppDeps['register'];
  readonly methods?: AppDeps['methods'];
  readonly decide?: ListenOptions['decide'];
  /** What is served: the site itself, or the site behind the operator's own endpoints. */
  readonly serve?: (app: SimApp) => SimApp;
}

export interface RunningSim {
  readonly app: SimApp;
  readonly server: Server;
  readonly port: number;
  /** The site was created by this start (it held no site before). */
  readonly fresh: boolean;
  /** Stop listening (dropping open connections), then close the database. */
  close(): Promise<void>;
}

/**
 * Open (or create and seed) a simulated site and serve it on 127.0.0.1: what `outpost sim`
 * runs, and what the tests start. A database that already holds a site is served as is, so
 * data survives restarts. A port that cannot be bound rejects with a `ListenError` (the
 * database is closed again first).
 */
export async function startSim(opts: StartOptions): Promise<RunningSim> {
  const db = SimDb.open(opts.dbPath);
  try {
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
    const seeded = opts.seeded ? opts.seeded(app) : !fresh;
    if (!seeded) opts.seed?.(app);
    const { server, port } = await listen(opts.serve ? opts.serve(app) : app, {
      port: opts.port,
      ...(opts.decide ? { decide: opts.decide } : {}),
    });
    return {
      app,
      server,
      port,
      fresh,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            db.close();
            resolve();
          });
        }),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
