/**
 * Tamper tests on the real SQLite file (a second connection, triggers dropped the way an
 * attacker would), checked end to end with `outpost verify --data DIR`.
 *
 * One store is built once (a shift, five `outpost sell`, one `outpost return`); every case gets
 * its own copy of the store directory, attacks store.db through its own better-sqlite3
 * connection (journal triggers dropped, raw SQL, then the triggers put back like a careful
 * attacker), closes it (which checkpoints and removes the WAL), and runs the CLI verifier.
 */
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  JOURNAL_TRIGGERS,
  canonicalize,
  generateTerminalKey,
  migrateJournal,
  sha256Hex,
  uuidv7,
  type Header,
  type TerminalKey,
} from '../../src/journal/index.js';
import { PosError } from '../../src/pos/index.js';
import { CASHIER, cli, cliJson, makeTemplate, pushDocument, sellArgs } from './till-fixture.js';

interface Sold {
  readonly seq: number;
  readonly invoice_no: string;
  readonly grand_total: string;
}

interface Row {
  seq: number;
  type: string;
  terminal: string;
  key_id: string;
  uuid: string;
  invoice_no: string | null;
  created_at: string;
  header: string;
  body: string;
  body_hash: string;
  prev_hash: string;
  hash: string;
  signature: string;
}

/** The store after five sales and a return; head.json at the return. */
let base = '';
/** store.db as it was after the first three sales. */
let olderDb = '';
const sales: Sold[] = [];
/** The return: the last record of the journal. */
let last = 0;

const storeDb = (dir: string) => join(dir, 'store.db');
const noWal = (dir: string) =>
  !existsSync(`${storeDb(dir)}-wal`) && !existsSync(`${storeDb(dir)}-shm`);

function fresh(): string {
  const to = join(mkdtempSync(join(tmpdir(), 'outpost-tamper-')), 'store');
  cpSync(base, to, { recursive: true });
  return to;
}

/**
 * Opens store.db on a second connection, drops the journal triggers, runs `fn` in one
 * transaction, puts the triggers back unless told not to, and closes.
 */
function attack(dir: string, fn: (db: Database.Database) => void, restoreTriggers = true): void {
  const db = new Database(storeDb(dir));
  try {
    for (const name of JOURNAL_TRIGGERS) db.exec(`DROP TRIGGER ${name}`);
    db.transaction(() => fn(db))();
    if (restoreTriggers) migrateJournal(db);
  } finally {
    db.close();
  }
  expect(noWal(dir), 'closing the attacker connection checkpoints the WAL').toBe(true);
}

const rowAt = (db: Database.Database, seq: number): Row => {
  const row = db.prepare('SELECT * FROM journal WHERE seq = ?').get(seq) as Row | undefined;
  if (!row) throw new Error(`no journal row at seq ${seq}`);
  return row;
};

/** Replaces `from` by `to` in one column of one record, asserting the text was there. */
function replaceIn(
  db: Database.Database,
  seq: number,
  column: 'header' | 'body',
  from: string,
  to: string,
): string {
  const text = rowAt(db, seq)[column];
  expect(text, `${column} of seq ${seq} holds ${from}`).toContain(from);
  const changed = text.split(from).join(to);
  db.prepare(`UPDATE journal SET ${column} = ? WHERE seq = ?`).run(changed, seq);
  return changed;
}

/** A record made by someone without the terminal's key: well formed, chained, signed by `key`. */
function forge(
  like: Row,
  key: TerminalKey,
  fields: { seq: number; prev_hash: string; invoice_no: string; key_id?: string },
): Row {
  const body = { ...(JSON.parse(like.body) as Record<string, unknown>) };
  body['invoice_no'] = fields.invoice_no;
  const bodyText = canonicalize(body);
  const original = JSON.parse(like.header) as Header;
  const now = Date.now();
  const header: Header = {
    ...original,
    key_id: fields.key_id ?? key.keyId,
    seq: fields.seq,
    invoice_no: fields.invoice_no,
    uuid: uuidv7(now),
    time: new Date(now).toISOString(),
    totals: { per_rate: original.totals?.per_rate ?? {}, grand_total: '0.01' },
    body_hash: sha256Hex(bodyText),
    prev_hash: fields.prev_hash,
  };
  const headerText = canonicalize(header);
  return {
    seq: header.seq,
    type: header.type,
    terminal: header.terminal,
    key_id: header.key_id,
    uuid: header.uuid,
    invoice_no: header.invoice_no,
    created_at: header.time,
    header: headerText,
    body: bodyText,
    body_hash: header.body_hash,
    prev_hash: header.prev_hash,
    hash: sha256Hex(headerText),
    signature: key.sign(Buffer.from(headerText)).toString('base64'),
  };
}

