import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock, Problem, Signer, TerminalKey, VerifyResult } from '../../src/journal/index.js';
import {
  appendRecord,
  generateTerminalKey,
  migrateJournal,
  verifyJournalFile,
} from '../../src/journal/index.js';

/** A clock tests move by hand: one second per reading, from a fixed instant. */
export function steppingClock(start = Date.UTC(2026, 10, 27, 8, 30)): Clock {
  let ms = start;
  return {
    now: () => {
      const now = ms;
      ms += 1000;
      return now;
    },
  };
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-journal-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a store database the way the till does: WAL, full sync, journal tables migrated. */
export function openStore(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrateJournal(db);
  return db;
}

/** A sale body with lines, as the sale code will write it. */
export function saleBody(n: number): Record<string, unknown> {
  return {
    cashier: 'C1',
    lines: [
      {
        item_code: 'APPLE',
        raw_scan: '2100005080002',
        qty: '8.000',
        rate: `${n}.50`,
        amount: '8.00',
      },
      { item_code: 'PEAR', raw_scan: '4006381333931', qty: '1', rate: '2.00', amount: '2.00' },
    ],
    payments: [{ mode: 'Cash', amount: '10.00' }],
  };
}

export const saleTotals = (grand: string) => ({
  per_rate: { '20': { net: '8.33', tax: '1.67' } },
  grand_total: grand,
});

/** Appends `count` records alternating sales and other types (seq 1 is a login). */
export function appendSome(db: Database.Database, signer: Signer, count: number, clock: Clock) {
  const start = (db.prepare('SELECT count(*) FROM journal').pluck().get() as number) + 1;
  for (let seq = start; seq < start + count; seq += 1) {
    if (seq % 3 === 1) appendRecord(db, signer, { type: 'login', body: { cashier: 'C1' } }, clock);
    else {
      appendRecord(
        db,
        signer,
        {
          type: 'sale',
          body: saleBody(seq),
          totals: saleTotals('10.00'),
          invoice_no: `S1-T1-${seq}`,
        },
        clock,
      );
    }
  }
}

export interface Till {
  readonly dir: string;
  readonly path: string;
  readonly key: TerminalKey;
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly keys: Map<string, TerminalKey['publicKey']>;
  verify(options?: { expectedHead?: { seq: number; hash: string } }): VerifyResult;
  cleanup(): void;
}

/** A till with `count` records in a real SQLite file. */
export function till(count: number): Till {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'store.db');
  const key = generateTerminalKey('T1');
  const db = openStore(path);
  const clock = steppingClock();
  appendSome(db, key, count, clock);
  const keys = new Map([[key.keyId, key.publicKey]]);
  return {
    dir,
    path,
    key,
    db,
    clock,
    keys,
    verify: (options = {}) => verifyJournalFile(path, { publicKeys: keys, ...options }),
    cleanup: () => {
      if (db.open) db.close();
      cleanup();
    },
  };
}

/**
 * Tampers as an attacker with the file would: a second connection, the protective triggers
 * dropped, raw SQL, then (a careful attacker) the triggers put back so nothing looks touched.
 */
export function tamper(
  path: string,
  attack: (db: Database.Database) => void,
  restoreTriggers = true,
) {
  const db = new Database(path);
  try {
    const triggers = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .pluck()
      .all() as string[];
    for (const name of triggers) db.exec(`DROP TRIGGER ${name}`);
    attack(db);
    if (restoreTriggers) migrateJournal(db);
  } finally {
    db.close();
  }
}

/** Problems as `CODE@seq` strings, easy to compare. */
export const codes = (result: VerifyResult): string[] =>
  result.problems.map((p: Problem) => `${p.code}@${p.seq ?? '-'}`);

export { copyFileSync };
