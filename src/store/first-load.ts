import { Catalog } from './catalog.js';
import type { Db } from './db.js';
import { fillItemSearch } from './item-search.js';

/**
 * The first pull's bulk load into the live tables, which nothing reads before it completes
 * (nothing sells before the first pull). The loader writes each page in its own transaction,
 * as always, so a crash costs at most the page in flight and a rerun resumes; what changes is
 * what a page does not pay for:
 *
 * - no fsync per commit (`synchronous = NORMAL`) and a WAL checkpoint every 64 MiB rather than
 *   every 4 MiB (pages rewritten by many batches are copied once): a power cut can only cost
 *   the last pages, which the rerun fetches again;
 * - a 64 MiB page cache, so the growing B-trees' inner pages stay in memory;
 * - no item search rows per item: `complete()` fills the index once, in the loader's final
 *   transaction (the one that marks the pull done), so no reader ever sees it half filled.
 *
 * `end()` restores the connection's settings (call it in a `finally`), before the final
 * transaction: the commit that completes the load runs at the store's usual durability.
 */
export class FirstLoad {
  readonly catalog: Catalog;
  private readonly saved: { sync: number; checkpoint: number; cache: number };

  constructor(private readonly db: Db) {
    this.catalog = new Catalog(db, { deferItemSearch: true });
    this.saved = {
      sync: db.pragma('synchronous', { simple: true }) as number,
      checkpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number,
      cache: db.pragma('cache_size', { simple: true }) as number,
    };
    if (this.saved.sync > 1) db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('cache_size = -65536');
  }

  /** Fills the item search index from the loaded items, inside the final transaction. */
  complete(): number {
    if (!this.db.inTransaction) throw new Error('FirstLoad.complete() runs inside a transaction');
    return fillItemSearch(this.db);
  }

  /** Puts the connection's durability, checkpoint and cache settings back. */
  end(): void {
    this.db.pragma(`synchronous = ${this.saved.sync}`);
    this.db.pragma(`wal_autocheckpoint = ${this.saved.checkpoint}`);
    this.db.pragma(`cache_size = ${this.saved.cache}`);
  }
}