function insertRow(db: Database.Database, row: Row): void {
  db.prepare(
    `INSERT INTO journal (seq, chain_seq, type, terminal, key_id, uuid, invoice_no, created_at,
       header, body, body_hash, prev_hash, hash, signature)
     VALUES (@seq, @seq, @type, @terminal, @key_id, @uuid, @invoice_no, @created_at, @header,
       @body, @body_hash, @prev_hash, @hash, @signature)`,
  ).run(row);
}

/** Moves a row to another place, in the store and in its chain (one terminal: the same). */
const moveRow = (db: Database.Database) => {
  const update = db.prepare('UPDATE journal SET seq = ?, chain_seq = ? WHERE seq = ?');
  return { run: (to: number, from: number) => update.run(to, to, from) };
};

const moveHeadRow = (db: Database.Database, seq: number, hash: string) =>
  db.prepare('UPDATE journal_head SET last_seq = ?, last_hash = ?').run(seq, hash);

/** Deletes a sale everywhere an attacker hiding it would: journal, index, outbox, push queue. */
function eraseRecord(db: Database.Database, seq: number): void {
  const uuid = rowAt(db, seq).uuid;
  db.prepare('DELETE FROM journal WHERE seq = ?').run(seq);
  db.prepare('DELETE FROM sale WHERE seq = ?').run(seq);
  for (const table of ['push_conflict', 'push_review', 'push_job'])
    db.prepare(`DELETE FROM ${table} WHERE uuid = ?`).run(uuid);
  db.prepare('DELETE FROM outbox WHERE uuid = ?').run(uuid);
}

interface Verified {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Problems as `CODE@seq` (`CODE@-` for the journal as a whole), in printed order. */
  readonly problems: string[];
}

async function verify(dir: string): Promise<Verified> {
  const r = await cli(['verify', '--data', dir]);
  const problems = [...r.out.matchAll(/^([A-Z_]+) (?:seq (\d+)|-): /gm)].map(
    (m) => `${m[1]}@${m[2] ?? '-'}`,
  );
  return { ...r, problems };
}

/** Expects verify to fail with exactly `problems`, and its summary line to count them. */
async function expectFailure(dir: string, problems: string[]): Promise<Verified> {
  const v = await verify(dir);
  expect(v.problems, v.out + v.err).toEqual(problems);
  expect(v.code).toBe(1);
  expect(v.out).toContain(`FAILED: ${problems.length} problem(s)`);
  return v;
}

beforeAll(async () => {
  const t = await makeTemplate();
  base = t.copy();
  const items = ['SKU-0000001', 'SKU-0000002', 'SKU-0000003', 'SKU-0000004', 'SKU-0000005'];
  for (const [i, item] of items.entries()) {
    const r = await cliJson<Sold>(sellArgs(base, '--item', item, '--item', 'SKU-0000010:2'));
    sales.push({ seq: r.seq, invoice_no: r.invoice_no, grand_total: r.grand_total });
    if (i === 2) {
      // The CLI closed its connection: store.db alone is the whole database.
      expect(noWal(base)).toBe(true);
      olderDb = join(mkdtempSync(join(tmpdir(), 'outpost-tamper-old-')), 'store.db');
      copyFileSync(storeDb(base), olderDb);
    }
  }
  const ret = await cliJson<{ seq: number }>([
    'return',
    '--data',
    base,
    '--cashier',
    CASHIER.id,
    '--pin',
    CASHIER.pin,
    '--invoice',
    sales[0]!.invoice_no,
  ]);
  last = ret.seq;
  // Consecutive records, so neighbours in the cases below are sales.
  expect(sales.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4].map((i) => sales[0]!.seq + i));
  expect(last).toBe(sales[4]!.seq + 1);
  expect(noWal(base)).toBe(true);
}, 120_000);

