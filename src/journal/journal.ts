import type Database from 'better-sqlite3';
import { canonicalize } from './canonical.js';
import type { Clock } from './clock.js';
import { isoTime, systemClock } from './clock.js';
import { GENESIS_PREV_HASH, sha256Hex } from './digest.js';
import { JournalError } from './errors.js';
import type { Signer } from './keys.js';
import type { Header, RecordType, Totals } from './record.js';
import { readKeyRotationBody } from './record.js';
import { checkInput } from './input.js';
import { rotationTarget } from './rotation-proof.js';
import { uuidv7 } from './uuid7.js';

/** What the caller supplies for one record; the journal fills in seq, time, hashes, signature. */
export interface AppendInput {
  readonly type: RecordType;
  /** Any JSON object (plain objects, arrays, strings, finite numbers, booleans, null). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly totals?: Totals;
  readonly invoice_no?: string;
  /** The ERPNext idempotency key, when the caller already minted it; a fresh UUIDv7 otherwise. */
  readonly uuid?: string;
}

/** A record as appended or read back through the owning connection. */
export interface JournalRecord {
  /**
   * Its place in the store's journal (every terminal's records in commit order): what sale,
   * outbox and loyalty rows point at. `header.seq` is its place in its terminal's chain; the
   * two are equal in a store that has had one terminal.
   */
  readonly seq: number;
  readonly header: Header;
  /** The exact canonical header text that was hashed and signed. */
  readonly headerText: string;
  readonly bodyText: string;
  /** SHA-256 hex of `headerText`: the next record's `prev_hash`. */
  readonly hash: string;
  /** Base64 Ed25519 signature over `headerText`. */
  readonly signature: string;
}

/** The last record of a terminal's chain. */
export interface Head {
  readonly seq: number;
  readonly hash: string;
}

/**
 * A connection's journal statements, prepared once. Keep one per connection for the process
 * lifetime: preparing the INSERT (which compiles its triggers) costs more than signing.
 */
export interface JournalWriter {
  readonly db: Database.Database;
  /** See appendRecord. */
  append(signer: Signer, input: AppendInput, clock?: Clock): JournalRecord;
}

/** Prepares the append statements on `db` (whose schema migrateJournal has created). */
export function journalWriter(db: Database.Database): JournalWriter {
  const headStmt = db.prepare(
    'SELECT terminal, last_seq, last_hash FROM journal_head WHERE terminal = ?',
  );
  const lastStmt = db.prepare(
    'SELECT type, key_id, body FROM journal WHERE terminal = ? AND chain_seq = ?',
  );
  // One statement: the AFTER INSERT trigger moves journal_head within it (see schema.ts).
  const insertStmt = db.prepare(
    `INSERT INTO journal (type, terminal, chain_seq, key_id, uuid, invoice_no, created_at, header,
       body, body_hash, prev_hash, hash, signature)
     VALUES (@type, @terminal, @seq, @key_id, @uuid, @invoice_no, @time, @headerText, @bodyText,
       @body_hash, @prev_hash, @hash, @signature)`,
  );
  const insert = (signer: Signer, input: AppendInput, bodyText: string, clock: Clock) => {
    // Each terminal extends its own chain; the store's seq is the next row id.
    const head = toHead(headStmt.get(signer.terminal) as HeadRow | undefined);
    const active = head
      ? activeKeyId(lastStmt.get(signer.terminal, head.seq) as LastRow | undefined, head.seq)
      : signer.keyId;
    if (signer.keyId !== active) {
      throw new JournalError('WrongKey', `key ${signer.keyId} is not the active key ${active}`);
    }
    const signed = sign(signer, input, bodyText, head, clock.now());
    const { header, headerText, hash, signature } = signed;
    const { lastInsertRowid } = insertStmt.run({
      ...header,
      headerText,
      bodyText,
      hash,
      signature,
    });
    return { seq: Number(lastInsertRowid), ...signed };
  };
  return {
    db,
    append(signer, input, clock = systemClock) {
      // Everything that can fail on bad input is checked before the first write.
      checkInput(input);
      if (input.type === 'key_rotation') {
        // A rotation the verifier would reject would lock the till onto an unusable key.
        const target = rotationTarget(input.body, signer.terminal, signer.keyId);
        if (typeof target === 'string') throw new JournalError('InvalidRecord', target);
      }
      const bodyText = canonicalize(input.body);
      const write = () => insert(signer, input, bodyText, clock);
      return db.inTransaction ? write() : db.transaction(write).immediate();
    },
  };
}

