import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { CASHIER, MANAGER, cli, cliJson, makeTemplate, shiftArgs } from '../pos/till-fixture.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Site } from './site.js';

type Json = Record<string, unknown>;

let template: Promise<Awaited<ReturnType<typeof makeTemplate>>> | null = null;

/**
 * A store set up (first pull, a cashier, a manager, a shift open with a float of 100). Against
 * the simulator it is a copy of one template built per file from an identically seeded
 * simulator; against a real site it is `outpost init` on OUTPOST_CONTRACT_POS_PROFILE.
 */
export async function newStore(site: Site): Promise<string> {
  if (!site.remote) {
    template ??= makeTemplate();
    return (await template).copy();
  }
  const profile = process.env['OUTPOST_CONTRACT_POS_PROFILE'];
  if (!profile) throw new Error('OUTPOST_CONTRACT_POS_PROFILE: required against a real site');
  const dir = join(mkdtempSync(join(tmpdir(), 'outpost-scenario-')), 'store');
  const init = await cli([
    'init',
    '--data',
    dir,
    '--erpnext',
    site.url,
    '--api-key',
    site.key,
    '--api-secret',
    site.secret,
    '--pos-profile',
    profile,
  ]);
  if (init.code !== 0) throw new Error(`outpost init exited ${init.code}\n${init.out}${init.err}`);
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
  await cliJson(shiftArgs(dir, 'open', '--float', 'Cash:100'));
  return dir;
}

/** Points the store's ERPNext connection at `url`, in `mode`. */
export function pointStore(dir: string, url: string, mode: PostingMode): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  writeFileSync(file, JSON.stringify({ ...config, erpnext_url: url, posting_mode: mode }));
}
