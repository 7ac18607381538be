import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

interface OpenOptions {
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the store database and brings its schema up to date.
 * WAL lets cashier reads run while a pull writes; synchronous=FULL because a committed sale must
 * survive a power cut (WAL + FULL fsyncs the log on every commit).
 */
export function openStore(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // 16 MiB page cache: hot B-tree pages of a 1M-item catalog stay in memory within the RSS budget.
    db.pragma('cache_size = -16000');
    migrate(db);
  }
  return db;
}
