import { z } from 'zod';
import { ChildRowSchema, ListRowSchema, docSchema, type PulledDoc } from '../store/erp-docs.js';
import { readAnswer } from '../erpnext/answers.js';
import type { ErpClient, Filter } from '../erpnext/client.js';
import type { PullSpec } from './plan.js';

type ListRow = z.output<typeof ListRowSchema>;

export interface PageHead {
  readonly rows: ListRow[];
  /** The cursor after this page. */
  readonly modified: string;
  readonly name: string;
}

export interface PageFetch {
  readonly head: Promise<PageHead>;
  readonly docs: Promise<PulledDoc[]>;
}

/** Reads one doctype from ERPNext a keyset page at a time, each document checked by its schema. */
export class PageReader {
  constructor(
    private readonly erp: ErpClient,
    private readonly pageSize: number,
  ) {}

  /**
   * Starts fetching the page after (`modified`, `name`): `head` resolves with the listed rows
   * (enough to know the next cursor), `docs` once child tables or whole documents are in. Both
   * are marked handled here; the caller awaits them in order and sees any failure there.
   */
  fetchPage(spec: PullSpec, base: Filter[], modified: string, name: string): PageFetch {
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

  private async getEach(doctype: string, page: readonly ListRow[]): Promise<PulledDoc[]> {
    const out: PulledDoc[] = [];
    for (const row of page) {
      const doc = await this.erp.get(doctype, row.name);
      out.push(readAnswer(docSchema(doctype), doc, `${doctype} ${row.name}`));
    }
    return out;
  }

  /** ERPNext's list API omits child tables: fetch each table's rows for the page's parents. */
  private async withChildren(spec: PullSpec, page: readonly ListRow[]): Promise<PulledDoc[]> {
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
}
