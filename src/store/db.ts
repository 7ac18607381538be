import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/** better-sqlite3's error (its `code` is SQLite's, e.g. SQLITE_FULL), for the CLI's edge. */
export const SqliteError = Database.SqliteError;

/** Why a store database cannot be used as asked; `field` is its path. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: 'NotReady' | 'StoreDamaged' | 'ReadOnly',
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

interface OpenOptions {
  /** Open an existing store read-only; nothing is written, not even on read-only media. */
  readonly readonly?: boolean;
  /**
   * Refuse a missing or empty file instead of creating a store: only setting up a store may
   * create one, or a deleted or truncated store.db would silently become an empty store.
   */
  readonly mustExist?: boolean;
}

/**
 * Opens the store database and brings its schema up to date, creating it (mode 0600: it holds
 * PIN hashes and customers' contacts) unless `mustExist`.
 * WAL lets cashier reads run while a pull writes; synchronous=FULL because a committed sale must
 * survive a power cut (WAL + FULL fsyncs the log on every commit).
 */
export function openStore(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) return openReadOnly(path);
  if (options.mustExist) mustBeAStore(path);
  else if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  // SQLite gives store.db-wal and -shm the mode of store.db, so they are private too.
  const db = new Database(path, { fileMustExist: options.mustExist ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // 16 MiB page cache: hot B-tree pages of a 1M-item catalog stay in memory within the RSS budget.
    db.pragma('cache_size = -16000');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function mustBeAStore(path: string): void {
  if (!existsSync(path)) {
    throw new StoreError('NotReady', `no store at ${path}; run outpost init`, path);
  }
  // SQLite takes an empty file for an empty database: a store cut to 0 bytes would sell on.
  if (statSync(path).size === 0) {
    throw new StoreError(
      'StoreDamaged',
      `${path} is empty (truncated?); restore it from a backup or run outpost init again`,
      path,
    );
  }
}

/**
 * A read-only connection for commands that only look (verify, export, status, item), so an
 * auditor can check a backup on read-only media. SQLite cannot open a WAL database read-only
 * there (or on a full disk) when store.db-shm does not exist (it cannot create it), and this build takes no URI
 * (`immutable=1`); then the file is read into memory and opened from there, marked as a rollback
 * journal database in the private copy (header bytes 18–19; see sqlite.org/fileformat.html).
 */
function openReadOnly(path: string): Db {
  mustBeAStore(path);
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (e) {
    db?.close();
    // No -shm and no room or right to make one: read-only media, a full disk.
    const noShm =
      e instanceof SqliteError &&
      (e.code === 'SQLITE_CANTOPEN' ||
        e.code.startsWith('SQLITE_READONLY') ||
        e.code.startsWith('SQLITE_IOERR_SHM'));
    if (!noShm) throw e;
  }
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new StoreError(
      'ReadOnly',
      `${wal} holds commits not yet in ${path} and cannot be read on this read-only media; copy the store directory to writable media`,
      path,
    );
  }
  const image = readFileSync(path);
  if (image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  return new Database(image, { readonly: true });
}
