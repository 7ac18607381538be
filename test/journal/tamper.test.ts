import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Header } from '../../src/journal/index.js';
import {
  advanceHeadFile,
  appendRecord,
  canonicalize,
  generateTerminalKey,
  readHead,
  readHeadFile,
  sha256Hex,
  signHead,
  verifyJournal,
  verifyJournalFile,
} from '../../src/journal/index.js';
import type { Till } from './fixture.js';
import { appendSome, codes, copyFileSync, openStore, tamper, till } from './fixture.js';

let open: Till[] = [];
afterEach(() => {
  for (const t of open) t.cleanup();
  open = [];
});
/** Nine records: logins at seq 1, 4, 7; sales at the others. */
function nine(): Till {
  const t = till(9);
  open.push(t);
  return t;
}

type Row = Record<string, unknown> & { header: string; body: string; signature: string };
const row = (db: Database.Database, seq: number) =>
  db.prepare('SELECT * FROM journal WHERE seq = ?').get(seq) as Row;

/** Rewrites a record's header as an attacker who knows the format but not the key would. */
function rewriteHeader(
  db: Database.Database,
  seq: number,
  edit: (h: Header) => Header,
  rehash = true,
) {
  const header = edit(JSON.parse(row(db, seq).header) as Header);
  const text = canonicalize(header);
  db.prepare('UPDATE journal SET header = ? WHERE seq = ?').run(text, seq);
  if (rehash) db.prepare('UPDATE journal SET hash = ? WHERE seq = ?').run(sha256Hex(text), seq);
}

describe('an untouched journal', () => {
  it('verifies clean, through a read-only second connection', () => {
    const t = nine();
    const result = t.verify();
    expect(result).toMatchObject({ ok: true, problems: [], count: 9 });
    expect(result.head).toEqual({ seq: 9, hash: readHead(t.db)?.hash });
  });

  it('verifies clean given the rows directly, and against an anchor it has passed', () => {
    const t = nine();
    const rows = t.db.prepare('SELECT * FROM journal ORDER BY seq').all() as Row[];
    const anchor = { seq: 3, hash: row(t.db, 3).hash as string };
    expect(verifyJournal(rows, { publicKeys: t.keys, expectedHead: anchor }).ok).toBe(true);
  });

  it('fails every record under a key that is not the terminal’s', () => {
    const t = nine();
    const stranger = generateTerminalKey('T1');
    const result = verifyJournalFile(t.path, {
      publicKeys: new Map([[stranger.keyId, stranger.publicKey]]),
    });
    expect(codes(result)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => `BAD_SIGNATURE@${s}`));
  });

  it('refuses a publicKeys map whose key_id does not name its key', () => {
    const t = nine();
    const stranger = generateTerminalKey('T1');
    expect(() =>
      verifyJournalFile(t.path, { publicKeys: new Map([[t.key.keyId, stranger.publicKey]]) }),
    ).toThrow(/not that key's id/);
  });
});