describe('outpost verify on a store file attacked through a second connection', () => {
  it('control: the untouched store verifies clean (exit 0, OK)', async () => {
    const v = await verify(fresh());
    expect(v.problems).toEqual([]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(new RegExp(`^OK: ${last} records, head seq ${last} [0-9a-f]{64}\\n$`));
    expect(v.err).toBe('');
  });

  describe('(a) altering a field of a record', () => {
    const cases: {
      name: string;
      tamper: (db: Database.Database, s: Sold) => void;
      expected: (seq: number) => string[];
    }[] = [
      {
        name: 'the grand total inside the signed header text',
        tamper: (db, s) =>
          replaceIn(
            db,
            s.seq,
            'header',
            `"grand_total":"${s.grand_total}"`,
            `"grand_total":"0.99"`,
          ),
        expected: (seq) => [`ALTERED@${seq}`, `BAD_SIGNATURE@${seq}`],
      },
      {
        name: 'the grand total in the header, with the hash column recomputed',
        tamper: (db, s) => {
          const text = replaceIn(
            db,
            s.seq,
            'header',
            `"grand_total":"${s.grand_total}"`,
            `"grand_total":"0.99"`,
          );
          db.prepare('UPDATE journal SET hash = ? WHERE seq = ?').run(sha256Hex(text), s.seq);
        },
        // The next record's prev_hash still names the real record.
        expected: (seq) => [`ALTERED@${seq}`, `BAD_SIGNATURE@${seq}`],
      },
      {
        name: 'an amount inside the body text',
        tamper: (db, s) =>
          replaceIn(
            db,
            s.seq,
            'body',
            `"paid_amount":${Number(s.grand_total)}`,
            `"paid_amount":0.99`,
          ),
        expected: (seq) => [`ALTERED@${seq}`],
      },
      {
        name: 'an amount inside the body, with the body_hash column recomputed',
        tamper: (db, s) => {
          const text = replaceIn(
            db,
            s.seq,
            'body',
            `"paid_amount":${Number(s.grand_total)}`,
            `"paid_amount":0.99`,
          );
          db.prepare('UPDATE journal SET body_hash = ? WHERE seq = ?').run(sha256Hex(text), s.seq);
        },
        expected: (seq) => [`ALTERED@${seq}`],
      },
      {
        name: 'the redundant invoice_no column',
        tamper: (db, s) => {
          const r = db
            .prepare('UPDATE journal SET invoice_no = ? WHERE seq = ?')
            .run(`${s.invoice_no}-X`, s.seq);
          expect(r.changes).toBe(1);
        },
        expected: (seq) => [`ALTERED@${seq}`],
      },
      {
        name: 'the redundant created_at column',
        tamper: (db, s) => {
          const r = db
            .prepare("UPDATE journal SET created_at = '2020-01-01T00:00:00.000Z' WHERE seq = ?")
            .run(s.seq);
          expect(r.changes).toBe(1);
        },
        expected: (seq) => [`ALTERED@${seq}`],
      },
    ];

    it.each(cases)('$name → ALTERED (and BAD_SIGNATURE when the header changed)', async (c) => {
      const dir = fresh();
      const sale = sales[1]!;
      attack(dir, (db) => c.tamper(db, sale));
      const v = await expectFailure(dir, c.expected(sale.seq));
      expect(v.out).toContain(`ALTERED seq ${sale.seq}: `);
    });

    it('with the triggers left dropped, the verifier names each missing trigger too', async () => {
      const dir = fresh();
      const sale = sales[1]!;
      attack(
        dir,
        (db) => {
          db.prepare('UPDATE journal SET invoice_no = ? WHERE seq = ?').run('FORGED-1', sale.seq);
        },
        false,
      );
      const v = await expectFailure(dir, ['ALTERED@-', `ALTERED@${sale.seq}`]);
      for (const name of JOURNAL_TRIGGERS) {
        expect(v.out).toContain(`the protective trigger ${name} is missing`);
      }
      expect(v.out).toContain(
        `ALTERED seq ${sale.seq}: column invoice_no disagrees with the signed header`,
      );
    });
  });

  it('(b) deleting a record in the middle → MISSING at its seq', async () => {
    const dir = fresh();
    const gone = sales[2]!.seq;
    attack(dir, (db) => eraseRecord(db, gone));
    const v = await expectFailure(dir, [`MISSING@${gone}`]);
    expect(v.out).toContain(`MISSING seq ${gone}: seq ${gone} is missing`);

    const json = await cli(['verify', '--data', dir, '--json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.out) as { ok: boolean; count: number; problems: unknown[] };
    expect(result).toMatchObject({
      ok: false,
      count: last - 1,
      problems: [{ code: 'MISSING', seq: gone }],
    });
  });

  describe('(c) cutting off the tail', () => {
    it('with journal_head moved to the new end, like a careful attacker → TRUNCATED by head.json', async () => {
      const dir = fresh();
      const end = sales[2]!.seq;
      attack(dir, (db) => {
        for (let seq = last; seq > end; seq -= 1) eraseRecord(db, seq);
        moveHeadRow(db, end, rowAt(db, end).hash);
      });
      const v = await expectFailure(dir, [`TRUNCATED@${end + 1}`]);
      expect(v.out).toContain(
        `TRUNCATED seq ${end + 1}: the journal ends at seq ${end} but the expected head is at seq ${last}`,
      );
      // The head row was fixed: only head.json gave it away.
      expect(v.out).not.toContain('journal_head row');
    });

    it('with journal_head left alone → TRUNCATED by both the head row and head.json', async () => {
      const dir = fresh();
      const end = sales[2]!.seq;
      attack(dir, (db) => {
        for (let seq = last; seq > end; seq -= 1) eraseRecord(db, seq);
      });
      const v = await expectFailure(dir, [`TRUNCATED@${end + 1}`]);
      expect(v.out).toContain(`the journal_head row is at seq ${last}`);
      expect(v.out).toContain(`the expected head is at seq ${last}`);
    });
  });

  describe('(d) swapping two records', () => {
    it.each([
      { name: 'two neighbouring sales', pick: () => [sales[1]!.seq, sales[2]!.seq] as const },
      { name: 'the first sale and the return', pick: () => [sales[0]!.seq, last] as const },
    ])('$name (seq values exchanged) → REORDERED at both', async ({ pick }) => {
      const dir = fresh();
      const [a, b] = pick();
      attack(dir, (db) => {
        const move = moveRow(db);
        move.run(-1, a);
        move.run(a, b);
        move.run(b, -1);
        // Each row now holds the other's record.
        expect((JSON.parse(rowAt(db, a).header) as Header).seq).toBe(b);
        expect((JSON.parse(rowAt(db, b).header) as Header).seq).toBe(a);
      });
      const v = await expectFailure(dir, [`REORDERED@${a}`, `REORDERED@${b}`]);
      expect(v.out).toContain(`REORDERED seq ${a}: record ${a} is stored at seq ${b}`);
      expect(v.out).toContain(`REORDERED seq ${b}: record ${b} is stored at seq ${a}`);
    });
  });

  describe('(e) inserting a forged record', () => {
    it('appended at the end, chained correctly, signed with a fresh key → BAD_SIGNATURE', async () => {
      const dir = fresh();
      const stranger = generateTerminalKey('T1');
      attack(dir, (db) => {
        const tail = rowAt(db, last);
        const forged = forge(rowAt(db, sales[4]!.seq), stranger, {
          seq: last + 1,
          prev_hash: tail.hash,
          invoice_no: 'STORE-NORTH-T1-2026-999999',
        });
        insertRow(db, forged);
        moveHeadRow(db, forged.seq, forged.hash);
      });
      // head.json is behind the chain, which an external anchor may be; only the key exposes it.
      const v = await expectFailure(dir, [`BAD_SIGNATURE@${last + 1}`]);
      expect(v.out).toContain(
        `BAD_SIGNATURE seq ${last + 1}: key ${stranger.keyId} is not a registered key of this terminal`,
      );
    });

    it('appended at the end under the terminal’s own key_id, signed with another key → BAD_SIGNATURE', async () => {
      const dir = fresh();
      const stranger = generateTerminalKey('T1');
      attack(dir, (db) => {
        const tail = rowAt(db, last);
        const forged = forge(rowAt(db, sales[4]!.seq), stranger, {
          seq: last + 1,
          prev_hash: tail.hash,
          invoice_no: 'STORE-NORTH-T1-2026-999999',
          key_id: tail.key_id,
        });
        insertRow(db, forged);
        moveHeadRow(db, forged.seq, forged.hash);
      });
      const v = await expectFailure(dir, [`BAD_SIGNATURE@${last + 1}`]);
      expect(v.out).toContain(`BAD_SIGNATURE seq ${last + 1}: the signature does not verify`);
    });

    it('inserted in the middle (later rows moved up one seq) → BAD_SIGNATURE, FORK, REORDERED', async () => {
      const dir = fresh();
      const stranger = generateTerminalKey('T1');
      const at = sales[2]!.seq;
      attack(dir, (db) => {
        const move = moveRow(db);
        for (let seq = last; seq >= at; seq -= 1) move.run(seq + 1, seq);
        insertRow(
          db,
          forge(rowAt(db, sales[1]!.seq), stranger, {
            seq: at,
            prev_hash: rowAt(db, at - 1).hash,
            invoice_no: 'STORE-NORTH-T1-2026-999999',
          }),
        );
      });
      // The forged record claims seq `at` beside the real one (FORK); the real records after
      // it no longer sit at their own seq (REORDERED); the forgery's key is unknown.
      const moved = [];
      for (let seq = at; seq <= last; seq += 1) moved.push(`REORDERED@${seq}`);
      const v = await expectFailure(dir, [`BAD_SIGNATURE@${at}`, `FORK@${at}`, ...moved]);
      expect(v.out).toContain(`FORK seq ${at}: two different records claim seq ${at}`);
      expect(v.out).toContain(`record ${at} is stored at seq ${at + 1}`);
    });
  });

  it('(f) restoring an older copy of the database → TRUNCATED by head.json', async () => {
    const dir = fresh();
    copyFileSync(olderDb, storeDb(dir));
    rmSync(`${storeDb(dir)}-wal`, { force: true });
    rmSync(`${storeDb(dir)}-shm`, { force: true });
    const end = sales[2]!.seq;
    const v = await expectFailure(dir, [`TRUNCATED@${end + 1}`]);
    expect(v.out).toContain(
      `TRUNCATED seq ${end + 1}: the journal ends at seq ${end} but the expected head is at seq ${last}`,
    );
    // The till will not sell on top of a rolled-back journal (it would bury the evidence).
    const sale = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(sale.code).toBe(1);
    expect(JSON.parse(sale.out)).toMatchObject({ error: { kind: 'NotReady' } });
    await expectFailure(dir, [`TRUNCATED@${end + 1}`]);
  });

  it('(g) cutting the tail and deleting head.json → refused, and the till records the gap', async () => {
    const dir = fresh();
    const end = sales[2]!.seq;
    attack(dir, (db) => {
      for (let seq = last; seq > end; seq -= 1) eraseRecord(db, seq);
      moveHeadRow(db, end, rowAt(db, end).hash);
    });
    rmSync(join(dir, 'head.json'));
    const v = await verify(dir);
    expect(v.code).toBe(1);
    expect(v.out).toContain('ANCHOR: head.json is missing');
    // Selling on writes a fresh head.json, but the chain itself now says it was missing.
    await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const after = await verify(dir);
    expect(after.code).toBe(1);
    expect(after.out).toContain(`ANCHOR: head.json was missing before seq ${end + 1}`);
  });
});

/** `outpost return` of a whole receipt, as the fixture's cashier. */
const returnOf = (dir: string, invoiceNo: string) =>
  cli([
    'return',
    '--data',
    dir,
    '--cashier',
    CASHIER.id,
    '--pin',
    CASHIER.pin,
    '--invoice',
    invoiceNo,
  ]);

const journalCount = (dir: string): number => {
  const db = new Database(storeDb(dir), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM journal').pluck().get() as number;
  } finally {
    db.close();
  }
};

/** The outbox uuid of a sale (read before the attack: an attacker may delete the row). */
const uuidOf = (dir: string, seq: number): string => {
  const db = new Database(storeDb(dir), { readonly: true });
  try {
    return db.prepare('SELECT uuid FROM outbox WHERE seq = ?').pluck().get(seq) as string;
  } finally {
    db.close();
  }
};

/**
 * Expects `receipt`, `return` and the push's document of `invoiceNo` (outbox row `uuid`) to be
 * refused as JournalTampered with `problem` in the message, and nothing journaled by trying.
 */
async function refusedEverywhere(
  dir: string,
  invoiceNo: string,
  uuid: string,
  seq: number,
  problem: string,
): Promise<void> {
  const message = `journal seq ${seq} fails verification: ${problem}`;
  const before = journalCount(dir);
  for (const r of [
    await cli(['receipt', '--data', dir, invoiceNo, '--format', 'text']),
    await returnOf(dir, invoiceNo),
  ]) {
    expect(r.code, r.out + r.err).toBe(1);
    const { error } = JSON.parse(r.out) as { error: { kind: string; message: string } };
    expect(error.kind).toBe('JournalTampered');
    expect(error.message).toContain(message);
  }
  let thrown: unknown = null;
  try {
    pushDocument(dir, uuid);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(PosError);
  expect((thrown as PosError).kind).toBe('JournalTampered');
  expect((thrown as PosError).message).toContain(message);
  expect(journalCount(dir)).toBe(before);
}

describe('receipt, return and the outbox refuse a record altered on disk, naming its seq', () => {
  it('control: the untouched store prints, pushes and takes a return', async () => {
    const dir = fresh();
    const s = sales[1]!;
    const printed = await cli(['receipt', '--data', dir, s.invoice_no, '--format', 'text']);
    expect(printed.code, printed.out).toBe(0);
    expect(printed.out).toContain(s.invoice_no);
    expect(pushDocument(dir, uuidOf(dir, s.seq))['outpost_invoice_no']).toBe(s.invoice_no);
    const r = await returnOf(dir, s.invoice_no);
    expect(r.code, r.out).toBe(0);
  });

  it('a body changed → the body does not match body_hash', async () => {
    const dir = fresh();
    const s = sales[1]!;
    const uuid = uuidOf(dir, s.seq);
    attack(dir, (db) =>
      replaceIn(db, s.seq, 'body', `"paid_amount":${Number(s.grand_total)}`, `"paid_amount":0.99`),
    );
    await refusedEverywhere(
      dir,
      s.invoice_no,
      uuid,
      s.seq,
      'ALTERED: the body does not match body_hash',
    );
  });

  it('a body changed with body_hash and hash recomputed to match → the signature fails', async () => {
    const dir = fresh();
    const s = sales[1]!;
    const uuid = uuidOf(dir, s.seq);
    attack(dir, (db) => {
      const body = replaceIn(
        db,
        s.seq,
        'body',
        `"paid_amount":${Number(s.grand_total)}`,
        `"paid_amount":0.99`,
      );
      const row = rowAt(db, s.seq);
      const header = replaceIn(db, s.seq, 'header', row.body_hash, sha256Hex(body));
      db.prepare('UPDATE journal SET body_hash = ?, hash = ? WHERE seq = ?').run(
        sha256Hex(body),
        sha256Hex(header),
        s.seq,
      );
    });
    await refusedEverywhere(
      dir,
      s.invoice_no,
      uuid,
      s.seq,
      `BAD_SIGNATURE: the signature does not verify under key`,
    );
  });

  it('the record before it deleted → its predecessor is missing', async () => {
    const dir = fresh();
    const s = sales[3]!;
    const uuid = uuidOf(dir, s.seq);
    attack(dir, (db) => eraseRecord(db, sales[2]!.seq));
    await refusedEverywhere(
      dir,
      s.invoice_no,
      uuid,
      s.seq,
      `MISSING: seq ${sales[2]!.seq} before it is missing`,
    );
  });

  it('its own record deleted (index and outbox left) → the seq is missing', async () => {
    const dir = fresh();
    const s = sales[2]!;
    const uuid = uuidOf(dir, s.seq);
    attack(dir, (db) => db.prepare('DELETE FROM journal WHERE seq = ?').run(s.seq));
    await refusedEverywhere(
      dir,
      s.invoice_no,
      uuid,
      s.seq,
      'MISSING: the journal has no record at this seq',
    );
  });

  it('two records swapped → the record is stored at the other seq', async () => {
    const dir = fresh();
    const [a, b] = [sales[1]!, sales[2]!];
    const uuid = uuidOf(dir, a.seq);
    attack(dir, (db) => {
      const move = moveRow(db);
      move.run(-1, a.seq);
      move.run(a.seq, b.seq);
      move.run(b.seq, -1);
    });
    // Sale a's record now sits at seq b: the receipt finds it by number there; the return
    // (through the sale index) and the outbox row (seq a) find sale b's record at seq a.
    const atB = `journal seq ${b.seq} fails verification: REORDERED: record ${a.seq} is stored at seq ${b.seq}`;
    const atA = `journal seq ${a.seq} fails verification: REORDERED: record ${b.seq} is stored at seq ${a.seq}`;
    const refusal = (r: { code: number; out: string }) => {
      expect(r.code, r.out).toBe(1);
      return (JSON.parse(r.out) as { error: { kind: string; message: string } }).error;
    };
    const printed = refusal(
      await cli(['receipt', '--data', dir, a.invoice_no, '--format', 'text']),
    );
    expect(printed.kind).toBe('JournalTampered');
    expect(printed.message).toContain(atB);
    const returned = refusal(await returnOf(dir, a.invoice_no));
    expect(returned.kind).toBe('JournalTampered');
    expect(returned.message).toContain(atA);
    expect(() => pushDocument(dir, uuid)).toThrow(atA);
  });
});
