import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseJsonWith } from '../core/schema.js';
import type { RunningNode } from '../server/node.js';
import type { LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { flags, UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { paths } from './config.js';
import { runSim } from './sim.js';
import { startStoreNode } from './serve.js';

const help = `Usage: outpost demo [--data ./demo-data] [--port 7070] [--sim-port 8000]

The whole system on this machine, in one command (\`npm start\`): the ERPNext simulator with
the demo company, a store set up against it (\`outpost init\`, first pull, a cashier and a
manager), and the store node serving the cashier's screen. Prints the link that opens the
screen already paired, and the demo PINs. Run it again: what DIR holds is kept.

  --data DIR      where the simulator and the store live (default ./demo-data)
  --port N        the store node's port (default 7070)
  --sim-port N    the simulator's port (default 8000; the store remembers it)
`;

export const DEMO_PROFILE = 'Store North - Till 1';
/** The demo's people: a cashier and a manager (the manager approves overrides). */
export const DEMO_CASHIERS = [
  { id: 'alice', name: 'Alice Martin', pin: '1234', role: 'cashier' },
  { id: 'maya', name: 'Maya Manager', pin: '9876', role: 'manager' },
] as const;
/** Large enough to search and scan through, small enough that every product name is distinct. */
const DEMO_ITEMS = 250;
/** Written last: a store without it was interrupted while being set up and is made again. */
const READY = 'demo-ready';

const simAnswer = z.object({ url: z.string(), api_key: z.string(), api_secret: z.string() });

export interface RunningSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Stops it (its data stays in DIR/sim). */
  stop(): Promise<void>;
}

/** `outpost sim` in this process, with the demo seed, until `stop()`. */
export async function startDemoSim(
  dir: string,
  port: number,
  items = DEMO_ITEMS,
): Promise<RunningSimulator> {
  let release = () => {};
  const stopped = new Promise<void>((r) => (release = r));
  let out = '';
  let err = '';
  let ready: (v: z.output<typeof simAnswer>) => void = () => {};
  const answered = new Promise<z.output<typeof simAnswer>>((r) => (ready = r));
  const io: Io = {
    stdout: (s) => {
      out += s;
      if (out.endsWith('\n')) ready(parseJsonWith(simAnswer, out, 'outpost sim'));
    },
    stderr: (s) => (err += s),
  };
  const args = ['--data', dir, '--port', String(port), '--quiet', '--items', String(items)];
  const running = runSim(args, io, stopped);
  const first = await Promise.race([answered, running]);
  if (typeof first === 'number') throw new Error(`outpost sim exited ${first}\n${out}${err}`);
  return {
    url: first.url,
    apiKey: first.api_key,
    apiSecret: first.api_secret,
    stop: async () => {
      release();
      await running;
    },
  };
}

async function cli(args: readonly string[]): Promise<void> {
  const { run } = await import('./run.js');
  let text = '';
  const code = await run(args, { stdout: (s) => (text += s), stderr: (s) => (text += s) });
  if (code !== 0) throw new Error(`outpost ${args[0] ?? ''} exited ${code}\n${text}`);
}

/**
 * The demo store in DIR/store, set up once against the simulator by the commands an operator
 * would run: `outpost init` (first pull) and `outpost cashier add`.
 */
export async function ensureDemoStore(dir: string, sim: RunningSimulator): Promise<string> {
  const store = join(dir, 'store');
  if (existsSync(join(store, READY))) return store;
  // Half set up (stopped during the first pull): start the store over, the simulator is kept.
  if (existsSync(paths(store).config)) rmSync(store, { recursive: true, force: true });
  await cli([
    'init',
    '--data',
    store,
    '--erpnext',
    sim.url,
    '--api-key',
    sim.apiKey,
    '--api-secret',
    sim.apiSecret,
    '--pos-profile',
    DEMO_PROFILE,
    '--pull-interval',
    '1',
  ]);
  // The Custom Fields the push writes (sale uuid, receipt number, seq, signature...).
  await cli(['erpnext-setup', '--data', store]);
  for (const c of DEMO_CASHIERS) {
    await cli([
      'cashier',
      'add',
      '--data',
      store,
      '--id',
      c.id,
      '--name',
      c.name,
      '--pin',
      c.pin,
      '--role',
      c.role,
    ]);
  }
  // The first shift opened with a float, as a cashier does at the start of the day (a shift
  // opened by the first sale has none, and ERPNext refuses a POS Opening Entry without one).
  const [cashier] = DEMO_CASHIERS;
  await cli([
    'shift',
    'open',
    '--data',
    store,
    '--cashier',
    cashier.id,
    '--pin',
    cashier.pin,
    '--float',
    'Cash:100',
  ]);
  writeFileSync(join(store, READY), `${new Date().toISOString()}\n`);
  return store;
}

export interface Demo {
  readonly sim: RunningSimulator;
  readonly node: RunningNode;
  readonly store: string;
  /** The token of the node's own till (DIR/device-token). */
  readonly deviceToken: string;
  /** Opens the cashier's screen already paired (the token rides in the fragment, never sent). */
  readonly pairUrl: string;
  close(): Promise<void>;
}

/** Simulator, store and node, as `outpost demo` starts them (the e2e tests start this too). */
export async function startDemo(o: {
  dir: string;
  port: number;
  simPort: number;
  host?: string;
  /** Catalog size of a new simulator (default: the demo's; the browser bench uses more). */
  items?: number;
  /** The loops' timers (the e2e tests run them faster). */
  timers?: LoopTimers & PushClock;
}): Promise<Demo> {
  mkdirSync(o.dir, { recursive: true });
  const sim = await startDemoSim(join(o.dir, 'sim'), o.simPort, o.items);
  let node: RunningNode;
  let store: string;
  try {
    store = await ensureDemoStore(o.dir, sim);
    const { pino } = await import('pino');
    node = await startStoreNode(store, o.host ?? '127.0.0.1', o.port, {
      logger: pino({ level: 'warn' }),
      ...(o.timers ? { timers: o.timers } : {}),
    });
  } catch (e) {
    await sim.stop();
    throw e;
  }
  // The demo's till is the node's own (its first terminal): a manager who bound another
  // device to it in this demo directory leaves no token to hand the screen.
  if (node.deviceToken === null) {
    await node.close();
    await sim.stop();
    throw new Error(
      `the demo's first terminal is bound to another device: delete ${o.dir} to start afresh`,
    );
  }
  return {
    sim,
    node,
    store,
    deviceToken: node.deviceToken,
    pairUrl: `${node.url}/#pair=${node.deviceToken}`,
    close: async () => {
      await node.close();
      await sim.stop();
    },
  };
}

const port = (v: string | undefined, fallback: number, flag: string): number => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${flag}: expected 0 to 65535; got ${v}`, flag);
  }
  return n;
};

export const demoCommand: Command = {
  name: 'demo',
  summary: "the simulator, a store and its node with the cashier's screen, in one command",
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      port: { type: 'string' },
      'sim-port': { type: 'string' },
    });
    const dir = resolve(values.data ?? 'demo-data');
    io.stderr(`outpost demo: starting the ERPNext simulator and the store in ${dir}...\n`);
    const demo = await startDemo({
      dir,
      port: port(values.port, 7070, '--port'),
      simPort: port(values['sim-port'], 8000, '--sim-port'),
    });
    const people = DEMO_CASHIERS.map((c) => `  ${c.role.padEnd(8)} ${c.id.padEnd(6)} PIN ${c.pin}`);
    io.stdout(
      [
        '',
        "Outpost demo is running. Open the cashier's screen (this link pairs the terminal):",
        '',
        `  ${demo.pairUrl}`,
        '',
        `Store node ${demo.node.url} (API: ${demo.node.url}/api/openapi.json)`,
        `ERPNext simulator ${demo.sim.url} (token ${demo.sim.apiKey}:${demo.sim.apiSecret})`,
        `Device token in ${join(demo.store, 'device-token')}`,
        '',
        'Log in as:',
        ...people,
        '',
        'Scan with a barcode scanner (keyboard wedge) or search; Ctrl+C stops everything.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    io.stderr('outpost demo: stopping...\n');
    await demo.close();
    return 0;
  },
};