describe('altering a record', () => {
  it('a line price inside the body → ALTERED', () => {
    const t = nine();
    tamper(t.path, (db) => {
      db.prepare(
        `UPDATE journal SET body = replace(body, '"rate":"5.50"', '"rate":"0.50"') WHERE seq = 5`,
      ).run();
    });
    expect(codes(t.verify())).toEqual(['ALTERED@5']);
  });

  it('a line price with body_hash, header hash recomputed → ALTERED and BAD_SIGNATURE at that seq only', () => {
    const t = nine();
    tamper(t.path, (db) => {
      const body = row(db, 5).body.replace('"rate":"5.50"', '"rate":"0.50"');
      db.prepare('UPDATE journal SET body = ?, body_hash = ? WHERE seq = 5').run(
        body,
        sha256Hex(body),
      );
      rewriteHeader(db, 5, (h) => ({ ...h, body_hash: sha256Hex(body) }));
    });
    expect(codes(t.verify())).toEqual(['ALTERED@5', 'BAD_SIGNATURE@5']);
  });

  it('the grand total in the header → ALTERED and BAD_SIGNATURE', () => {
    const t = nine();
    tamper(t.path, (db) => {
      db.prepare(
        `UPDATE journal SET header = replace(header, '"grand_total":"10.00"', '"grand_total":"1.00"') WHERE seq = 5`,
      ).run();
    });
    expect(codes(t.verify())).toEqual(['ALTERED@5', 'BAD_SIGNATURE@5']);
  });

  it('the grand total with the hash column recomputed: the next record’s link still exposes it', () => {
    const t = nine();
    tamper(t.path, (db) =>
      rewriteHeader(db, 5, (h) => ({ ...h, totals: { ...h.totals!, grand_total: '1.00' } })),
    );
    const result = t.verify();
    expect(codes(result)).toEqual(['ALTERED@5', 'BAD_SIGNATURE@5']);
    expect(result.problems[0]?.detail).toMatch(/record 6 was chained to a different record 5/);
  });

  it('the last record’s grand total (no successor): the signature and the head row expose it', () => {
    const t = nine();
    tamper(t.path, (db) =>
      rewriteHeader(db, 9, (h) => ({ ...h, totals: { ...h.totals!, grand_total: '1.00' } })),
    );
    expect(codes(t.verify())).toEqual(['ALTERED@9', 'BAD_SIGNATURE@9']);
  });

  it('a header made unreadable → ALTERED where it stands, not MISSING', () => {
    const t = nine();
    tamper(t.path, (db) =>
      db.prepare(`UPDATE journal SET header = '{"seq":5' WHERE seq = 5`).run(),
    );
    expect(codes(t.verify())).toEqual(['ALTERED@5']);
  });

  it('the signature → BAD_SIGNATURE only', () => {
    const t = nine();
    tamper(t.path, (db) => {
      db.prepare('UPDATE journal SET signature = ? WHERE seq = 5').run(row(db, 6).signature);
    });
    expect(codes(t.verify())).toEqual(['BAD_SIGNATURE@5']);
  });

  it.each([
    ['time', (h: Header): Header => ({ ...h, time: '2026-11-27T07:00:00.000Z' })],
    ['invoice_no', (h: Header): Header => ({ ...h, invoice_no: 'S1-T1-99' })],
    ['type', (h: Header): Header => ({ ...h, type: 'training' })],
    ['uuid', (h: Header): Header => ({ ...h, uuid: '019abc12-3456-7def-8123-456789abcdef' })],
    ['terminal', (h: Header): Header => ({ ...h, terminal: 'T9' })],
    [
      'per-rate tax',
      (h: Header): Header => ({
        ...h,
        totals: { ...h.totals!, per_rate: { '20': { net: '10.00', tax: '0.00' } } },
      }),
    ],
    ['prev_hash', (h: Header): Header => ({ ...h, prev_hash: 'f'.repeat(64) })],
  ])('the header field %s → detected at that seq', (_field, edit) => {
    const t = nine();
    tamper(t.path, (db) => rewriteHeader(db, 5, edit));
    expect(codes(t.verify())).toEqual(['ALTERED@5', 'BAD_SIGNATURE@5']);
  });

  it.each(['type', 'invoice_no', 'created_at', 'key_id', 'terminal'])(
    'the %s column alone → ALTERED (it disagrees with the signed header)',
    (column) => {
      const t = nine();
      tamper(t.path, (db) => db.prepare(`UPDATE journal SET ${column} = 'x' WHERE seq = 5`).run());
      expect(codes(t.verify())).toEqual(['ALTERED@5']);
    },
  );

  it('re-signed with the real key (an attacker who has the passphrase) → FORK at that seq', () => {
    const t = nine();
    tamper(t.path, (db) => {
      const header = {
        ...(JSON.parse(row(db, 5).header) as Header),
        totals: { per_rate: {}, grand_total: '1.00' },
      };
      const text = canonicalize(header);
      db.prepare('UPDATE journal SET header = ?, hash = ?, signature = ? WHERE seq = 5').run(
        text,
        sha256Hex(text),
        t.key.sign(Buffer.from(text)).toString('base64'),
      );
    });
    expect(codes(t.verify())).toEqual(['FORK@5']);
  });
});

