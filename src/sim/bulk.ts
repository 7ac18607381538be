import type { SiteContext } from './context.js';
import type { StoredRow } from './db.js';
import type { Doc } from './doc.js';
import { cint, cstr, rowsOf } from './doc.js';
import { columnValues, fixTypes, setDefaults } from './doc-shape.js';
import type { DocMeta } from './meta.js';
import { isTable } from './meta.js';

function row(meta: DocMeta, doc: Doc): StoredRow {
  return {
    doctype: meta.name,
    name: cstr(doc['name']),
    parent: typeof doc['parent'] === 'string' ? doc['parent'] : null,
    parentfield: typeof doc['parentfield'] === 'string' ? doc['parentfield'] : null,
    parenttype: typeof doc['parenttype'] === 'string' ? doc['parenttype'] : null,
    idx: cint(doc['idx']),
    docstatus: cint(doc['docstatus']),
    creation: cstr(doc['creation']),
    modified: cstr(doc['modified']),
    data: columnValues(meta, doc),
  };
}

/** new_doc defaults per doctype, computed once per bulk load (they do not depend on the doc). */
type Templates = Map<string, Doc>;

function withDefaults(ctx: SiteContext, meta: DocMeta, doc: Doc, templates: Templates): Doc {
  let template = templates.get(meta.name);
  if (!template) {
    template = {};
    setDefaults(meta, template, ctx);
    templates.set(meta.name, template);
  }
  // Copy the template first: objects cloned from one shape stay fast, unlike adding ~100 keys.
  const out: Doc = { ...template };
  for (const k in doc) {
    const v = doc[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  fixTypes(meta, out);
  return out;
}

/** One REST-shaped document (child tables inline) as stored rows, with defaults and types. */
function* rowsFor(ctx: SiteContext, doc: Doc, templates: Templates): Generator<StoredRow> {
  const meta = ctx.meta.require(cstr(doc['doctype']));
  const parent = withDefaults(ctx, meta, doc, templates);
  yield row(meta, parent);
  for (const f of meta.fields.filter(isTable)) {
    const childMeta = ctx.meta.get(f.options);
    if (!childMeta) continue;
    for (const [i, raw] of rowsOf(doc, f.fieldname).entries()) {
      const child = withDefaults(
        ctx,
        childMeta,
        {
          owner: parent['owner'],
          creation: parent['creation'],
          modified: parent['modified'],
          modified_by: parent['modified_by'],
          docstatus: parent['docstatus'],
          idx: i + 1,
          ...raw,
          parent: parent['name'],
          parentfield: f.fieldname,
          parenttype: meta.name,
        },
        templates,
      );
      yield row(childMeta, child);
    }
  }
}

/**
 * Load documents shaped as the REST API returns them (`doctype`, `name`, `modified` … set,
 * child tables inline) straight into the store: defaults and types applied, no validation, no
 * naming, no hooks. For seeds and benchmarks; runs in `batchSize`-row transactions.
 */
export function bulkInsertDocs(ctx: SiteContext, docs: Iterable<Doc>, batchSize = 50_000): number {
  let count = 0;
  const templates: Templates = new Map();
  function* all(): Generator<StoredRow> {
    for (const doc of docs) {
      count++;
      yield* rowsFor(ctx, doc, templates);
    }
  }
  ctx.db.bulkInsert(all(), batchSize);
  return count;
}
