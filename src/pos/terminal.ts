import type { KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import type {
  Clock,
  JournalRecord,
  JournalWriter,
  TerminalKey,
  AppendInput,
} from '../journal/index.js';
import {
  journalWriter,
  readHead,
  readHeadFile,
  signHead,
  systemClock,
  writeHeadFile,
} from '../journal/index.js';
import { zonedTime } from '../core/index.js';
import type { Db } from '../store/db.js';
import { Lookup } from '../store/lookup.js';
import { StoreMaster } from '../store/master.js';
import { z } from 'zod';
import { PosError } from './errors.js';
import { parseStored } from './journal-reads.js';
import type { PosSettings } from './settings.js';
import { str } from './fields.js';

type Rec = Record<string, unknown>;

interface TerminalOptions {
  readonly db: Db;
  readonly key: TerminalKey;
  readonly settings: PosSettings;
  /** The POS Profile this store sells under (its document is in the pulled cache). */
  readonly posProfile: string;
  /** head.json: the signed copy of the chain's head kept outside the database. */
  readonly headPath: string;
  /** Every key this terminal has signed with, by key_id (for checking head.json). */
  readonly publicKeys: ReadonlyMap<string, KeyObject | string>;
  /**
   * The keys of the store's other terminals, to read their records (a return here of a sale
   * made at another till); none by default.
   */
  readonly keysOf?: (terminal: string) => ReadonlyMap<string, KeyObject | string>;
  readonly clock?: Clock;
}

/** A pulled document: a JSON object (its fields are read, and checked, where they are used). */
const docSchema = z.record(z.string(), z.unknown());

/** head.json is rewritten in place as one sector: signed compact JSON, space-padded. */
const HEAD_BYTES = 512;

/** Local wall time in the site's time zone. */
export interface LocalTime {
  readonly date: string;
  readonly time: string;
  /** ISO 8601 with the zone's offset, e.g. 2026-11-27T09:03:12-05:00. */
  readonly iso: string;
  readonly year: string;
}

/** A transaction's handle: appends journal records that commit with everything else. */
export interface Tx {
  append(input: AppendInput): JournalRecord;
}

/**
 * One till on one store database: its key, its rules, its reads of the pulled master data, and
 * the one way to write (transact), which commits journal records with the state they explain.
 */
export class Terminal {
  readonly db: Db;
  readonly key: TerminalKey;
  readonly settings: PosSettings;
  readonly clock: Clock;
  readonly master: StoreMaster;
  readonly lookup: Lookup;
  readonly posProfile: string;
  private readonly writer: JournalWriter;
  private readonly headPath: string;
  /** Every key this terminal has signed with: journal records read back are checked with them. */
  readonly publicKeys: ReadonlyMap<string, KeyObject | string>;
  private readonly otherKeys: (terminal: string) => ReadonlyMap<string, KeyObject | string>;
  private readonly docStmt;
  private readonly stateGet;
  private readonly stateSet;
  private readonly localGet;
  private readonly localSet;
  private readonly snapshotStmt;
  private readonly contactStmt;
  /** Parsed small documents (profile, company, settings) of the current snapshot. */
  private docCache = new Map<string, Rec | undefined>();
  private readonly statements = new Map<string, Database.Statement>();
  private cachedSnapshot = -1;
  /** What head.json says, read once and then kept in step by this process. */
  private anchored: { seq: number; hash: string } | 'missing' | 'unreadable' | null = null;
  /** The last failure to write head.json (the sale had committed; the anchor lags). */
  lastAnchorError: Error | null = null;
  private headFd: number | null = null;
  /** The transaction `transact` has open, so that a nested call joins it. */
  private openTx: Tx | null = null;

  constructor(o: TerminalOptions) {
    this.db = o.db;
    this.key = o.key;
    this.settings = o.settings;
    this.clock = o.clock ?? systemClock;
    this.posProfile = o.posProfile;
    this.headPath = o.headPath;
    this.publicKeys = o.publicKeys;
    this.otherKeys = o.keysOf ?? (() => new Map());
    this.writer = journalWriter(o.db);
    this.master = new StoreMaster(o.db);
    this.lookup = new Lookup(o.db);
    this.docStmt = o.db.prepare('SELECT data FROM doc WHERE doctype = ? AND name = ?').pluck();
    this.stateGet = o.db.prepare('SELECT value FROM terminal_state WHERE key = ?').pluck();
    this.localGet = o.db
      .prepare('SELECT value FROM terminal_local WHERE terminal = ? AND key = ?')
      .pluck();
    this.localSet = o.db.prepare(
      `INSERT INTO terminal_local (terminal, key, value) VALUES (?, ?, ?)
       ON CONFLICT (terminal, key) DO UPDATE SET value = excluded.value`,
    );
    this.stateSet = o.db.prepare(
      'INSERT INTO terminal_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.snapshotStmt = o.db
      .prepare("SELECT value FROM meta WHERE key = 'snapshot_version'")
      .pluck();
    // The last time ERPNext answered: a pull, or the sync's connectivity ping (the same notion
    // the ConnectivityMonitor has of online). ISO texts in UTC compare in time order.
    this.contactStmt = o.db
      .prepare(
        `SELECT max(t) FROM (SELECT max(last_ok_at) AS t FROM sync_state WHERE last_ok_at != ''
         UNION ALL SELECT value FROM terminal_state WHERE key = 'erp_last_answer_at')`,
      )
      .pluck();
  }

  /** The registered keys of `terminal`: this one's, or another of the store's. */
  keysOf(terminal: string): ReadonlyMap<string, KeyObject | string> {
    return terminal === this.key.terminal ? this.publicKeys : this.otherKeys(terminal);
  }

  /** A statement prepared once per connection (preparing costs more than most executions). */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * A pulled document, or undefined. Parsed once per snapshot (a pull publishes a new one);
   * callers must not mutate it.
   */
  doc(doctype: string, name: string): Rec | undefined {
    const snapshot = this.snapshotVersion();
    if (snapshot !== this.cachedSnapshot) {
      this.docCache = new Map();
      this.cachedSnapshot = snapshot;
    }
    const key = `${doctype}\u0000${name}`;
    if (this.docCache.has(key)) return this.docCache.get(key);
    const text = this.docStmt.get(doctype, name) as string | undefined;
    const doc = text === undefined ? undefined : parseStored(docSchema, text, `${doctype} ${name}`);
    // Only the small, hot documents: items and customers change per cart.
    if (doctype !== 'Item' && doctype !== 'Customer') this.docCache.set(key, doc);
    return doc;
  }

  /** The pulled snapshot the store sells on now (a pull publishes a new one). */
  snapshotVersion(): number {
    return Number(this.snapshotStmt.get() ?? 0);
  }

  /** The POS Profile document; NotReady when the store has not pulled it. */
  profile(): Rec {
    const p = this.doc('POS Profile', this.posProfile);
    if (!p) {
      throw new PosError(
        'NotReady',
        `POS Profile ${this.posProfile} is not in the local store: run \`outpost sync --pull --once\``,
      );
    }
    return p;
  }

  company(): Rec {
    const name = str(this.profile()['company']);
    return this.doc('Company', name) ?? { name };
  }

  /** The site's time zone (System Settings), else the machine's. */
  timeZone(): string {
    const tz = this.doc('System Settings', 'System Settings')?.['time_zone'];
    return typeof tz === 'string' && tz ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  localTime(ms: number = this.clock.now()): LocalTime {
    const { date, time, offset } = zonedTime(ms, this.timeZone());
    return { date, time, iso: `${date}T${time}${offset}`, year: date.slice(0, 4) };
  }

  state(key: string): string | undefined {
    return this.stateGet.get(key) as string | undefined;
  }

  setState(key: string, value: string): void {
    this.stateSet.run(key, value);
  }

  /** This terminal's name: its chain's, and the {terminal} of its invoice series. */
  get name(): string {
    return this.key.terminal;
  }

  /** A fact of this terminal alone (its logged-in cashier), where state() is the store's. */
  localState(key: string): string | undefined {
    return this.localGet.get(this.key.terminal, key) as string | undefined;
  }

  setLocalState(key: string, value: string): void {
    this.localSet.run(this.key.terminal, key, value);
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction: its journal records, numbers, outbox rows and stock
   * commit together or not at all. After the commit the signed head.json moves forward.
   *
   * Before anything is written the database must not be behind head.json (an older copy put
   * back, a cut tail): the till then refuses to sell rather than overwrite the evidence. A
   * missing or unreadable head.json is recorded in the chain (anchor_missing) before the file is
   * written again, so `outpost verify` reports the gap.
   *
   * Called again from inside `fn`, it joins the open transaction (an exchange is a return and a
   * sale that commit together).
   */
  transact<T>(fn: (tx: Tx) => T): T {
    if (this.openTx) return fn(this.openTx);
    const { result, last } = this.db.transaction(() => this.writeStep(fn, true)).immediate();
    if (last) this.committed(last);
    return result;
  }

  /**
   * Runs `fn` inside a write the caller holds open (a group commit's savepoint, or transact's
   * own transaction): checks the database against head.json first unless `checkAnchor` is
   * false (an earlier step of the same open write already did, and moved the head since).
   * Returns the last record appended: the caller passes it to `committed` once the write is
   * durable, never before (head.json must not run ahead of a commit that may still fail).
   */
  writeStep<T>(fn: (tx: Tx) => T, checkAnchor: boolean): { result: T; last: JournalRecord | null } {
    if (!this.db.inTransaction) throw new Error('writeStep: no write is open');
    let last: JournalRecord | null = null;
    const tx: Tx = {
      append: (input) => {
        last = this.writer.append(this.key, input, this.clock);
        return last;
      },
    };
    if (checkAnchor) this.checkAnchor(tx);
    this.openTx = tx;
    try {
      return { result: fn(tx), last };
    } finally {
      this.openTx = null;
    }
  }

  /**
   * After the commit that holds `record`: head.json moves to it (once per commit is enough).
   * Never back: a group commit settles after its flush, when a direct write may have moved
   * the head past it already.
   */
  committed(record: JournalRecord): void {
    const at = this.anchored;
    if (typeof at === 'object' && at !== null && record.header.seq <= at.seq) return;
    this.advanceHead(record);
  }

  /**
   * The database must not be behind head.json (an older copy put back, a cut tail): the till
   * then refuses to sell rather than overwrite the evidence. A missing or unreadable head.json
   * is recorded in the chain (anchor_missing) before the file is written again.
   */
  private checkAnchor(tx: Tx): void {
    const anchored = this.readAnchor();
    const head = readHead(this.db, this.key.terminal);
    if (typeof anchored === 'object' && anchored !== null) {
      const behind = !head || head.seq < anchored.seq;
      const forked = head?.seq === anchored.seq && head.hash !== anchored.hash;
      if (behind || forked) {
        throw new PosError(
          'NotReady',
          `the journal ends at seq ${head?.seq ?? 0} but head.json is at seq ${anchored.seq}: this database was restored or cut. Selling is stopped; run \`outpost verify\``,
        );
      }
    } else if (head && anchored !== null) {
      tx.append({
        type: 'event',
        body: { event: 'anchor_missing', file: 'head.json', reason: anchored, head_seq: head.seq },
      });
    }
  }

  /** Appends one record in its own transaction (a failed login must stay journaled). */
  appendAlone(input: AppendInput): JournalRecord {
    return this.transact((tx) => tx.append(input));
  }

  /** head.json as last read or written by this process (read from disk the first time). */
  private readAnchor(): { seq: number; hash: string } | 'missing' | 'unreadable' | null {
    if (this.anchored !== null && typeof this.anchored === 'object') return this.anchored;
    if (!existsSync(this.headPath)) {
      this.anchored = 'missing';
      return readHead(this.db, this.key.terminal) ? 'missing' : null;
    }
    try {
      const h = readHeadFile(this.headPath, this.publicKeys);
      this.anchored = { seq: h.seq, hash: h.hash };
    } catch {
      this.anchored = 'unreadable';
    }
    return this.anchored;
  }

  /**
   * Moves head.json to the new record, signed, without an fsync (a second disk flush per sale
   * would halve the till's speed; after a power cut the file may lag the database, which an
   * anchor may). The first write creates the file atomically (temp file + rename); later ones
   * overwrite it in place through a kept descriptor, compact JSON padded to one 512-byte
   * sector, so a write is one sector and a reader never sees half of it. A failed write leaves
   * the sale committed and is kept in lastAnchorError.
   */
  private advanceHead(record: JournalRecord): void {
    try {
      const head = signHead(this.key, { seq: record.header.seq, hash: record.hash }, this.clock);
      const text = JSON.stringify(head);
      if (text.length >= HEAD_BYTES) throw new Error(`head.json: ${text.length} bytes`);
      if (this.headFd === null) {
        writeHeadFile(this.headPath, head, { fsync: false });
        this.headFd = openSync(this.headPath, 'r+');
      } else {
        writeSync(this.headFd, text.padEnd(HEAD_BYTES - 1, ' ') + '\n', 0);
      }
      this.anchored = { seq: record.header.seq, hash: record.hash };
      this.lastAnchorError = null;
    } catch (e) {
      this.lastAnchorError = e instanceof Error ? e : new Error(String(e));
    }
  }

  /** Releases the head file (the database is the caller's to close). */
  close(): void {
    if (this.headFd !== null) closeSync(this.headFd);
    this.headFd = null;
  }

  /** When ERPNext last answered (a pull or a ping), and whether that is recent enough to count as online. */
  connectivity(): { lastContact: string | null; online: boolean; hoursSince: number | null } {
    const last = this.contactStmt.get() as string | null;
    // A manager may force the till offline (a flapping link): it then sells by offline rules.
    const forced = this.state('forced_offline_until');
    const isForced = forced !== undefined && Date.parse(forced) > this.clock.now();
    if (!last) return { lastContact: null, online: false, hoursSince: null };
    const since = this.clock.now() - Date.parse(last);
    return {
      lastContact: last,
      online: !isForced && since <= this.settings.offline.onlineWindowMinutes * 60_000,
      hoursSince: since / 3_600_000,
    };
  }
}
