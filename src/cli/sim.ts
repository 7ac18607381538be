import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith } from '../core/schema.js';
import type { SimApp } from '../sim/app.js';
import { InterruptedLoadError } from '../sim/db-errors.js';
import {
  FAULT_FLAGS,
  faultConfigSchema,
  Faults,
  isAdminPath,
  parseFaultFlags,
  FaultConfigError,
  type FaultConfig,
} from '../sim/faults.js';
import type { SimRequest, SimResponse } from '../sim/http-types.js';
import { loadDemoSeed } from '../sim/seed/load.js';
import { ListenError } from '../sim/server.js';
import { reportFailure } from './errors.js';
import { startSim, type RunningSim } from '../sim/start.js';
import { flags, UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { ConfigError } from './config.js';

const help = `Usage: outpost sim [--port 8000] [--data DIR] [--seed demo|empty] [--items N] [--customers N]
                   [--api-key K --api-secret S] [fault flags]

Runs an ERPNext v15-compatible server (Frappe REST v1) on 127.0.0.1 for demos, tests and
benchmarks. Data persists in DIR/sim.db; the seed is loaded once, into an empty DIR.

  --port N            port on 127.0.0.1 (default 8000; 0 = any free port)
  --data DIR          where the site lives (default ./outpost-sim)
  --seed demo|empty   demo: a retail company with 2,000 items, 500 customers, 2 stores x 2
                      terminals, pricing rules, taxes, loyalty, stock; empty: what a fresh
                      ERPNext holds (default demo)
  --items N           catalog size for the demo seed (up to 1,000,000)
  --customers N       customers for the demo seed (default 500)
  --api-key K         the Administrator's API key (default: generated once and kept)
  --api-secret S      its API secret
  --quiet             do not log requests

Fault injection (also at run time: POST /api/method/outpost.sim.faults with a JSON config,
outpost.sim.down, outpost.sim.up; GET outpost.sim.faults shows config and counters):
  --latency MS --latency-jitter MS --fail-rate R --timeout-rate R --reset-rate R
  --commit-then-drop-rate R --down --fault-seed N
`;

const credentialsSchema = z.object({ api_key: z.string().min(1), api_secret: z.string().min(1) });
type Credentials = z.output<typeof credentialsSchema>;

/** Keeps the generated credentials beside the database so a restart prints the same ones. */
function credentials(dir: string, key?: string, secret?: string): Credentials {
  const file = join(dir, 'credentials.json');
  if (key && secret) return { api_key: key, api_secret: secret };
  if (existsSync(file)) return parseJsonWith(credentialsSchema, readFileSync(file, 'utf8'), file);
  const c = {
    api_key: randomBytes(8).toString('hex'),
    api_secret: randomBytes(12).toString('hex'),
  };
  writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return c;
}

const json = (status: number, body: unknown): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
});

/** The operator's endpoints; never faulted (isAdminPath), always answered. */
function adminHandler(faults: Faults, creds: Credentials) {
  return (req: SimRequest): SimResponse | null => {
    if (!isAdminPath(req.path)) return null;
    const auth = req.headers?.['authorization'] ?? req.headers?.['Authorization'] ?? '';
    if (auth !== `token ${creds.api_key}:${creds.api_secret}`) {
      return json(401, {
        exc_type: 'AuthenticationError',
        message: 'outpost.sim.* needs the Administrator token',
      });
    }
    const method = req.path.replace(/^\/api\/(v1\/|v2\/)?method\//, '');
    try {
      if (method === 'outpost.sim.faults' && req.method === 'GET') {
        return json(200, { message: { config: faults.get(), counters: faults.counters() } });
      }
      if (method === 'outpost.sim.faults') {
        const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? {});
        faults.set(text.trim() ? parseJsonWith(faultConfigSchema, text, 'outpost.sim.faults') : {});
        return json(200, { message: { config: faults.get() } });
      }
      if (method === 'outpost.sim.down') {
        faults.patch({ down: true });
        return json(200, { message: 'down' });
      }
      if (method === 'outpost.sim.up') {
        faults.patch({ down: false });
        return json(200, { message: 'up' });
      }
    } catch (e) {
      return json(417, { exc_type: 'ValidationError', message: (e as Error).message });
    }
    return json(404, { exc_type: 'DoesNotExistError', message: `no admin method ${method}` });
  };
}

