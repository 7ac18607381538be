import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';
import { asDict } from './doc-shape.js';
import { getDoc, insertDoc } from './document.js';
import { FrappeError, thrownMessage, throwError } from './errors.js';
import type { DocMeta } from './meta.js';
import { hasColumn, isFloat, isTable } from './meta.js';
import { requirePermission } from './permissions.js';

const slug = (doctype: string): string => doctype.toLowerCase().replaceAll(' ', '-');
const link = (doctype: string, name: string): string =>
  `<a href="http://127.0.0.1:8000/app/${slug(doctype)}/${name}">${name}</a>`;

const FLOAT_MARK = '\u0000float:';

/** Python prints a float column's whole value as "10.0": mark those for sortedJson. */
function markFloats(ctx: SiteContext, meta: DocMeta, doc: Doc): Doc {
  const out: Doc = { ...doc };
  for (const f of meta.fields) {
    const v = out[f.fieldname];
    if (isFloat(f) && typeof v === 'number' && Number.isInteger(v)) {
      out[f.fieldname] = `${FLOAT_MARK}${v}.0`;
    }
    const child = isTable(f) ? ctx.meta.get(f.options) : undefined;
    if (child && Array.isArray(v))
      out[f.fieldname] = v.map((r) => markFloats(ctx, child, r as Doc));
  }
  return out;
}

/** Python's json.dumps(doc, indent=1, sort_keys=True), as Deleted Document.data stores it. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  const text = JSON.stringify(sort(value), null, 1);
  return text.replace(/"\\u0000float:([^"]*)"/g, '$1');
}

/**
 * Frappe's check_if_doc_is_linked for a delete: a document that links here blocks deletion, and
 * the first one found is named (children resolve to their parent). Within one Link field Frappe
 * reads the linking rows with frappe.db.get_values, most recently modified first; the fields
 * themselves come from an unordered tabDocField query, in MariaDB's row order (by the DocField
 * rows' random names), which a simulator cannot reproduce: of the first linking document of each
 * field, the most recently modified is named (as recorded: a POS Profile's latest Opening Entry,
 * not its older Closing Entries). When the doctype can be disabled, delete_doc then throws a
 * second message suggesting that instead.
 */
function checkNotLinked(
  ctx: SiteContext,
  meta: DocMeta,
  name: string,
  all: Iterable<DocMeta>,
): void {
  let found: { doctype: string; name: string; modified: string } | undefined;
  for (const other of all) {
    for (const f of other.fields) {
      if (!hasColumn(f) || f.fieldtype !== 'Link' || f.options !== meta.name) continue;
      const hits = ctx.db.sql
        .prepare<
          [string, string],
          { name: string; parent: string | null; parenttype: string | null; modified: string }
        >(
          `SELECT name, parent, parenttype, modified FROM docs
           WHERE doctype = ? AND json_extract(data, '$.${f.fieldname}') = ? AND docstatus != 2
           ORDER BY modified DESC`,
        )
        .all(other.name, name);
      const hit = hits.find((h) => !(other.name === meta.name && (h.parent ?? h.name) === name));
      if (!hit || (found && found.modified >= hit.modified)) continue;
      found = hit.parent
        ? { doctype: hit.parenttype ?? other.name, name: hit.parent, modified: hit.modified }
        : { doctype: other.name, name: hit.name, modified: hit.modified };
    }
  }
  if (!found) return;
  const message = `Cannot delete or cancel because ${meta.name} ${link(meta.name, name)} is linked with ${found.doctype} ${link(found.doctype, found.name)} `;
  const messages = [thrownMessage(message)];
  if (meta.fields.some((x) => x.fieldname === 'enabled' || x.fieldname === 'disabled')) {
    const instead = `You can disable this ${meta.name} instead of deleting it.`;
    throw new FrappeError('LinkExistsError', 417, instead, {
      messages: [...messages, thrownMessage(instead)],
    });
  }
  throw new FrappeError('LinkExistsError', 417, message, { messages });
}

/** Frappe's delete_doc: refuse submitted or linked docs, keep a Deleted Document, drop the rows. */
export function deleteDoc(
  ctx: SiteContext,
  doctype: string,
  name: string,
  allMeta: Iterable<DocMeta>,
): void {
  const meta = ctx.meta.require(doctype);
  const doc: Doc = getDoc(ctx, doctype, name);
  requirePermission(ctx, meta, 'delete');
  if (doc['docstatus'] === 1) {
    throw throwError(
      'ValidationError',
      `${doctype} ${name}: Submitted Record cannot be deleted. You must <a href='https://docs.erpnext.com//docs/user/manual/en/setting-up/articles/delete-submitted-document' target='_blank'> Cancel </a> it first.`,
    );
  }
  ctx.hooks.run('beforeDelete', meta.name, doc, ctx);
  checkNotLinked(ctx, meta, name, allMeta);
  if (meta.name !== 'Deleted Document') {
    insertDoc(
      ctx,
      'Deleted Document',
      {
        deleted_doctype: doctype,
        deleted_name: name,
        data: sortedJson(markFloats(ctx, meta, asDict(ctx, meta, doc, false))),
      },
      { ignorePermissions: true },
    );
  }
  ctx.db.deleteChildren(meta.name, name);
  ctx.db.delete(meta.name, name);
  ctx.hooks.run('afterDelete', meta.name, doc, ctx);
}
