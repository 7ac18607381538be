/**
 * What an attacker with write access to the store's files can do to the journal: each attack
 * edits a copy of the store directory the way a careful forger would (the append-only
 * triggers dropped for the edit and put back after, the head row kept consistent where the
 * attack allows), so the verifier has only the chain itself, the signatures and head.json.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { parseJsonWith } from '../../src/core/schema.js';
import { canonicalize, generateTerminalKey, sha256Hex, uuidv7 } from '../../src/journal/index.js';
import type { Rng } from './seeded-random.js';

type Db = Database.Database;

interface Row {
  seq: number;
  type: string;
  terminal: string;
  chain_seq: number;
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

const COLUMNS = [
  'seq',
  'type',
  'terminal',
  'chain_seq',
  'key_id',
  'uuid',
  'invoice_no',
  'created_at',
  'header',
  'body',
  'body_hash',
  'prev_hash',
  'hash',
  'signature',
] as const;

const jsonObject = z.record(z.string(), z.unknown());

/** Opens the copy's database as the attacker: the journal's and its head row's triggers off for `edit`, then put back. */
function asAttacker(dir: string, edit: (db: Db) => string): string {
  const db = new Database(join(dir, 'store.db'));
  try {
    db.pragma('foreign_keys = OFF');
    const triggers = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('journal', 'journal_head')",
      )
      .all() as { name: string; sql: string }[];
    return db.transaction(() => {
      for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
      const what = edit(db);
      for (const t of triggers) db.exec(t.sql);
      return what;
    })();
  } finally {
    db.close();
  }
}

const chainOf = (db: Db, terminal: string): Row[] =>
  db.prepare('SELECT * FROM journal WHERE terminal = ? ORDER BY chain_seq').all(terminal) as Row[];

/** A terminal with at least 3 records, and its chain. */
function someChain(db: Db, rng: Rng): Row[] {
  const terminals = db
    .prepare(
      'SELECT terminal FROM journal GROUP BY terminal HAVING count(*) >= 3 ORDER BY terminal',
    )
    .pluck()
    .all() as string[];
  return chainOf(db, rng.pick(terminals));
}

/** A record of the chain that is not its last (so something follows it). */
const middle = (chain: readonly Row[], rng: Rng): Row => chain[rng.below(chain.length - 1)] as Row;

