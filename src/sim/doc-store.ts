import type { SiteContext } from './context.js';
import type { StoredRow } from './db-rows.js';
import type { Doc } from './doc.js';
import { cint, rowsOf } from './doc.js';
import { columnValues } from './doc-shape.js';
import type { DocMeta } from './meta.js';
import { isTable } from './meta.js';

/** Read a document with its child tables, or undefined. */
export function loadDoc(ctx: SiteContext, meta: DocMeta, name: string): Doc | undefined {
  const row = ctx.db.get(meta.name, name);
  if (!row) return undefined;
  const doc: Doc = { ...row.data };
  const tables = meta.fields.filter(isTable);
  if (tables.length === 0) return doc;
  for (const f of tables) doc[f.fieldname] = [];
  for (const child of ctx.db.children(meta.name, name)) {
    const list = doc[child.parentfield ?? ''];
    if (Array.isArray(list)) list.push({ ...child.data });
  }
  return doc;
}

/** Several documents by name, in that order (loadDoc's result for each name that exists). */
export function loadDocs(ctx: SiteContext, meta: DocMeta, names: readonly string[]): Doc[] {
  if (meta.fields.some(isTable)) {
    return names.flatMap((n): Doc[] => {
      const d = loadDoc(ctx, meta, n);
      return d ? [d] : [];
    });
  }
  return ctx.db.getMany(meta.name, names).map((row) => ({ ...row.data }));
}

const rowOf = (meta: DocMeta, doc: Doc): StoredRow => ({
  doctype: meta.name,
  name: String(doc['name']),
  parent: typeof doc['parent'] === 'string' ? doc['parent'] : null,
  parentfield: typeof doc['parentfield'] === 'string' ? doc['parentfield'] : null,
  parenttype: typeof doc['parenttype'] === 'string' ? doc['parenttype'] : null,
  idx: cint(doc['idx']),
  docstatus: cint(doc['docstatus']),
  creation: String(doc['creation']),
  modified: String(doc['modified']),
  data: columnValues(meta, doc),
});

/**
 * Write a document and replace its child rows (Frappe's db_insert / db_update +
 * update_children). Constraint failures surface as DuplicateRowError / UniqueFieldError.
 */
export function persistDoc(ctx: SiteContext, meta: DocMeta, doc: Doc, isNew: boolean): void {
  if (isNew) ctx.db.insert(rowOf(meta, doc));
  else ctx.db.update(rowOf(meta, doc));
  const tables = meta.fields.filter(isTable);
  if (tables.length === 0) return;
  if (!isNew) ctx.db.deleteChildren(meta.name, String(doc['name']));
  for (const f of tables) {
    const childMeta = ctx.meta.get(f.options);
    if (!childMeta) continue;
    for (const row of rowsOf(doc, f.fieldname)) ctx.db.insert(rowOf(childMeta, row));
  }
}
