import { z } from 'zod';
import type { Db } from '../store/db.js';
import type { Catalog } from '../store/catalog.js';
import { DeletedRowSchema } from '../store/erp-docs.js';
import { readAnswer } from '../erpnext/answers.js';
import type { ErpClient, Filter } from '../erpnext/client.js';
import { PULL_PLAN } from './plan.js';

interface DeletionDeps {
  readonly db: Db;
  readonly erp: ErpClient;
  readonly catalog: Catalog;
  readonly pageSize: number;
}

/**
 * Applies the Deleted Document rows for the pulled doctypes created at or after `from`
 * (empty: all of them), a page per transaction with its cursor. On the first pull the rows
 * leave the live tables; later, the removal is staged. Returns how many were applied.
 */
export async function pullDeletedDocuments(
  { db, erp, catalog, pageSize }: DeletionDeps,
  from: string,
  first: boolean,
): Promise<number> {
  let cursor = from;
  let cursorName = '';
  let n = 0;
  for (;;) {
    const filters: Filter[] = [['deleted_doctype', 'in', PULL_PLAN.map((p) => p.doctype)]];
    const or: Filter[] = [];
    if (cursor) {
      filters.push(['creation', '>=', cursor]);
      if (cursorName) or.push(['creation', '>', cursor], ['name', '>', cursorName]);
    }
    const answer = await erp.list('Deleted Document', {
      fields: ['name', 'creation', 'deleted_doctype', 'deleted_name'],
      filters,
      ...(or.length ? { or_filters: or } : {}),
      order_by: 'creation asc, name asc',
      limit_page_length: pageSize,
    });
    const page = readAnswer(z.array(DeletedRowSchema), answer, 'Deleted Document list');
    const last = page[page.length - 1];
    if (last === undefined) break;
    cursor = last.creation;
    cursorName = last.name;
    db.transaction(() => {
      for (const d of page) {
        const doctype = d.deleted_doctype;
        const name = d.deleted_name;
        // A document deleted and then created again under the same name stays.
        const cached = catalog.modifiedOf(doctype, name);
        if (cached !== undefined && cached > d.creation) continue;
        if (first) catalog.remove(doctype, name);
        else catalog.stage(doctype, name, null);
        n += 1;
      }
      db.prepare('UPDATE sync_state SET deleted_cursor = ? WHERE doctype = ?').run(
        cursor,
        'Deleted Document',
      );
    })();
    if (page.length < pageSize) break;
  }
  return n;
}
