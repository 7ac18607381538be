import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr } from '../doc.js';
import { loadDoc, loadDocs } from '../doc-store.js';
import { getList } from '../query.js';

/** Names of the documents matching Frappe-style `filters`, in `orderBy` order. */
export function findNames(
  ctx: SiteContext,
  doctype: string,
  filters: unknown[],
  orderBy = 'creation asc',
): string[] {
  return getList(ctx, { doctype, fields: ['name'], filters, orderBy, pageLength: 0 }).map((r) =>
    cstr(r['name']),
  );
}

/** Full documents (with child tables) matching `filters`. */
export function findDocs(
  ctx: SiteContext,
  doctype: string,
  filters: unknown[],
  orderBy = 'creation asc',
): Doc[] {
  return loadDocs(ctx, ctx.meta.require(doctype), findNames(ctx, doctype, filters, orderBy));
}

/** One stored document or undefined (no permission check: controllers read freely). */
export function readDoc(ctx: SiteContext, doctype: string, name: string): Doc | undefined {
  const meta = ctx.meta.get(doctype);
  return name && meta ? loadDoc(ctx, meta, name) : undefined;
}