/** Resolves on SIGINT or SIGTERM: how an operator stops `outpost sim`. */
function signalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * `outpost sim` until `stop` resolves: the start-up path is `startSim`'s, the one the tests
 * use, with the demo seed, the operator endpoints and the request log on top.
 */
export async function runSim(
  argv: readonly string[],
  io: Io,
  stop: Promise<void>,
): Promise<number> {
  const { values } = flags(argv, {
    port: { type: 'string' },
    data: { type: 'string' },
    seed: { type: 'string' },
    items: { type: 'string' },
    customers: { type: 'string' },
    'api-key': { type: 'string' },
    'api-secret': { type: 'string' },
    quiet: { type: 'boolean' },
    ...FAULT_FLAGS,
  });
  const port = Number(values.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port: a port number from 0 to 65535');
  const seed = values.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'empty')
    throw new UsageError(`--seed: demo or empty, got ${JSON.stringify(seed)}`);
  const items = Number(values.items ?? 2000);
  if (!Number.isInteger(items) || items < 18 || items > 1_000_000)
    throw new UsageError('--items: a whole number from 18 to 1,000,000');
  const customers = Number(values.customers ?? 500);
  if (!Number.isInteger(customers) || customers < 1)
    throw new UsageError('--customers: a whole number from 1');
  if (Boolean(values['api-key']) !== Boolean(values['api-secret'])) {
    throw new UsageError('--api-key and --api-secret go together');
  }
  let faultConfig: FaultConfig;
  try {
    faultConfig = parseFaultFlags(values);
  } catch (e) {
    if (e instanceof FaultConfigError) throw new UsageError(e.message);
    throw e;
  }
  const dir = values.data ?? 'outpost-sim';
  mkdirSync(dir, { recursive: true });
  let creds: Credentials;
  try {
    creds = credentials(dir, values['api-key'], values['api-secret']);
  } catch (e) {
    return reportFailure(io, e);
  }
  const faults = new Faults(faultConfig);
  const admin = adminHandler(faults, creds);
  const quiet = values.quiet ?? false;
  const logged = (app: SimApp): SimApp => ({
    ...app,
    handle(req: SimRequest): SimResponse {
      const started = performance.now();
      const reply = admin(req) ?? app.handle(req);
      if (!quiet) {
        io.stderr(
          `${new Date().toISOString()} ${req.method} ${req.path} ${reply.status} ${(performance.now() - started).toFixed(1)}ms\n`,
        );
      }
      return reply;
    },
  });
  let sim: RunningSim;
  try {
    sim = await startSim({
      dbPath: join(dir, 'sim.db'),
      port,
      timeZone: 'America/New_York',
      credentials: { apiKey: creds.api_key, apiSecret: creds.api_secret },
      // Also when an earlier start died between the empty site and the demo company.
      seeded: (app) => seed !== 'demo' || app.db.exists('Item', 'SKU-0000001'),
      seed: (app) => {
        io.stderr(`Loading the demo company (${items} items, ${customers} customers)...\n`);
        const loaded = loadDemoSeed(app, { items, customers });
        io.stderr(`Loaded in ${loaded.seconds.toFixed(1)} s.\n`);
      },
      serve: logged,
      decide: (r) => faults.decide(r),
    });
  } catch (e) {
    if (e instanceof InterruptedLoadError) throw new ConfigError(e.message);
    if (e instanceof ListenError) return reportFailure(io, e);
    throw e;
  }
  const url = `http://127.0.0.1:${sim.port}`;
  io.stdout(
    `${JSON.stringify({ url, api_key: creds.api_key, api_secret: creds.api_secret, data: dir, seed: sim.fresh ? seed : 'kept' })}\n`,
  );
  io.stderr(
    `ERPNext simulator on ${url} (Administrator token ${creds.api_key}:${creds.api_secret})\n`,
  );
  await stop;
  // Stop accepting, drop keep-alive connections, then close the database: the process exits.
  await sim.close();
  return 0;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'run an ERPNext-compatible simulator (demo data, fault injection)',
  help,
  run: (argv, io) => runSim(argv, io, signalled()),
};
