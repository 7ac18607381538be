import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRecord, verifyJournalFile } from '../../src/journal/index.js';
import type { Till } from './fixture.js';
import { openStore, steppingClock, till } from './fixture.js';

describe('any single-byte change to a stored header, body or signature is detected', () => {
  let t: Till;
  let pristine: string;
  beforeAll(() => {
    t = till(6);
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    t.db.close();
    pristine = t.path;
  });
  afterAll(() => t.cleanup());

  const columns = ['header', 'body', 'signature'] as const;
  it('in every record and every byte position', () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(...columns),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (seq, column, at, delta) => {
          const path = join(t.dir, `copy-${(run += 1)}.db`);
          copyFileSync(pristine, path);
          const db = new Database(path);
          try {
            db.exec('DROP TRIGGER journal_no_update');
            const text = db
              .prepare(`SELECT ${column} FROM journal WHERE seq = ?`)
              .pluck()
              .get(seq) as string;
            const bytes = Buffer.from(text);
            const i = at % bytes.length;
            bytes[i] = (bytes[i]! + delta) % 256; // always a different byte
            // CAST keeps the column TEXT (the table is STRICT) whatever the bytes are.
            db.prepare(`UPDATE journal SET ${column} = CAST(? AS TEXT) WHERE seq = ?`).run(
              bytes,
              seq,
            );
          } finally {
            db.close();
          }
          const result = verifyJournalFile(path, { publicKeys: t.keys });
          expect(result.ok).toBe(false);
          expect(result.problems.some((p) => p.seq === seq || p.seq === null)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('any honest journal verifies clean', () => {
  const types = [
    'login',
    'logout',
    'override',
    'shift_open',
    'x_report',
    'reprint',
    'event',
  ] as const;
  it('whatever JSON bodies and record types were appended', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom(...types),
            body: fc.dictionary(fc.string(), fc.jsonValue()),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (records) => {
          const t = till(0);
          try {
            for (const r of records) appendRecord(t.db, t.key, r, t.clock);
            const result = t.verify();
            expect(result.problems).toEqual([]);
            expect(result.head?.seq).toBe(records.length);
          } finally {
            t.cleanup();
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a body with a "__proto__" key (the counterexample fast-check found) verifies clean', () => {
    const t = till(0);
    try {
      const body = JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>;
      appendRecord(t.db, t.key, { type: 'login', body }, t.clock);
      expect(t.verify().problems).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  it('reopening the store keeps appending the same chain', () => {
    const t = till(3);
    try {
      t.db.close();
      const db = openStore(t.path);
      appendRecord(db, t.key, { type: 'login', body: {} }, steppingClock());
      db.close();
      expect(t.verify()).toMatchObject({ ok: true, count: 4 });
    } finally {
      t.cleanup();
    }
  });
});
