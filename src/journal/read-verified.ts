import type { KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { GENESIS_PREV_HASH, sha256Hex } from './digest.js';
import { JournalError } from './errors.js';
import type { RawRecord } from './inspect.js';
import { inspect } from './inspect.js';
import type { JournalRecord } from './journal.js';
import { ProblemList } from './problems.js';
import { parseHeader } from './record.js';
import { checkSignatures } from './signatures.js';

/** A record whose hashes, signature and links to its neighbours were checked on reading. */
export interface VerifiedRecord extends JournalRecord {
  /** The parsed body, as hashed into the signed header. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** Where to find the record, and the keys that may have signed it. */
export interface VerifiedRead {
  /** The terminal's registered keys by key_id (as for verifyJournal). */
  readonly publicKeys: ReadonlyMap<string, KeyObject | string>;
  /** When given, the record must belong to this terminal (unless `keysOf` is). */
  readonly terminal?: string;
  /**
   * A store node's other terminals' keys: a record of another terminal than `terminal` (or of
   * any, without `terminal`) is checked under its own terminal's keys instead of `publicKeys`.
   */
  readonly keysOf?: (terminal: string) => ReadonlyMap<string, KeyObject | string>;
}

const ROW = 'SELECT * FROM journal WHERE seq = ?';
/** A record's neighbour in its own terminal's chain. */
const IN_CHAIN = 'SELECT * FROM journal WHERE terminal = ? AND chain_seq = ?';

/**
 * The record at the store's `seq`, checked before anything prints, refunds or pushes it. Throws
 * JournalError `Tampered` naming the seq when the record is missing, does not match its own
 * hashes or stored columns, is not signed by a registered key, or is not linked to the records
 * either side of it (a record edited with its hashes recomputed breaks the next one's
 * prev_hash). This is the verifier's per-record check (inspect, checkSignatures) plus the two
 * neighbouring links, not a walk of the whole chain: `outpost verify` does that.
 */
export function readVerifiedRecord(
  db: Database.Database,
  seq: number,
  options: VerifiedRead,
): VerifiedRecord {
  const raw = db.prepare(ROW).get(seq) as RawRecord | undefined;
  if (!raw) throw tampered(seq, ['MISSING: the journal has no record at this seq']);
  return verifyRow(db, raw, seq, options);
}

/** The record with this invoice number, checked as readVerifiedRecord does; null if none. */
export function readVerifiedRecordByInvoiceNo(
  db: Database.Database,
  invoiceNo: string,
  options: VerifiedRead,
): VerifiedRecord | null {
  const raw = db.prepare('SELECT * FROM journal WHERE invoice_no = ?').get(invoiceNo) as
    RawRecord | undefined;
  if (!raw) return null;
  const seq = typeof raw['seq'] === 'number' ? raw['seq'] : 0;
  return verifyRow(db, raw, seq, options);
}

function verifyRow(
  db: Database.Database,
  raw: RawRecord,
  seq: number,
  options: VerifiedRead,
): VerifiedRecord {
  const problems = new ProblemList();
  const entry = inspect(raw, 0, problems);
  const owner = typeof raw['terminal'] === 'string' ? raw['terminal'] : '';
  const keys =
    options.keysOf && owner !== options.terminal ? options.keysOf(owner) : options.publicKeys;
  const signed = checkSignatures([entry], keys, problems);
  const { header, headerText, hash, body } = entry;
  const found = problems.sorted().map((p) => `${p.code}: ${p.detail}`);
  if (!header || !headerText || !hash || !body || !entry.intact || !signed.has(entry)) {
    throw tampered(seq, found.length > 0 ? found : ['ALTERED: the record is not intact']);
  }
  const chainSeq = raw['chain_seq'];
  if (header.seq !== chainSeq) {
    found.push(`REORDERED: record ${header.seq} is stored at seq ${String(chainSeq)} of its chain`);
  }
  if (options.terminal !== undefined && !options.keysOf && header.terminal !== options.terminal) {
    found.push(`ALTERED: record of terminal ${header.terminal}`);
  }
  found.push(...linkProblems(db, seq, header.terminal, header.seq, header.prev_hash, hash));
  if (found.length > 0) throw tampered(seq, found);
  return {
    seq,
    header,
    headerText,
    bodyText: raw['body'] as string,
    hash,
    signature: raw['signature'] as string,
    body,
  };
}

/**
 * The record must name its predecessor's hash, and its successor (if any) must name its own:
 * its neighbours in its terminal's chain (`seq` here is the chain's).
 */
function linkProblems(
  db: Database.Database,
  storeSeq: number,
  terminal: string,
  seq: number,
  prevHash: string,
  hash: string,
): string[] {
  const out: string[] = [];
  const at = db.prepare(IN_CHAIN);
  if (seq === 1) {
    if (prevHash !== GENESIS_PREV_HASH) out.push('FORK: the first record does not start a chain');
  } else {
    const before = at.get(terminal, seq - 1) as RawRecord | undefined;
    if (before && typeof before['seq'] === 'number' && before['seq'] >= storeSeq) {
      out.push(`REORDERED: seq ${seq - 1} of its chain is stored after it`);
    }
    if (!before) out.push(`MISSING: seq ${seq - 1} before it is missing`);
    else if (typeof before['header'] !== 'string' || sha256Hex(before['header']) !== prevHash) {
      out.push(`ALTERED: it is not chained to the record stored at seq ${seq - 1}`);
    }
  }
  const after = at.get(terminal, seq + 1) as RawRecord | undefined;
  if (after && typeof after['seq'] === 'number' && after['seq'] <= storeSeq) {
    out.push(`REORDERED: seq ${seq + 1} of its chain is stored before it`);
  }
  if (after) {
    const next = typeof after['header'] === 'string' ? headerOf(after['header']) : null;
    if (next?.prev_hash !== hash) {
      out.push(`ALTERED: the record stored at seq ${seq + 1} is not chained to it`);
    }
  } else if (
    db
      .prepare('SELECT 1 FROM journal WHERE terminal = ? AND chain_seq > ? LIMIT 1')
      .get(terminal, seq)
  ) {
    out.push(`MISSING: seq ${seq + 1} after it is missing`);
  }
  return out;
}

function headerOf(text: string) {
  try {
    const h = parseHeader(JSON.parse(text));
    return typeof h === 'string' ? null : h;
  } catch {
    return null;
  }
}

const tampered = (seq: number, problems: readonly string[]) =>
  new JournalError('Tampered', `journal seq ${seq} fails verification: ${problems.join('; ')}`, {
    seq,
  });
