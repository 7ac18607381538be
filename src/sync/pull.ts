import type { Db } from '../store/db.js';
import { asText } from '../core/index.js';
import { Catalog } from '../store/catalog.js';
import { FirstLoad } from '../store/first-load.js';
import { docSchema, type PulledDoc } from '../store/erp-docs.js';
import { readAnswer } from '../erpnext/answers.js';
import type { ErpClient } from '../erpnext/client.js';
import { pullDeletedDocuments } from './deletions.js';
import { LoyaltySettlement } from './loyalty.js';
import { PageReader, type PageFetch, type PageHead } from './pages.js';
import { PULL_PLAN, type PullSpec, type Scope } from './plan.js';
import { pullScope } from './scope.js';
import { shiftSeconds, siteTime } from './site-time.js';

type ErpDoc = PulledDoc;

export interface PullProgress {
  readonly doctype: string;
  readonly done: number;
  /** From frappe.client.get_count at the start of the doctype; null when unknown. */
  readonly total: number | null;
}

interface PullOptions {
  readonly posProfile: string;
  /** Rows per page. */
  readonly pageSize?: number;
  /**
   * How far behind the last cursor an incremental pull starts again, in seconds: a document
   * saved by a transaction that began before the cursor but committed after it carries an
   * older `modified` and would otherwise be missed. Re-reading is harmless (upserts).
   */
  readonly lookbackSeconds?: number;
  readonly onProgress?: (p: PullProgress) => void;
  readonly now?: () => Date;
}

interface PullResult {
  readonly snapshot: number;
  readonly counts: Record<string, number>;
  readonly deleted: number;
  readonly first: boolean;
}

interface State {
  doctype: string;
  cursor_modified: string;
  cursor_name: string;
  deleted_cursor: string;
  complete: number;
}

/**
 * Pulls master data from ERPNext into the store, scoped by the POS Profile.
 *
 * The first pull writes straight to the live tables (nothing can sell before it completes);
 * later pulls stage their rows and publish them in one transaction, so a sale reads one
 * consistent snapshot. Each page is applied in one transaction together with its keyset cursor
 * (`modified`, `name`): a crash loses at most the page in flight and a rerun resumes.
 * No transaction is held across an HTTP request.
 */
