import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { run } from '../../src/cli/run.js';
import { openTill } from '../../src/cli/till.js';
import { outboxDocument } from '../../src/pos/index.js';
import { KEY, SECRET, startSim } from '../sync/sim-site.js';

export const PROFILE = 'Store North - Till 1';
export const CASHIER = { id: 'alice', name: 'Alice Martin', pin: '1234' };
export const MANAGER = { id: 'maya', name: 'Maya Manager', pin: '9876' };

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `outpost ...` in process. */
export async function cli(args: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** Runs a command expected to succeed and parses its JSON output. */
export async function cliJson<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`outpost ${args.join(' ')} → ${r.code}\n${r.out}${r.err}`);
  return JSON.parse(r.out) as T;
}

/**
 * A store set up against the demo simulator (first pull done), with a cashier and a manager,
 * the simulator then stopped: the till is on its own, as in an outage. Built once per file;
 * `copy()` gives each test its own directory.
 */
export async function makeTemplate(
  opts: { openShift?: boolean; items?: number } = {},
): Promise<{ dir: string; copy(): string }> {
  const items = opts.items ?? 300;
  const sim = await startSim({ items, customers: 40 });
  const dir = join(mkdtempSync(join(tmpdir(), 'outpost-till-')), 'store');
  let init: CliResult;
  try {
    init = await cli([
      'init',
      '--data',
      dir,
      '--erpnext',
      sim.url,
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--pos-profile',
      PROFILE,
    ]);
  } finally {
    await sim.close();
  }
  // A failed init must fail the fixture loudly, never leave a half-pulled store to test on.
  if (init.code !== 0) throw new Error(`outpost init exited ${init.code}\n${init.out}${init.err}`);
  const report = JSON.parse(init.out) as { snapshot?: unknown; counts?: Record<string, unknown> };
  if (report.snapshot !== 1 || report.counts?.['Item'] !== items) {
    throw new Error(`outpost init: the first pull did not bring the ${items} items:\n${init.out}`);
  }
  // The run's end stamps the last complete pull; a pull that stopped part-way leaves it unset.
  const stamped = query<{ value: string }>(
    dir,
    "SELECT value FROM meta WHERE key = 'last_pull_ok_at'",
  );
  if (!stamped[0]?.value) throw new Error('outpost init: the first pull did not complete');
  for (const c of [
    { ...CASHIER, role: 'cashier' },
    { ...MANAGER, role: 'manager' },
  ]) {
    await cliJson([
      'cashier',
      'add',
      '--data',
      dir,
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
  if (opts.openShift ?? true) {
    await cliJson(shiftArgs(dir, 'open', '--float', 'Cash:100'));
  }
  return {
    dir,
    copy() {
      const to = join(mkdtempSync(join(tmpdir(), 'outpost-till-')), 'store');
      cpSync(dir, to, { recursive: true });
      return to;
    },
  };
}

/** `outpost COMMAND` (e.g. `sell`, `return`, `exchange`) as the fixture's cashier. */
export const asCashier =
  (command: string) =>
  (dir: string, ...rest: string[]): string[] => [
    command,
    '--data',
    dir,
    '--cashier',
    CASHIER.id,
    '--pin',
    CASHIER.pin,
    ...rest,
  ];

/** `outpost sell` as the fixture's cashier. */
export const sellArgs = asCashier('sell');

/** `outpost shift open|close` as the fixture's cashier. */
export const shiftArgs = (dir: string, sub: 'open' | 'close', ...rest: string[]): string[] => [
  'shift',
  sub,
  '--data',
  dir,
  '--cashier',
  CASHIER.id,
  '--pin',
  CASHIER.pin,
  ...rest,
];

/** Reads the store database directly (a second connection, read-only). */
export function query<T = Record<string, unknown>>(
  dir: string,
  sql: string,
  ...args: unknown[]
): T[] {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** What the push will send ERPNext for an outbox row (built from the signed journal record). */
export function pushDocument(dir: string, uuid: unknown): Record<string, unknown> {
  const till = openTill(dir);
  try {
    return outboxDocument(till.term, String(uuid));
  } finally {
    till.close();
  }
}
