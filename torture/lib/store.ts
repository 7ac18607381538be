import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith } from '../../src/core/index.js';
import { run } from '../../src/cli/run.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import type { Site } from './site.js';

export const CASHIER = { id: 'alice', name: 'Alice Martin', pin: '1234' } as const;
export const MANAGER = { id: 'maya', name: 'Maya Manager', pin: '9876' } as const;

export interface CliResult {
  readonly code: number;
  readonly out: string;
}

/** `outpost ...` in this process. */
export async function cli(args: readonly string[]): Promise<CliResult> {
  let out = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  return { code, out };
}

/** `outpost ...` that must exit 0. */
export async function cliOk(args: readonly string[]): Promise<string> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`outpost ${args.join(' ')} → ${r.code}\n${r.out}`);
  return r.out;
}

const configSchema = z.looseObject({ erpnext_url: z.string() });

/** Rewrites config.json keys (the ERPNext address, posting mode, pull interval). */
export function patchConfig(dir: string, change: Record<string, unknown>): void {
  const file = join(dir, 'config.json');
  const config = parseJsonWith(configSchema, readFileSync(file, 'utf8'), file);
  writeFileSync(file, JSON.stringify({ ...config, ...change }, null, 2));
}

/**
 * A store as a shop sets one up: `outpost init` (the first pull), a cashier and a manager,
 * `outpost erpnext-setup` (custom fields, the terminal's key registered), then the posting mode
 * and pull interval of the run.
 */
export async function setupStore(
  site: Site,
  dir: string,
  o: { mode: PostingMode; pullMinutes: number },
): Promise<void> {
  await cliOk([
    ...['init', '--data', dir, '--erpnext', site.url],
    ...['--api-key', site.key, '--api-secret', site.secret, '--pos-profile', site.posProfile],
  ]);
  for (const [c, role] of [
    [CASHIER, 'cashier'],
    [MANAGER, 'manager'],
  ] as const) {
    await cliOk([
      ...['cashier', 'add', '--data', dir, '--id', c.id, '--name', c.name],
      ...['--pin', c.pin, '--role', role],
    ]);
  }
  patchConfig(dir, { posting_mode: o.mode, pull_interval_minutes: o.pullMinutes });
  await cliOk(['erpnext-setup', '--data', dir, '--json']);
}