/** `text` with the character at a random position replaced by a different one of `alphabet`. */
function flipChar(text: string, rng: Rng, alphabet: string): string {
  const at = rng.below(text.length);
  const old = text[at] ?? '';
  const choices = [...alphabet].filter((c) => c !== old);
  return text.slice(0, at) + rng.pick(choices) + text.slice(at + 1);
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PRINTABLE = ' abcdefghijklmnopqrstuvwxyz0123456789.,:{}"';

function setColumn(db: Db, row: Row, column: (typeof COLUMNS)[number], value: unknown): void {
  db.prepare(`UPDATE journal SET "${column}" = ? WHERE seq = ?`).run(value, row.seq);
}

function writeRow(db: Db, row: Row): void {
  db.prepare(
    `INSERT INTO journal (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
  ).run(row);
}

function setHead(db: Db, terminal: string): void {
  const last = chainOf(db, terminal).at(-1);
  db.prepare('UPDATE journal_head SET last_seq = ?, last_hash = ? WHERE terminal = ?').run(
    last?.chain_seq ?? 0,
    last?.hash ?? '0'.repeat(64),
    terminal,
  );
}

/**
 * Re-signs `row`'s chain from `from` on with a key the attacker made (under the terminal's
 * key_id): every hash and link is right, only the signatures are not the terminal's.
 */
function resignFrom(db: Db, chain: readonly Row[], from: number, body: (b: string) => string) {
  const forger = generateTerminalKey(chain[0]?.terminal ?? 'T1');
  let prev = from > 0 ? (chain[from - 1]?.hash ?? '') : '0'.repeat(64);
  for (const row of chain.slice(from)) {
    const text = row === chain[from] ? body(row.body) : row.body;
    const header = parseJsonWith(jsonObject, row.header, 'journal.header');
    const next = { ...header, body_hash: sha256Hex(text), prev_hash: prev };
    const headerText = canonicalize(next);
    const hash = sha256Hex(headerText);
    db.prepare(
      'UPDATE journal SET body = ?, body_hash = ?, prev_hash = ?, header = ?, hash = ?, signature = ? WHERE seq = ?',
    ).run(
      text,
      next.body_hash,
      prev,
      headerText,
      hash,
      forger.sign(Buffer.from(headerText)).toString('base64'),
      row.seq,
    );
    prev = hash;
  }
}

/** A digit of a JSON text changed to another digit: the record still parses, its sum is forged. */
function forgeAmount(body: string, rng: Rng): string {
  const digits = [...body.matchAll(/\d/g)].map((m) => m.index);
  if (digits.length === 0) return `${body} `;
  const at = rng.pick(digits);
  const d = Number(body[at]);
  return body.slice(0, at) + String((d + 1 + rng.below(8)) % 10) + body.slice(at + 1);
}

export type Attack = (dir: string, rng: Rng) => string;

/** Each kind of tampering, by name. */
export const ATTACKS: Readonly<Record<string, Attack>> = {
  'payload byte': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'body', flipChar(row.body, rng, PRINTABLE));
      return `${row.terminal} seq ${row.chain_seq}: a byte of the body`;
    }),
  'payload amount': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'body', forgeAmount(row.body, rng));
      return `${row.terminal} seq ${row.chain_seq}: a digit of the body`;
    }),
  'header byte': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'header', flipChar(row.header, rng, PRINTABLE));
      return `${row.terminal} seq ${row.chain_seq}: a byte of the header`;
    }),
  hash: (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'hash', flipChar(row.hash, rng, HEX));
      return `${row.terminal} seq ${row.chain_seq}: its hash`;
    }),
  'body hash': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'body_hash', flipChar(row.body_hash, rng, HEX));
      return `${row.terminal} seq ${row.chain_seq}: its body_hash column`;
    }),
  'prev hash': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'prev_hash', flipChar(row.prev_hash, rng, HEX));
      return `${row.terminal} seq ${row.chain_seq}: its prev_hash column`;
    }),
  signature: (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(
        db,
        row,
        'signature',
        flipChar(row.signature.slice(0, -2), rng, B64) + row.signature.slice(-2),
      );
      return `${row.terminal} seq ${row.chain_seq}: a byte of its signature`;
    }),
  'swap two': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const a = middle(chain, rng);
      const others = chain.filter((r) => r.seq !== a.seq);
      const b = rng.pick(others);
      db.prepare('DELETE FROM journal WHERE seq IN (?, ?)').run(a.seq, b.seq);
      writeRow(db, { ...b, seq: a.seq });
      writeRow(db, { ...a, seq: b.seq });
      return `${a.terminal}: records ${a.chain_seq} and ${b.chain_seq} swapped in storage`;
    }),
  'swap two with seqs': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const a = middle(chain, rng);
      const b = chain[chain.indexOf(a) + 1] as Row;
      db.prepare('DELETE FROM journal WHERE seq IN (?, ?)').run(a.seq, b.seq);
      // Their chain seqs exchanged too: the run of seqs stays 1, 2, 3… in storage.
      writeRow(db, { ...b, seq: a.seq, chain_seq: a.chain_seq });
      writeRow(db, { ...a, seq: b.seq, chain_seq: b.chain_seq });
      return `${a.terminal}: records ${a.chain_seq} and ${b.chain_seq} swapped, seqs renumbered`;
    }),
  'delete one': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = middle(someChain(db, rng), rng);
      db.prepare('DELETE FROM journal WHERE seq = ?').run(row.seq);
      return `${row.terminal} seq ${row.chain_seq} deleted`;
    }),
  'delete one, renumber': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const row = middle(chain, rng);
      db.prepare('DELETE FROM journal WHERE seq = ?').run(row.seq);
      // The seqs after it closed up, the head row moved back: no gap left to see.
      for (const r of chain.filter((x) => x.chain_seq > row.chain_seq)) {
        setColumn(db, r, 'chain_seq', r.chain_seq - 1);
      }
      setHead(db, row.terminal);
      return `${row.terminal} seq ${row.chain_seq} deleted, the rest renumbered`;
    }),
  'truncate tail': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const k = 1 + rng.below(Math.min(3, chain.length - 1));
      const cut = chain.slice(-k);
      for (const r of cut) db.prepare('DELETE FROM journal WHERE seq = ?').run(r.seq);
      setHead(db, cut[0]?.terminal ?? 'T1');
      return `${cut[0]?.terminal}: the last ${k} records cut, the head row moved back`;
    }),
  'change seq': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      setColumn(db, row, 'chain_seq', row.chain_seq + 1000 + rng.below(1000));
      return `${row.terminal} seq ${row.chain_seq} renumbered`;
    }),
  'change store seq': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = middle(someChain(db, rng), rng);
      const max = db.prepare('SELECT max(seq) FROM journal').pluck().get() as number;
      setColumn(db, row, 'seq', max + 1 + rng.below(100));
      return `${row.terminal} seq ${row.chain_seq} moved to the end of the table`;
    }),
  'move to another terminal': (dir, rng) =>
    asAttacker(dir, (db) => {
      const row = rng.pick(someChain(db, rng));
      const other = db
        .prepare('SELECT DISTINCT terminal FROM journal WHERE terminal <> ? ORDER BY terminal')
        .pluck()
        .all(row.terminal) as string[];
      const to = other.length > 0 ? rng.pick(other) : 'T99';
      // Appended at the end of the other chain, both head rows following.
      const end = db
        .prepare('SELECT coalesce(max(chain_seq), 0) FROM journal WHERE terminal = ?')
        .pluck()
        .get(to) as number;
      db.prepare('UPDATE journal SET terminal = ?, chain_seq = ? WHERE seq = ?').run(
        to,
        end + 1,
        row.seq,
      );
      setHead(db, row.terminal);
      setHead(db, to);
      return `${row.terminal} seq ${row.chain_seq} moved to the end of ${to}'s chain`;
    }),
  'insert forged': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const last = chain.at(-1) as Row;
      const template = rng.pick(chain.filter((r) => r.type === 'sale').concat(last));
      const forger = generateTerminalKey(last.terminal);
      const uuid = uuidv7(Date.now());
      const body = template.body;
      const header = {
        ...parseJsonWith(jsonObject, template.header, 'journal.header'),
        seq: last.chain_seq + 1,
        uuid,
        prev_hash: last.hash,
        body_hash: sha256Hex(body),
        invoice_no: null,
        key_id: last.key_id,
      };
      const headerText = canonicalize(header);
      const max = db.prepare('SELECT max(seq) FROM journal').pluck().get() as number;
      writeRow(db, {
        ...template,
        seq: max + 1,
        chain_seq: last.chain_seq + 1,
        uuid,
        invoice_no: null,
        header: headerText,
        body_hash: header.body_hash,
        prev_hash: last.hash,
        hash: sha256Hex(headerText),
        signature: forger.sign(Buffer.from(headerText)).toString('base64'),
        key_id: last.key_id,
      });
      setHead(db, last.terminal);
      return `${last.terminal}: a forged record appended at seq ${last.chain_seq + 1}`;
    }),
  're-sign with another key': (dir, rng) =>
    asAttacker(dir, (db) => {
      const chain = someChain(db, rng);
      const from = rng.below(chain.length);
      resignFrom(db, chain, from, (b) => forgeAmount(b, rng));
      setHead(db, chain[0]?.terminal ?? 'T1');
      return `${chain[0]?.terminal}: seq ${from + 1} forged and the chain re-signed from there`;
    }),
  'edit head.json': (dir, rng) => {
    const files = [join(dir, 'head.json')];
    const more = join(dir, 'terminals');
    if (existsSync(more)) {
      const db = new Database(join(dir, 'store.db'), { readonly: true });
      const names = db.prepare('SELECT DISTINCT terminal FROM journal').pluck().all() as string[];
      db.close();
      for (const t of names) {
        const f = join(more, t, 'head.json');
        if (existsSync(f)) files.push(f);
      }
    }
    const file = rng.pick(files);
    const head = parseJsonWith(jsonObject, readFileSync(file, 'utf8'), file);
    const field = rng.pick(['seq', 'hash', 'time'] as const);
    const edited =
      field === 'seq'
        ? { ...head, seq: Number(head['seq']) - 1 }
        : field === 'hash'
          ? { ...head, hash: flipChar(String(head['hash']), rng, HEX) }
          : { ...head, time: '2020-01-01T00:00:00.000Z' };
    writeFileSync(file, `${JSON.stringify(edited, null, 2)}\n`);
    return `${file.slice(dir.length + 1)}: its ${field} edited`;
  },
};