describe('removing records', () => {
  it('one in the middle → MISSING at its seq', () => {
    const t = nine();
    tamper(t.path, (db) => db.prepare('DELETE FROM journal WHERE seq = 5').run());
    expect(codes(t.verify())).toEqual(['MISSING@5']);
  });

  it('a range → one MISSING at the first seq, naming the range', () => {
    const t = nine();
    tamper(t.path, (db) => db.prepare('DELETE FROM journal WHERE seq BETWEEN 4 AND 6').run());
    const result = t.verify();
    expect(codes(result)).toEqual(['MISSING@4']);
    expect(result.problems[0]?.detail).toMatch(/4–6/);
  });

  it('the genesis record → MISSING at 1', () => {
    const t = nine();
    tamper(t.path, (db) => db.prepare('DELETE FROM journal WHERE seq = 1').run());
    expect(codes(t.verify())).toEqual(['MISSING@1']);
  });

  it('the tail, head row left behind → TRUNCATED at the first lost seq', () => {
    const t = nine();
    tamper(t.path, (db) => db.prepare('DELETE FROM journal WHERE seq >= 8').run());
    const result = t.verify();
    expect(codes(result)).toEqual(['TRUNCATED@8']);
    expect(result.problems[0]?.detail).toMatch(
      /ends at seq 7 but the journal_head row is at seq 9/,
    );
  });

  it('the tail with the head row moved back too: only an anchor held elsewhere detects it', () => {
    const t = nine();
    const acknowledged = { seq: 9, hash: readHead(t.db)!.hash };
    tamper(t.path, (db) => {
      db.prepare('DELETE FROM journal WHERE seq >= 8').run();
      db.prepare('UPDATE journal_head SET last_seq = 7, last_hash = ?').run(row(db, 7).hash);
    });
    expect(t.verify().ok).toBe(true); // the honest limit of a self-contained file
    expect(codes(t.verify({ expectedHead: acknowledged }))).toEqual(['TRUNCATED@8']);
  });

  it('the whole journal, anchor ahead → TRUNCATED at 1', () => {
    const t = nine();
    const acknowledged = { seq: 9, hash: readHead(t.db)!.hash };
    tamper(t.path, (db) => db.exec('DELETE FROM journal; DELETE FROM journal_head'));
    expect(codes(t.verify({ expectedHead: acknowledged }))).toEqual(['TRUNCATED@1']);
  });
});

describe('reordering', () => {
  it('two records’ contents swapped → REORDERED at both', () => {
    const t = nine();
    tamper(t.path, (db) => {
      const a = row(db, 4);
      const b = row(db, 5);
      const put = db.prepare(
        `UPDATE journal SET type = @type, terminal = @terminal, key_id = @key_id, uuid = @uuid,
           invoice_no = @invoice_no, created_at = @created_at, header = @header, body = @body,
           body_hash = @body_hash, prev_hash = @prev_hash, hash = @hash, signature = @signature
         WHERE seq = @at`,
      );
      // Free the unique values first, as the attacker must.
      db.prepare(
        "UPDATE journal SET uuid = 'x' || seq, hash = 'x' || seq, invoice_no = NULL WHERE seq IN (4, 5)",
      ).run();
      put.run({ ...a, at: 5 });
      put.run({ ...b, at: 4 });
    });
    const result = t.verify();
    expect(codes(result)).toEqual(['REORDERED@4', 'REORDERED@5']);
    expect(result.problems[0]?.detail).toMatch(/record 4 is stored at seq 5/);
  });

  it('swapped and renumbered to hide it → the broken links expose the reordering', () => {
    const t = nine();
    tamper(t.path, (db) => {
      const a = JSON.parse(row(db, 4).header) as Header;
      const b = JSON.parse(row(db, 5).header) as Header;
      const aBody = row(db, 4).body;
      const bBody = row(db, 5).body;
      db.prepare(
        "UPDATE journal SET uuid = 'x' || seq, hash = 'x' || seq, invoice_no = NULL WHERE seq IN (4, 5)",
      ).run();
      db.prepare('UPDATE journal SET body = ?, body_hash = ? WHERE seq = 4').run(
        bBody,
        b.body_hash,
      );
      db.prepare('UPDATE journal SET body = ?, body_hash = ? WHERE seq = 5').run(
        aBody,
        a.body_hash,
      );
      rewriteHeader(db, 4, () => ({ ...b, seq: 4 }));
      rewriteHeader(db, 5, () => ({ ...a, seq: 5 }));
      db.prepare(
        'UPDATE journal SET type = ?, uuid = ?, invoice_no = ?, created_at = ?, prev_hash = ? WHERE seq = 4',
      ).run(b.type, b.uuid, b.invoice_no, b.time, b.prev_hash);
      db.prepare(
        'UPDATE journal SET type = ?, uuid = ?, invoice_no = ?, created_at = ?, prev_hash = ? WHERE seq = 5',
      ).run(a.type, a.uuid, a.invoice_no, a.time, a.prev_hash);
    });
    expect(codes(t.verify())).toEqual([
      'BAD_SIGNATURE@4',
      'ALTERED@5',
      'BAD_SIGNATURE@5',
      'REORDERED@5',
    ]);
  });
});

