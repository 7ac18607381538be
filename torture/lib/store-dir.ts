import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { parseJsonWith } from '../../src/core/schema.js';
import { outpost, outpostJson } from './cli.js';
import { SIM_KEY, SIM_SECRET } from './sim-site.js';

export const PROFILE = 'Store North - Till 1';
export const CASHIER = { id: 'alice', name: 'Alice Martin', pin: '1234' };
export const MANAGER = { id: 'maya', name: 'Maya Manager', pin: '9876' };

/**
 * A store directory set up as a shop would be: `outpost init` against `erpnextUrl` (first pull
 * done), a cashier and a manager, the first terminal's shift open with a float.
 */
export async function makeStore(dir: string, erpnextUrl: string, items: number): Promise<void> {
  const init = await outpost([
    'init',
    '--data',
    dir,
    '--erpnext',
    erpnextUrl,
    '--api-key',
    SIM_KEY,
    '--api-secret',
    SIM_SECRET,
    '--pos-profile',
    PROFILE,
  ]);
  if (init.code !== 0) throw new Error(`outpost init exited ${init.code}\n${init.out}${init.err}`);
  const counts = parseJsonWith(
    z.object({ counts: z.record(z.string(), z.unknown()).optional() }).loose(),
    init.out,
    'outpost init',
  ).counts;
  if (counts?.['Item'] !== items) throw new Error(`outpost init: not ${items} items:\n${init.out}`);
  for (const c of [
    { ...CASHIER, role: 'cashier' },
    { ...MANAGER, role: 'manager' },
  ]) {
    await outpostJson(
      ['cashier', 'add', '--data', dir, '--id', c.id, '--name', c.name].concat([
        '--pin',
        c.pin,
        '--role',
        c.role,
      ]),
    );
  }
  await outpostJson(
    ['shift', 'open', '--data', dir, '--cashier', CASHIER.id, '--pin', CASHIER.pin].concat([
      '--float',
      'Cash:100',
    ]),
  );
}

/** A copy of a store directory (database, keys, head.json, config), modes kept. */
export function copyStore(from: string, to: string): string {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
  return to;
}

/** Points the store at another ERPNext URL (config.json) in a posting mode. */
export function pointStoreAt(dir: string, url: string, mode = 'sales_invoice'): void {
  const file = join(dir, 'config.json');
  const config = parseJsonWith(z.record(z.string(), z.unknown()), readFileSync(file, 'utf8'), file);
  writeFileSync(file, JSON.stringify({ ...config, erpnext_url: url, posting_mode: mode }));
}

/** SELECT on the store database over its own read-only connection. */
export function query<T>(dir: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(dir, 'store.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
