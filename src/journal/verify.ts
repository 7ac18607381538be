import Database from 'better-sqlite3';
import { analyzeChain } from './chain.js';
import type { RawRecord } from './inspect.js';
import type { Anchor, VerifyOptions, VerifyResult } from './problems.js';
import { ProblemList } from './problems.js';
import { JOURNAL_TRIGGERS } from './schema.js';

/**
 * The columns the verifier reads, the chain's seq as `seq`: a database made before several
 * terminals has no chain_seq (its seq was the one chain's).
 */
const selectColumns = (hasChainSeq: boolean) =>
  `${hasChainSeq ? 'chain_seq' : 'seq'} AS seq, type, terminal, key_id, uuid, invoice_no,
   created_at, header, body, body_hash, prev_hash, hash, signature`;

/**
 * Verifies a terminal's journal (`options.terminal`'s chain; without it, every record, which
 * must then form one chain): every record's hashes and signature, the seq run, the hash
 * chain, and the end of the chain against `expectedHead` and the journal_head row.
 *
 * Given a database, it reads raw rows with plain SELECTs and trusts nothing it reads: not the
 * hash columns, not the head row (a witness to compare, not a truth), not the triggers (their
 * absence is itself reported). Prefer verifyJournalFile, which uses a fresh read-only connection.
 */
export function verifyJournal(
  source: Database.Database | readonly RawRecord[],
  options: VerifyOptions,
): VerifyResult {
  const problems = new ProblemList();
  const anchors: Anchor[] = [];
  if (options.expectedHead) {
    anchors.push({ ...options.expectedHead, source: 'the expected head', exact: false });
  }
  const raws = Array.isArray(source)
    ? (source as readonly RawRecord[])
    : readDatabase(source as Database.Database, options, anchors, problems);
  const head = analyzeChain(raws, options, anchors, problems);
  const list = problems.sorted();
  return { ok: list.length === 0, problems: list, count: raws.length, head };
}

/** Opens `path` read-only on its own connection and verifies it. */
export function verifyJournalFile(path: string, options: VerifyOptions): VerifyResult {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return verifyJournal(db, options);
  } finally {
    db.close();
  }
}

/** The chain's rows in storage order (the store's seq), one terminal's when named. */
function journalRows(db: Database.Database, terminal: string | undefined): RawRecord[] {
  const hasChainSeq = db
    .prepare("SELECT 1 FROM pragma_table_info('journal') WHERE name = 'chain_seq'")
    .get();
  const columns = selectColumns(hasChainSeq !== undefined);
  return (
    terminal === undefined
      ? db.prepare(`SELECT ${columns} FROM journal ORDER BY rowid`).all()
      : db.prepare(`SELECT ${columns} FROM journal WHERE terminal = ? ORDER BY rowid`).all(terminal)
  ) as RawRecord[];
}

/**
 * A terminal's records are stored in chain order (the store's seq rises with the chain's): a
 * store seq moved or swapped would point a sale's index row at another record.
 */
function storageOrder(rows: readonly RawRecord[], problems: ProblemList): void {
  const last = new Map<unknown, number>();
  for (const row of rows) {
    if (typeof row.seq !== 'number') continue;
    const before = last.get(row.terminal);
    if (before !== undefined && row.seq <= before) {
      problems.add('REORDERED', row.seq, `record ${row.seq} is stored after record ${before}`);
    }
    last.set(row.terminal, row.seq);
  }
}

function readDatabase(
  db: Database.Database,
  options: VerifyOptions,
  anchors: Anchor[],
  problems: ProblemList,
): RawRecord[] {
  const read = (): RawRecord[] => {
    const schema = db.prepare('SELECT type, name FROM sqlite_master').all() as {
      type: string;
      name: string;
    }[];
    const has = (type: string, name: string) =>
      schema.some((s) => s.type === type && s.name === name);
    for (const trigger of JOURNAL_TRIGGERS) {
      if (!has('trigger', trigger)) {
        problems.add('ALTERED', null, `the protective trigger ${trigger} is missing`);
      }
    }
    const rows = has('table', 'journal') ? journalRows(db, options.terminal) : [];
    storageOrder(rows, problems);
    if (!has('table', 'journal')) problems.add('ALTERED', null, 'the journal table is missing');
    if (has('table', 'journal_head')) {
      headRowAnchor(db, rows.length, anchors, problems, options.terminal);
    } else problems.add('ALTERED', null, 'the journal_head table is missing');
    return rows;
  };
  // One read transaction: records and head row from the same snapshot.
  return db.inTransaction ? read() : db.transaction(read)();
}

function headRowAnchor(
  db: Database.Database,
  records: number,
  anchors: Anchor[],
  problems: ProblemList,
  terminal: string | undefined,
): void {
  const rows = (
    terminal === undefined
      ? db.prepare('SELECT * FROM journal_head').all()
      : db.prepare('SELECT * FROM journal_head WHERE terminal = ?').all(terminal)
  ) as RawRecord[];
  if (rows.length > 1) problems.add('ALTERED', null, 'journal_head has several rows');
  const row = rows[0];
  if (!row) {
    if (records > 0) problems.add('ALTERED', null, 'the journal_head row is missing');
    return;
  }
  if (typeof row.last_seq !== 'number' || typeof row.last_hash !== 'string') {
    problems.add('ALTERED', null, 'the journal_head row is malformed');
    return;
  }
  anchors.push({
    seq: row.last_seq,
    hash: row.last_hash,
    source: 'the journal_head row',
    exact: true,
  });
}