/**
 * Appends one signed record. Synchronous; inside a caller's transaction it only adds statements
 * to it (so number, record, outbox row and stock commit or roll back together); outside one it
 * opens an IMMEDIATE transaction so reading the head and inserting cannot interleave with
 * another writer. Prepares its statements on each call: hot paths should hold a journalWriter.
 */
export function appendRecord(
  db: Database.Database,
  signer: Signer,
  input: AppendInput,
  clock: Clock = systemClock,
): JournalRecord {
  return journalWriter(db).append(signer, input, clock);
}

function sign(
  signer: Signer,
  input: AppendInput,
  bodyText: string,
  head: Head | null,
  now: number,
): Omit<JournalRecord, 'seq'> {
  const header: Header = {
    version: 1,
    alg: 'Ed25519',
    key_id: signer.keyId,
    terminal: signer.terminal,
    seq: (head?.seq ?? 0) + 1,
    type: input.type,
    invoice_no: input.invoice_no ?? null,
    uuid: input.uuid ?? uuidv7(now),
    time: isoTime(now),
    totals: input.totals ?? null,
    body_hash: sha256Hex(bodyText),
    prev_hash: head?.hash ?? GENESIS_PREV_HASH,
  };
  const headerText = canonicalize(header);
  return {
    header,
    headerText,
    bodyText,
    hash: sha256Hex(headerText),
    signature: signer.sign(Buffer.from(headerText)).toString('base64'),
  };
}

interface HeadRow {
  terminal: string;
  last_seq: number;
  last_hash: string;
}
interface LastRow {
  type: string;
  key_id: string;
  body: string;
}

const toHead = (row: HeadRow | undefined) =>
  row ? { terminal: row.terminal, seq: row.last_seq, hash: row.last_hash } : null;

/** readHead's statement per connection: every group commit asks, and preparing costs more than the read. */
const headStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * A terminal's journal_head row, as the owning connection sees it; null before its first
 * record. Without `terminal`, the store's only chain (JournalError WrongKey when it holds
 * several: the caller must say which).
 */
export function readHead(
  db: Database.Database,
  terminal?: string,
): (Head & { terminal: string }) | null {
  if (terminal !== undefined) {
    let stmt = headStatements.get(db);
    if (!stmt) {
      stmt = db.prepare(
        'SELECT terminal, last_seq, last_hash FROM journal_head WHERE terminal = ?',
      );
      headStatements.set(db, stmt);
    }
    return toHead(stmt.get(terminal) as HeadRow | undefined);
  }
  const rows = db
    .prepare('SELECT terminal, last_seq, last_hash FROM journal_head LIMIT 2')
    .all() as HeadRow[];
  if (rows.length > 1) {
    throw new JournalError('WrongKey', 'this journal holds several terminals: name one');
  }
  return toHead(rows[0]);
}

/** The key that must sign the record after `seq`: the new key once a rotation is recorded. */
function activeKeyId(row: LastRow | undefined, seq: number): string {
  if (!row) throw new JournalError('WrongKey', `journal_head points at missing seq ${seq}`);
  if (row.type !== 'key_rotation') return row.key_id;
  const body = readKeyRotationBody(row.body);
  if (typeof body === 'string') {
    throw new JournalError('WrongKey', `key_rotation at seq ${seq} is malformed: ${body}`);
  }
  return body.new_key_id;
}