describe('inserting a forged record', () => {
  /** A well-formed record for `seq` chained to the current head, signed by `signer`. */
  function forge(
    db: Database.Database,
    keyId: string,
    sign: (b: Buffer) => Buffer,
    seq: number,
    prevHash: string,
  ) {
    const body = '{"cashier":"C1","lines":[]}';
    const header: Header = {
      version: 1,
      alg: 'Ed25519',
      key_id: keyId,
      terminal: 'T1',
      seq,
      type: 'return',
      invoice_no: `R-${seq}`,
      uuid: '019abc12-3456-7def-8123-456789abcdef',
      time: '2026-11-27T09:00:00.000Z',
      totals: { per_rate: {}, grand_total: '-500.00' },
      body_hash: sha256Hex(body),
      prev_hash: prevHash,
    };
    const text = canonicalize(header);
    db.prepare(
      `INSERT INTO journal VALUES (?, 'return', 'T1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      seq,
      seq,
      keyId,
      header.uuid,
      header.invoice_no,
      header.time,
      text,
      body,
      header.body_hash,
      prevHash,
      sha256Hex(text),
      sign(Buffer.from(text)).toString('base64'),
    );
  }

  it('at the tail, signed with another key (the triggers even let it in) → BAD_SIGNATURE', () => {
    const t = nine();
    const mallory = generateTerminalKey('T1');
    tamper(
      t.path,
      (db) => forge(db, mallory.keyId, mallory.sign, 10, row(db, 9).hash as string),
      false,
    );
    expect(codes(t.verify())).toContain('BAD_SIGNATURE@10');
  });

  it('at the tail, claiming the terminal’s key_id → BAD_SIGNATURE', () => {
    const t = nine();
    const mallory = generateTerminalKey('T1');
    const conn = openStore(t.path); // the normal schema, triggers in place
    forge(conn, t.key.keyId, mallory.sign, 10, row(conn, 9).hash as string);
    conn.close();
    expect(codes(t.verify())).toEqual(['BAD_SIGNATURE@10']);
  });

  it('in place of a deleted record → BAD_SIGNATURE, and ALTERED by the successor’s link', () => {
    const t = nine();
    const mallory = generateTerminalKey('T1');
    tamper(t.path, (db) => {
      db.prepare('DELETE FROM journal WHERE seq = 5').run();
      forge(db, t.key.keyId, mallory.sign, 5, row(db, 4).hash as string);
    });
    expect(codes(t.verify())).toEqual(['ALTERED@5', 'BAD_SIGNATURE@5']);
  });
});

describe('branching the chain', () => {
  it('a validly signed record chained to an earlier record than the head → FORK', () => {
    const t = nine();
    tamper(t.path, (db) => {
      const eight = row(db, 8);
      const header = {
        ...(JSON.parse(row(db, 9).header) as Header),
        seq: 10,
        prev_hash: eight.hash as string,
      };
      const text = canonicalize(header);
      db.prepare(
        `INSERT INTO journal SELECT 10, type, terminal, 10, key_id, 'u10', NULL, created_at, ?, body,
           body_hash, ?, ?, ? FROM journal WHERE seq = 9`,
      ).run(text, eight.hash, sha256Hex(text), t.key.sign(Buffer.from(text)).toString('base64'));
    });
    const result = t.verify();
    expect(codes(result)).toContain('FORK@10');
    expect(codes(result)).not.toContain('BAD_SIGNATURE@10');
  });
});

describe('restoring an older copy of the database', () => {
  it('is invisible to the file alone, and TRUNCATED against the signed head.json anchor', () => {
    const t = nine();
    const headFile = join(t.dir, 'head.json');
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = join(t.dir, 'backup.db');
    copyFileSync(t.path, backup);
    appendSome(t.db, t.key, 3, t.clock); // seq 10–12, e.g. sales later disputed
    advanceHeadFile(headFile, signHead(t.key, readHead(t.db)!, t.clock), t.keys);
    t.db.close();
    copyFileSync(backup, t.path);
    rmSync(`${t.path}-wal`, { force: true });
    rmSync(`${t.path}-shm`, { force: true });

    expect(t.verify().ok).toBe(true); // a valid, shorter chain
    const anchor = readHeadFile(headFile, t.keys);
    const result = t.verify({ expectedHead: anchor });
    expect(codes(result)).toEqual(['TRUNCATED@10']);
    expect(result.problems[0]?.detail).toMatch(/ends at seq 9 but the expected head is at seq 12/);
  });

  it('then selling on from the restored copy → FORK against the anchor once it is passed', () => {
    const t = nine();
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = join(t.dir, 'backup.db');
    copyFileSync(t.path, backup);
    appendSome(t.db, t.key, 3, t.clock);
    const acknowledged = { seq: 12, hash: readHead(t.db)!.hash };
    t.db.close();
    copyFileSync(backup, t.path);
    rmSync(`${t.path}-wal`, { force: true });
    rmSync(`${t.path}-shm`, { force: true });
    const restored = openStore(t.path);
    appendSome(restored, t.key, 4, t.clock); // seq 10–13: a second history
    restored.close();
    expect(codes(t.verify({ expectedHead: acknowledged }))).toEqual(['FORK@12']);
  });

  it('the head file refuses to move backwards, so the restore cannot erase the anchor', () => {
    const t = nine();
    const headFile = join(t.dir, 'head.json');
    advanceHeadFile(headFile, signHead(t.key, readHead(t.db)!, t.clock), t.keys);
    const older = { seq: 5, hash: row(t.db, 5).hash as string };
    expect(() => advanceHeadFile(headFile, signHead(t.key, older, t.clock), t.keys)).toThrow(
      /refusing/,
    );
    expect(readHeadFile(headFile, t.keys).seq).toBe(9);
  });

  it('a forged head file is refused', () => {
    const t = nine();
    const headFile = join(t.dir, 'head.json');
    const mallory = { ...generateTerminalKey('T1') };
    advanceHeadFile(
      headFile,
      signHead(mallory, { seq: 1, hash: 'a'.repeat(64) }, t.clock),
      new Map([[mallory.keyId, mallory.publicKey]]),
    );
    expect(() => readHeadFile(headFile, t.keys)).toThrow(/unknown key/);
  });
});

describe('the journal’s own bookkeeping', () => {
  it('dropped triggers left dropped → ALTERED for the journal', () => {
    const t = nine();
    tamper(t.path, () => undefined, false);
    const result = t.verify();
    expect(codes(result).every((c) => c === 'ALTERED@-')).toBe(true);
    expect(result.problems[0]?.detail).toMatch(/trigger/);
  });

  it('a deleted head row → ALTERED for the journal', () => {
    const t = nine();
    tamper(t.path, (db) => db.prepare('DELETE FROM journal_head').run());
    expect(codes(t.verify())).toEqual(['ALTERED@-']);
  });

  it('a head row moved back without touching records → FORK after it', () => {
    const t = nine();
    tamper(t.path, (db) =>
      db.prepare('UPDATE journal_head SET last_seq = 6, last_hash = ?').run(row(db, 6).hash),
    );
    expect(codes(t.verify())).toEqual(['FORK@7']);
  });

  it('the journal still appends normally after a verify', () => {
    const t = nine();
    expect(t.verify().ok).toBe(true);
    appendRecord(t.db, t.key, { type: 'x_report', body: { cashier: 'C1' } }, t.clock);
    expect(t.verify().count).toBe(10);
  });
});
