import { z } from 'zod';
import type { Db } from '../store/db.js';
import { asText, parseJsonWith, zonedTime } from '../core/index.js';
import { Catalog } from '../store/catalog.js';
import {
  ChildRowSchema,
  CustomerGroupSchema,
  CustomerSchema,
  DeletedRowSchema,
  ItemGroupSchema,
  ListRowSchema,
  PosProfileSchema,
  docSchema,
  type PulledDoc,
} from '../store/erp-docs.js';
import { readAnswer } from '../erpnext/answers.js';
import type { ErpClient, Filter } from '../erpnext/client.js';
import { PULL_PLAN, type PullSpec, type Scope } from './plan.js';

type ErpDoc = PulledDoc;
type ListRow = z.output<typeof ListRowSchema>;

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

interface PageHead {
  readonly rows: ListRow[];
  /** The cursor after this page. */
  readonly modified: string;
  readonly name: string;
}

interface PageFetch {
  readonly head: Promise<PageHead>;
  readonly docs: Promise<ErpDoc[]>;
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
  private readonly catalog: Catalog;
  private readonly pageSize: number;
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
    this.lookback = options.lookbackSeconds ?? 120;
  }

  async run(): Promise<PullResult> {
    const first = this.catalog.snapshotVersion() === 0;
    const counts: Record<string, number> = {};
    const started = (this.options.now ?? (() => new Date()))().toISOString();
    // Nothing can sell before the first pull completes, and each page commits with its cursor:
    // a power cut can only cost the last pages, which a rerun fetches again. So the first pull
    // skips the per-commit fsync and checkpoints the WAL every 64 MiB rather than every 4 MiB
    // (pages rewritten by many batches, such as the search index's, are copied once); the
    // commit that completes it runs at the store's usual settings.
    const saved = first
      ? {
          sync: this.db.pragma('synchronous', { simple: true }) as number,
          checkpoint: this.db.pragma('wal_autocheckpoint', { simple: true }) as number,
        }
      : null;
    if (saved) {
      if (saved.sync > 1) this.db.pragma('synchronous = NORMAL');
      this.db.pragma('wal_autocheckpoint = 16384');
    }
    let deleted: number;
    try {
      for (const spec of PULL_PLAN) {
        counts[spec.doctype] = await this.pullDoctype(spec, first);
      }
      deleted = await this.pullDeletions(first);
    } finally {
      if (saved) {
        this.db.pragma(`synchronous = ${saved.sync}`);
        this.db.pragma(`wal_autocheckpoint = ${saved.checkpoint}`);
      }
    }
    let snapshot: number;
    if (first) {
      snapshot = this.db.transaction(() => {
        this.db.prepare('UPDATE sync_state SET last_ok_at = ?').run(started);
        return this.catalog.bumpSnapshot();
      })();
    } else {
      this.db.prepare('UPDATE sync_state SET last_ok_at = ?').run(started);
      snapshot = this.catalog.publish();
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
    let current: PageFetch | null = this.fetchPage(spec, base, cursorModified, cursorName);
    while (current) {
      const head: PageHead = await current.head;
      const next: PageFetch | null =
        head.rows.length === this.pageSize
          ? this.fetchPage(spec, base, head.modified, head.name)
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

  /**
   * Starts fetching the page after (`modified`, `name`): `head` resolves with the listed rows
   * (enough to know the next cursor), `docs` once child tables or whole documents are in. Both
   * are marked handled here; the caller awaits them in order and sees any failure there.
   */
  private fetchPage(spec: PullSpec, base: Filter[], modified: string, name: string): PageFetch {
    const head = this.keysetPage(spec, base, modified, name).then((rows) => {
      const last = rows[rows.length - 1];
      return { rows, modified: last?.modified ?? modified, name: last?.name ?? name };
    });
    const docs = head.then(({ rows }) =>
      rows.length === 0
        ? []
        : spec.mode === 'get'
          ? this.getEach(spec.doctype, rows)
          : this.withChildren(spec, rows),
    );
    head.catch(() => undefined);
    docs.catch(() => undefined);
    return { head, docs };
  }

  /**
   * One page in (`modified`, `name`) order after the cursor. Rows sharing the cursor's
   * `modified` and rows after it are asked for separately: each is one range of the
   * (modified, name) index, where `modified >= m AND (modified > m OR name > n)` makes the
   * server walk every row at `modified = m` again for each page (a bulk import gives thousands
   * of documents one timestamp, and paging them became quadratic).
   */
  private async keysetPage(
    spec: PullSpec,
    base: Filter[],
    modified: string,
    name: string,
  ): Promise<ListRow[]> {
    // Every row must carry the cursor's fields: a row without `modified` would move the cursor
    // back to the start, or past rows never read.
    const list = async (filters: Filter[], limit: number): Promise<ListRow[]> =>
      readAnswer(
        z.array(ListRowSchema),
        await this.erp.list(spec.doctype, {
          fields:
            spec.mode === 'get'
              ? ['name', 'modified']
              : spec.fields
                ? ['name', 'modified', ...spec.fields]
                : ['*'],
          filters,
          order_by: 'modified asc, name asc',
          limit_page_length: limit,
        }),
        `${spec.doctype} list`,
      );
    if (!modified) return list(base, this.pageSize);
    if (!name) return list([...base, ['modified', '>=', modified]], this.pageSize);
    const same = await list(
      [...base, ['modified', '=', modified], ['name', '>', name]],
      this.pageSize,
    );
    if (same.length >= this.pageSize) return same;
    const later = await list([...base, ['modified', '>', modified]], this.pageSize - same.length);
    return [...same, ...later];
  }

  private write(doctype: string, doc: ErpDoc, first: boolean): void {
    if (first) this.catalog.apply(doctype, doc);
    else this.catalog.stage(doctype, String(doc['name']), doc);
  }

  private async getEach(doctype: string, page: readonly ListRow[]): Promise<ErpDoc[]> {
    const out: ErpDoc[] = [];
    for (const row of page) {
      const doc = await this.erp.get(doctype, row.name);
      out.push(readAnswer(docSchema(doctype), doc, `${doctype} ${row.name}`));
    }
    return out;
  }

  /** ERPNext's list API omits child tables: fetch each table's rows for the page's parents. */
  private async withChildren(spec: PullSpec, page: readonly ListRow[]): Promise<ErpDoc[]> {
    const names = page.map((d) => d.name);
    const docs: Record<string, unknown>[] = page.map((d) => ({ ...d }));
    for (const child of spec.children ?? []) {
      const tables = new Map<string, unknown[]>(names.map((n) => [n, []]));
      docs.forEach((d, i) => (d[child.field] = tables.get(names[i]!)));
      const list = await this.erp.listLong(child.doctype, {
        fields: ['name', 'parent', 'idx', ...child.fields],
        filters: [
          ['parent', 'in', names],
          ['parentfield', '=', child.field],
        ],
        parent: spec.doctype,
        order_by: 'idx asc',
        limit_page_length: 0,
      });
      const rows = readAnswer(z.array(ChildRowSchema), list, `${child.doctype} rows`);
      for (const r of rows) tables.get(r.parent)?.push(r);
    }
    // The whole page, child rows in place, against the doctype's schema.
    return readAnswer(z.array(docSchema(spec.doctype)), docs, `${spec.doctype} list`);
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
    let cursor = st.deleted_cursor ? this.rereadFrom('Deleted Document', st.deleted_cursor) : '';
    if (cursor > st.deleted_cursor) cursor = st.deleted_cursor;
    const startedAt = this.serverNow();
    let cursorName = '';
    let n = 0;
    for (;;) {
      const filters: Filter[] = [['deleted_doctype', 'in', PULL_PLAN.map((p) => p.doctype)]];
      const or: Filter[] = [];
      if (cursor) {
        filters.push(['creation', '>=', cursor]);
        if (cursorName) or.push(['creation', '>', cursor], ['name', '>', cursorName]);
      }
      const answer = await this.erp.list('Deleted Document', {
        fields: ['name', 'creation', 'deleted_doctype', 'deleted_name'],
        filters,
        ...(or.length ? { or_filters: or } : {}),
        order_by: 'creation asc, name asc',
        limit_page_length: this.pageSize,
      });
      const page = readAnswer(z.array(DeletedRowSchema), answer, 'Deleted Document list');
      const last = page[page.length - 1];
      if (last === undefined) break;
      cursor = last.creation;
      cursorName = last.name;
      this.db.transaction(() => {
        for (const d of page) {
          const doctype = d.deleted_doctype;
          const name = d.deleted_name;
          // A document deleted and then created again under the same name stays.
          const cached = this.catalog.modifiedOf(doctype, name);
          if (cached !== undefined && cached > d.creation) continue;
          if (first) this.catalog.remove(doctype, name);
          else this.catalog.stage(doctype, name, null);
          n += 1;
        }
        this.db
          .prepare('UPDATE sync_state SET deleted_cursor = ? WHERE doctype = ?')
          .run(cursor, 'Deleted Document');
      })();
      if (page.length < this.pageSize) break;
    }
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
    const docs = <S extends z.ZodType>(doctype: string, schema: S): z.output<S>[] => {
      const live = new Map<string, z.output<S>>();
      const stored = this.db
        .prepare('SELECT name, data FROM doc WHERE doctype = ?')
        .all(doctype) as { name: string; data: string }[];
      for (const d of stored) {
        live.set(d.name, parseJsonWith(schema, d.data, `store: ${doctype} ${d.name}`));
      }
      for (const [k, v] of this.fetched.get(doctype) ?? []) {
        live.set(k, readAnswer(schema, v, `${doctype} ${k}`));
      }
      return [...live.values()];
    };
    const profile = docs('POS Profile', PosProfileSchema).find(
      (p) => p.name === this.options.posProfile,
    );
    const descendants = (
      tree: { name: string; parent: string | null | undefined }[],
      roots: string[],
    ): string[] => {
      if (roots.length === 0) return [];
      const out = [...roots];
      for (let i = 0; i < out.length; i++) {
        for (const g of tree) if (g.parent === out[i] && !out.includes(g.name)) out.push(g.name);
      }
      return out.sort();
    };
    const priceLists = new Set<string>();
    if (profile?.selling_price_list) priceLists.add(profile.selling_price_list);
    const customerGroups = docs('Customer Group', CustomerGroupSchema);
    for (const g of customerGroups) if (g.default_price_list) priceLists.add(g.default_price_list);
    const customerLists = this.db
      .prepare(
        "SELECT DISTINCT json_extract(data, '$.default_price_list') FROM doc WHERE doctype = 'Customer'",
      )
      .pluck()
      .all() as (string | null)[];
    for (const pl of customerLists) if (pl) priceLists.add(pl);
    for (const [k, c] of this.fetched.get('Customer') ?? []) {
      const customer = readAnswer(CustomerSchema, c, `Customer ${k}`);
      if (customer.default_price_list) priceLists.add(customer.default_price_list);
    }
    return {
      company: profile?.company ?? '',
      warehouse: profile?.warehouse ?? '',
      posProfile: this.options.posProfile,
      priceLists: [...priceLists].sort(),
      itemGroups: descendants(
        docs('Item Group', ItemGroupSchema).map((g) => ({
          name: g.name,
          parent: g.parent_item_group,
        })),
        (profile?.item_groups ?? []).flatMap((r) => (r.item_group ? [r.item_group] : [])),
      ),
      customerGroups: descendants(
        customerGroups.map((g) => ({ name: g.name, parent: g.parent_customer_group })),
        (profile?.customer_groups ?? []).flatMap((r) =>
          r.customer_group ? [r.customer_group] : [],
        ),
      ),
    };
  }
}

/** `at` as a naive datetime in `zone` ("2026-11-27 08:30:00"), as Frappe stores timestamps. */
function siteTime(at: Date, zone: string): string {
  const { date, time } = zonedTime(at, zone);
  return `${date} ${time}`;
}

/** Moves a Frappe datetime string ('YYYY-MM-DD HH:MM:SS[.ffffff]') by whole seconds. */
function shiftSeconds(modified: string, seconds: number): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(modified);
  if (!m) return modified;
  const t = new Date(`${m[1]}T${m[2]}Z`);
  t.setUTCSeconds(t.getUTCSeconds() + seconds);
  return `${t.toISOString().slice(0, 10)} ${t.toISOString().slice(11, 19)}${m[3] ?? ''}`;
}
