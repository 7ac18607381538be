import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeConfig } from '../../src/cli/till.js';
import { StoreNode } from '../../src/pos/node.js';
import { openStore } from '../../src/store/db.js';

export const CASHIER = { id: 'alice', pin: '1234' };
export const MANAGER = { id: 'maya', pin: '9876' };

/** A test clock: epoch ms, moved by the test. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function testClock(startIso: string): TestClock {
  let t = Date.parse(startIso);
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** Ten minutes after the old store's last record: ERPNext answered then, the till is online. */
export const AFTER_OLD_STORE = '2026-12-07T03:40:00.000Z';

/** A copy of the store made by the code before several terminals (test/fixtures/old-store). */
export function oldStoreCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'outpost-node-')), 'store');
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'old-store'), dir, { recursive: true });
  // git keeps no modes but the executable bit: give back the ones the store was made with.
  chmodSync(dir, 0o700);
  for (const file of ['store.db', 'secrets.json', 'terminal-key.json', 'terminal-keys.json']) {
    chmodSync(join(dir, file), 0o600);
  }
  return dir;
}

/** Opens the node in `dir` (migrating it) on the test clock. */
export function openTestNode(dir: string, clock: TestClock): StoreNode {
  const db = openStore(join(dir, 'store.db'), { mustExist: true });
  return new StoreNode(db, { ...nodeConfig(dir), clock });
}
