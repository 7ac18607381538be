import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Header } from '../../src/journal/index.js';
import {
  GENESIS_PREV_HASH,
  JournalError,
  appendRecord,
  canonicalize,
  exportPublicKey,
  generateTerminalKey,
  isUuidV7,
  journalWriter,
  migrateJournal,
  perpetualGrandTotal,
  readHead,
  readRecord,
  readRecordByInvoiceNo,
  readRecords,
  rotateKey,
  sha256Hex,
  verifyJournalFile,
} from '../../src/journal/index.js';
import { codes, openStore, saleBody, saleTotals, steppingClock, tempDir, till } from './fixture.js';
import type { Till } from './fixture.js';

let open: Till[] = [];
afterEach(() => {
  for (const t of open) t.cleanup();
  open = [];
});
function make(count: number): Till {
  const t = till(count);
  open.push(t);
  return t;
}

describe('appendRecord', () => {
  it('writes a signed header with every field, chained from 64 zeros', () => {
    const t = make(0);
    const record = appendRecord(
      t.db,
      t.key,
      { type: 'sale', body: saleBody(1), totals: saleTotals('10.00'), invoice_no: 'S1-T1-2026-1' },
      steppingClock(Date.UTC(2026, 10, 27, 8, 30, 0, 123)),
    );
    const h: Header = record.header;
    expect(h).toMatchObject({
      version: 1,
      alg: 'Ed25519',
      key_id: t.key.keyId,
      terminal: 'T1',
      seq: 1,
      type: 'sale',
      invoice_no: 'S1-T1-2026-1',
      time: '2026-11-27T08:30:00.123Z',
      totals: { per_rate: { '20': { net: '8.33', tax: '1.67' } }, grand_total: '10.00' },
      prev_hash: GENESIS_PREV_HASH,
    });
    expect(isUuidV7(h.uuid)).toBe(true);
    expect(h.body_hash).toBe(sha256Hex(canonicalize(saleBody(1))));
    expect(record.headerText).toBe(canonicalize(h));
    expect(record.hash).toBe(sha256Hex(record.headerText));
    const second = appendRecord(t.db, t.key, { type: 'logout', body: {} }, t.clock);
    expect(second.header.seq).toBe(2);
    expect(second.header.prev_hash).toBe(record.hash);
    expect(second.header.invoice_no).toBeNull();
    expect(readHead(t.db)).toEqual({ terminal: 'T1', seq: 2, hash: second.hash });
  });

  it('uses the caller’s UUIDv7 when given (the ERPNext idempotency key) and refuses a reused one', () => {
    const t = make(0);
    const uuid = '019abc12-3456-7def-8123-456789abcdef';
    const input = { type: 'login' as const, body: {}, uuid };
    expect(appendRecord(t.db, t.key, input, t.clock).header.uuid).toBe(uuid);
    expect(() => appendRecord(t.db, t.key, input, t.clock)).toThrow(/already used/);
    expect(readHead(t.db)?.seq).toBe(1);
  });

  it.each([
    ['an unknown type', { type: 'gift' as never, body: {} }, /unknown record type/],
    ['a sale without totals', { type: 'sale' as const, body: {}, invoice_no: 'X' }, /needs totals/],
    [
      'a sale without a number',
      { type: 'sale' as const, body: {}, totals: saleTotals('1') },
      /invoice_no/,
    ],
    [
      'a float total',
      {
        type: 'sale' as const,
        body: {},
        invoice_no: 'X',
        totals: { per_rate: {}, grand_total: 1 as never },
      },
      /decimal string/,
    ],
    [
      'a negative sale',
      { type: 'sale' as const, body: {}, invoice_no: 'X', totals: saleTotals('-1.00') },
      /≥ 0/,
    ],
    [
      'a positive return',
      { type: 'return' as const, body: {}, invoice_no: 'R', totals: saleTotals('1.00') },
      /≤ 0/,
    ],
    [
      'a body that is not JSON',
      { type: 'login' as const, body: { at: new Date(0) } },
      /plain objects/,
    ],
    [
      'a uuid that is not v7',
      { type: 'login' as const, body: {}, uuid: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' },
      /UUIDv7/,
    ],
    ['a rotation without a key', { type: 'key_rotation' as const, body: {} }, /new_key_id/],
  ])('refuses %s before writing anything', (_what, input, message) => {
    const t = make(2);
    expect(() => appendRecord(t.db, t.key, input, t.clock)).toThrow(message);
    expect(readHead(t.db)?.seq).toBe(2);
  });

  it("starts another terminal's own chain, and refuses a key that is not the active one", () => {
    const t = make(2);
    const other = generateTerminalKey('T2');
    const first = appendRecord(t.db, other, { type: 'login', body: {} }, t.clock);
    expect([first.seq, first.header.seq, first.header.prev_hash]).toEqual([
      3,
      1,
      GENESIS_PREV_HASH,
    ]);
    expect(readHead(t.db, 'T1')?.seq).toBe(2);
    expect(readHead(t.db, 'T2')?.seq).toBe(1);
    expect(() => readHead(t.db)).toThrow(JournalError);
    const sameTerminal = generateTerminalKey('T1');
    expect(() => appendRecord(t.db, sameTerminal, { type: 'login', body: {} }, t.clock)).toThrow(
      /not the active key/,
    );
  });

  it('appends inside a caller’s transaction, committing with the caller’s other writes', () => {
    const t = make(2);
    t.db.exec('CREATE TABLE outbox (uuid TEXT PRIMARY KEY)');
    const sell = t.db.transaction(() => {
      const r = appendRecord(
        t.db,
        t.key,
        { type: 'sale', body: saleBody(3), totals: saleTotals('5.00'), invoice_no: 'N3' },
        t.clock,
      );
      t.db.prepare('INSERT INTO outbox VALUES (?)').run(r.header.uuid);
      return r;
    });
    const r = sell.immediate();
    expect(t.db.prepare('SELECT uuid FROM outbox').pluck().get()).toBe(r.header.uuid);
    expect(readHead(t.db)?.seq).toBe(3);
  });

  it('leaves no record and no gap when the caller’s transaction rolls back', () => {
    const t = make(2);
    const failing = t.db.transaction(() => {
      appendRecord(
        t.db,
        t.key,
        { type: 'sale', body: saleBody(3), totals: saleTotals('5.00'), invoice_no: 'N3' },
        t.clock,
      );
      throw new Error('the payment terminal declined');
    });
    expect(() => failing()).toThrow('declined');
    expect(readHead(t.db)?.seq).toBe(2);
    expect(t.db.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(2);
    const next = appendRecord(t.db, t.key, { type: 'login', body: {} }, t.clock);
    expect(next.header.seq).toBe(3);
    expect(t.verify().ok).toBe(true);
  });

  it('also works with a raw BEGIN … ROLLBACK', () => {
    const t = make(1);
    t.db.exec('BEGIN IMMEDIATE');
    appendRecord(t.db, t.key, { type: 'login', body: {} }, t.clock);
    expect(t.db.inTransaction).toBe(true);
    t.db.exec('ROLLBACK');
    expect(readHead(t.db)?.seq).toBe(1);
  });

  it('a second connection sees a whole record or none (head and record in one statement)', () => {
    const t = make(3);
    const reader = new Database(t.path, { readonly: true });
    try {
      const head = reader.prepare('SELECT last_seq FROM journal_head').pluck().get();
      const max = reader.prepare('SELECT max(seq) FROM journal').pluck().get();
      expect(head).toBe(max);
    } finally {
      reader.close();
    }
  });
});

describe('journalWriter', () => {
  it('prepares once and appends many, inside and outside transactions', () => {
    const t = make(1);
    const writer = journalWriter(t.db);
    writer.append(t.key, { type: 'login', body: {} }, t.clock);
    t.db.transaction(() => {
      writer.append(t.key, { type: 'x_report', body: {} }, t.clock);
      writer.append(t.key, { type: 'logout', body: {} }, t.clock);
    })();
    expect(readHead(t.db)?.seq).toBe(4);
    expect(t.verify().ok).toBe(true);
  });
});

describe('triggers', () => {
  it('refuse UPDATE and DELETE on the journal through the normal connection', () => {
    const t = make(3);
    expect(() => t.db.prepare("UPDATE journal SET body = '{}' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => t.db.prepare('DELETE FROM journal WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM journal_head').run()).toThrow(/DELETE refused/);
    expect(() => t.db.prepare('UPDATE journal_head SET last_seq = 1').run()).toThrow(
      /only advances/,
    );
    expect(t.verify().ok).toBe(true);
  });

  it('refuse an INSERT that does not extend the head', () => {
    const t = make(3);
    const row = t.db.prepare('SELECT * FROM journal WHERE seq = 3').get() as Record<
      string,
      unknown
    >;
    const insert = t.db.prepare(
      `INSERT INTO journal VALUES (@seq, @type, @terminal, @seq, @key_id, @uuid, @invoice_no, @created_at,
        @header, @body, @body_hash, @prev_hash, @hash, @signature)`,
    );
    expect(() => insert.run({ ...row, seq: 5, uuid: 'u', hash: 'h', invoice_no: null })).toThrow(
      /does not extend/,
    );
  });

  it('refuse INSERT OR REPLACE, whose implicit delete would bypass the DELETE trigger', () => {
    const t = make(3);
    const row = t.db.prepare('SELECT * FROM journal WHERE seq = 2').get() as Record<
      string,
      unknown
    >;
    expect(() =>
      t.db
        .prepare(
          `INSERT OR REPLACE INTO journal VALUES (@seq, @type, @terminal, @chain_seq, @key_id, @uuid,
            @invoice_no, @created_at, @header, @body, @body_hash, @prev_hash, @hash, @signature)`,
        )
        .run({ ...row, seq: 4, chain_seq: 4, prev_hash: readHead(t.db)?.hash }),
    ).toThrow(/already used/);
    expect(() =>
      t.db
        .prepare("INSERT OR REPLACE INTO journal_head VALUES ('T1', 1, ?)")
        .run(readRecord(t.db, 1)?.hash),
    ).toThrow(/only the first record/);
    expect(t.verify().ok).toBe(true);
  });

  it('migrateJournal is idempotent', () => {
    const t = make(2);
    migrateJournal(t.db);
    migrateJournal(t.db);
    expect(t.verify().ok).toBe(true);
  });
});

describe('reading back', () => {
  it('reads records by range, seq and invoice number', () => {
    const t = make(6);
    expect([...readRecords(t.db, { from: 2, to: 4 })].map((r) => r.header.seq)).toEqual([2, 3, 4]);
    expect(readRecord(t.db, 5)?.header.type).toBe('sale');
    expect(readRecordByInvoiceNo(t.db, 'S1-T1-5')?.header.seq).toBe(5);
    expect(readRecord(t.db, 99)).toBeNull();
  });

  it('the perpetual grand total counts sales, returns and voids, never training', () => {
    const t = make(0);
    const add = (type: 'sale' | 'return' | 'void' | 'training', grand: string, no?: string) =>
      appendRecord(
        t.db,
        t.key,
        { type, body: {}, totals: saleTotals(grand), ...(no ? { invoice_no: no } : {}) },
        t.clock,
      );
    add('sale', '10.10', 'A1');
    add('sale', '0.20', 'A2');
    add('training', '999.99');
    add('return', '-0.10', 'R1');
    add('void', '-0.20');
    expect(perpetualGrandTotal(t.db)).toBe('10');
    expect(perpetualGrandTotal(t.db, 2)).toBe('10.3');
  });
});

describe('key rotation', () => {
  it('hands the chain to a new key; the old key can no longer sign', () => {
    const t = make(3);
    const next = generateTerminalKey('T1');
    rotateKey(t.db, t.key, next, t.clock);
    expect(() => appendRecord(t.db, t.key, { type: 'login', body: {} }, t.clock)).toThrow(
      /not the active key/,
    );
    appendRecord(t.db, next, { type: 'login', body: {} }, t.clock);
    // Only the first key is registered: the rotation record vouches for the second.
    expect(t.verify().ok).toBe(true);
  });

  it('refuses a rotation record without a valid proof of possession', () => {
    const t = make(2);
    const next = generateTerminalKey('T1');
    const body = {
      new_key_id: next.keyId,
      new_public_key: exportPublicKey(next.publicKey).raw_base64,
      proof: 'AAAA',
    };
    expect(() => appendRecord(t.db, t.key, { type: 'key_rotation', body }, t.clock)).toThrow(
      /proof of possession/,
    );
    expect(readHead(t.db)?.seq).toBe(2);
  });

  it('a record signed with the retired key after the rotation is a BAD_SIGNATURE', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'rot.db');
      const db = openStore(path);
      const clock = steppingClock();
      const old = generateTerminalKey('T1');
      appendRecord(db, old, { type: 'login', body: {} }, clock);
      rotateKey(db, old, generateTerminalKey('T1'), clock);
      // The attacker still has the old key and forges seq 3 with it, bypassing appendRecord's check.
      db.exec('DROP TRIGGER journal_extends_head');
      const rotated = readHead(db)!;
      const header = {
        version: 1,
        alg: 'Ed25519',
        key_id: old.keyId,
        terminal: 'T1',
        seq: 3,
        type: 'login',
        invoice_no: null,
        uuid: '019abc12-3456-7def-8123-456789abcdef',
        time: '2026-11-27T09:00:00.000Z',
        totals: null,
        body_hash: sha256Hex('{}'),
        prev_hash: rotated.hash,
      };
      const text = canonicalize(header);
      db.prepare(
        `INSERT INTO journal VALUES (3, 'login', 'T1', 3, ?, ?, NULL, ?, ?, '{}', ?, ?, ?, ?)`,
      ).run(
        old.keyId,
        header.uuid,
        header.time,
        text,
        header.body_hash,
        rotated.hash,
        sha256Hex(text),
        old.sign(Buffer.from(text)).toString('base64'),
      );
      db.close();
      const result = verifyJournalFile(path, { publicKeys: new Map([[old.keyId, old.publicKey]]) });
      expect(codes(result)).toContain('BAD_SIGNATURE@3');
    } finally {
      cleanup();
    }
  });
});