export class Puller {
  /** The first pull's writes go through its FirstLoad's catalog (see run). */
  private catalog: Catalog;
  private readonly pageSize: number;
  private readonly pages: PageReader;
  private readonly lookback: number;
  private readonly fetched = new Map<string, Map<string, ErpDoc>>();
  /** System Settings' time zone, read by this run (timestamps are naive in it). */
  private siteTimeZone: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly erp: ErpClient,
    private readonly options: PullOptions,
  ) {
    this.catalog = new Catalog(db);
    this.pageSize = options.pageSize ?? 1000;
    this.pages = new PageReader(erp, this.pageSize);
    this.lookback = options.lookbackSeconds ?? 120;
  }

  async run(): Promise<PullResult> {
    const first = this.catalog.snapshotVersion() === 0;
    const counts: Record<string, number> = {};
    const started = (this.options.now ?? (() => new Date()))().toISOString();
    // Which pushed sales this pull will bring ERPNext's loyalty entries for (nothing is
    // pushed before the first pull).
    const loyalty = first ? null : new LoyaltySettlement(this.db);
    // Nothing can sell before the first pull completes, and each page commits with its cursor:
    // a power cut can only cost the last pages, which a rerun fetches again. So the first pull
    // loads in bulk (store/first-load.ts: no fsync per page, fewer checkpoints, the item search
    // index filled once at the end); the commit that completes it runs at the usual settings.
    const load = first ? new FirstLoad(this.db) : null;
    if (load) this.catalog = load.catalog;
    let deleted: number;
    try {
      for (const spec of PULL_PLAN) {
        counts[spec.doctype] = await this.pullDoctype(spec, first);
      }
      deleted = await this.pullDeletions(first);
      if (loyalty) deleted += await loyalty.rereadRewritten(this.erp, this.catalog);
    } finally {
      load?.end();
    }
    let snapshot: number;
    if (first) {
      snapshot = this.db.transaction(() => {
        this.db.prepare('UPDATE sync_state SET last_ok_at = ?').run(started);
        load?.complete();
        return this.catalog.bumpSnapshot();
      })();
    } else {
      this.db.prepare('UPDATE sync_state SET last_ok_at = ?').run(started);
      snapshot = loyalty
        ? loyalty.publish(() => this.catalog.publish(), started)
        : this.catalog.publish();
    }
    this.catalog.setMeta('last_pull_ok_at', started);
    return { snapshot, counts, deleted, first };
  }

  private state(doctype: string): State {
    this.db.prepare('INSERT OR IGNORE INTO sync_state (doctype) VALUES (?)').run(doctype);
    return this.db.prepare('SELECT * FROM sync_state WHERE doctype = ?').get(doctype) as State;
  }

  private async pullDoctype(spec: PullSpec, first: boolean): Promise<number> {
    const st = this.state(spec.doctype);
    const scope = this.scope();
    const signature = JSON.stringify(spec.filters(scope));
    // A change of scope (new price list, item groups) means rows before the cursor may now be
    // in scope: start that doctype over.
    const scopeKey = `scope:${spec.doctype}`;
    let cursorModified = st.cursor_modified;
    let cursorName = st.cursor_name;
    if (this.catalog.getMeta(scopeKey) !== signature) {
      cursorModified = '';
      cursorName = '';
    }
    if (!first && st.complete && cursorModified) {
      const from = this.rereadFrom(spec.doctype, cursorModified);
      if (from < cursorModified) {
        cursorModified = from;
        cursorName = '';
      }
    }
    // Before this doctype's first request: the server time of an earlier answer, so no earlier
    // than the moment this pull starts reading it.
    const startedAt = this.serverNow();
    this.db
      .prepare('UPDATE sync_state SET last_pull_at = ? WHERE doctype = ?')
      .run(new Date().toISOString(), spec.doctype);

    if (spec.single) {
      const doc = readAnswer(
        docSchema(spec.doctype),
        await this.erp.get(spec.doctype, spec.doctype),
        spec.doctype,
      );
      if (spec.doctype === 'System Settings') this.siteTimeZone = asText(doc['time_zone']);
      this.db.transaction(() => this.write(spec.doctype, doc, first))();
      this.remember(spec.doctype, doc);
      return 1;
    }

    const base = spec.filters(scope);
    const total = await this.erp.count(spec.doctype, base).catch(() => null);
    let done = 0;
    this.options.onProgress?.({ doctype: spec.doctype, done, total });
    // One page ahead: the next page is asked for as soon as this one's cursor is known, so
    // ERPNext answers it while this page is written (the two overlap instead of alternating).
    let current: PageFetch | null = this.pages.fetchPage(spec, base, cursorModified, cursorName);
    while (current) {
      const head: PageHead = await current.head;
      const next: PageFetch | null =
        head.rows.length === this.pageSize
          ? this.pages.fetchPage(spec, base, head.modified, head.name)
          : null;
      const docs = await current.docs;
      if (docs.length === 0) break;
      // Let the next page's requests go out before the synchronous write below.
      if (next) await new Promise<void>((resolve) => setImmediate(resolve));
      cursorModified = head.modified;
      cursorName = head.name;
      this.db.transaction(() => {
        for (const d of docs) this.write(spec.doctype, d, first);
        this.db
          .prepare('UPDATE sync_state SET cursor_modified = ?, cursor_name = ? WHERE doctype = ?')
          .run(cursorModified, cursorName, spec.doctype);
        this.catalog.setMeta(scopeKey, signature);
      })();
      for (const d of docs) this.remember(spec.doctype, d);
      done += docs.length;
      this.options.onProgress?.({ doctype: spec.doctype, done, total });
      current = next;
    }
    this.db.transaction(() => {
      this.catalog.setMeta(scopeKey, signature);
      this.catalog.setMeta(`pull_start:${spec.doctype}`, startedAt ?? '');
      this.db.prepare('UPDATE sync_state SET complete = 1 WHERE doctype = ?').run(spec.doctype);
    })();
    return done;
  }

  private write(doctype: string, doc: ErpDoc, first: boolean): void {
    if (first) this.catalog.apply(doctype, doc);
    else this.catalog.stage(doctype, String(doc['name']), doc);
  }

  /**
   * Where an incremental pull must start reading again, at the latest: rows committed after the
   * last pull started carry a `modified` (a `creation` for deletions) no earlier than that start
   * less the longest transaction (`lookback`), and every row committed before it was read then.
   * So the window before the cursor is read again only when the last pull started within
   * `lookback` of the cursor, not on every pull: a catalog imported in one burst is not fetched
   * again and again. Without the last start's server time (no `Date` header), the cursor less
   * `lookback`.
   */
  private rereadFrom(doctype: string, cursor: string): string {
    const start = this.catalog.getMeta(`pull_start:${doctype}`);
    return shiftSeconds(start || cursor, -this.lookback);
  }

  /** The server's time in the site's time zone, as `modified` reads; null when unknown. */
  private serverNow(): string | null {
    const at = this.erp.serverTime?.() ?? null;
    const zone = this.siteZone();
    return at && zone ? siteTime(at, zone) : null;
  }

  private siteZone(): string | null {
    const zone = this.siteTimeZone;
    return zone && zone.length > 0 ? zone : null;
  }

  /** Deleted Document rows for the pulled doctypes since the last pull. */
  private async pullDeletions(first: boolean): Promise<number> {
    const st = this.state('Deleted Document');
    let from = st.deleted_cursor ? this.rereadFrom('Deleted Document', st.deleted_cursor) : '';
    if (from > st.deleted_cursor) from = st.deleted_cursor;
    const startedAt = this.serverNow();
    const n = await pullDeletedDocuments(
      { db: this.db, erp: this.erp, catalog: this.catalog, pageSize: this.pageSize },
      from,
      first,
    );
    this.catalog.setMeta('pull_start:Deleted Document', startedAt ?? '');
    return n;
  }

  private remember(doctype: string, doc: ErpDoc): void {
    if (
      !['POS Profile', 'Item Group', 'Customer Group', 'Price List', 'Customer'].includes(doctype)
    )
      return;
    if (doctype === 'Customer' && !doc['default_price_list']) return;
    let m = this.fetched.get(doctype);
    if (!m) this.fetched.set(doctype, (m = new Map<string, ErpDoc>()));
    m.set(String(doc['name']), doc);
  }

  /** The pull scope from the POS Profile and the trees, fetched this run or already stored. */
  scope(): Scope {
    return pullScope(this.db, this.fetched, this.options.posProfile);
  }
}
