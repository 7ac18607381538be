import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';
import { cint, flt, rowsOf } from './doc.js';
import type { DocMeta, FieldMeta } from './meta.js';
import { STANDARD_FIELDS, isFloat, isInt, isTable } from './meta.js';

/** A field's static default as frappe.new_doc computes it (Select falls back to its first option). */
function staticDefault(f: FieldMeta, ctx: SiteContext, titleField?: string): unknown {
  if (f.fieldname === titleField) return undefined;
  if (f.default !== undefined) {
    if (f.default === '__user') return ctx.user;
    if (f.default === 'Today') return ctx.time.today();
    if (f.default.startsWith(':')) return undefined;
    if (isInt(f)) return cint(f.default);
    if (isFloat(f)) return flt(f.default);
    if (f.fieldtype === 'Datetime' && f.default.toLowerCase() === 'now') return ctx.time.stamp();
    return f.default;
  }
  if (f.fieldtype === 'Select' && f.options && !['[Select]', 'Loading...'].includes(f.options)) {
    return f.options.split('\n', 1)[0];
  }
  return undefined;
}

/**
 * Fill missing values as frappe.new_doc does (update_if_missing): a Link field takes the global
 * default named like the field (company, currency, …) when that document exists, then static
 * defaults apply.
 */
export function setDefaults(meta: DocMeta, doc: Doc, ctx: SiteContext): void {
  const globals = ctx.db.getDefaults();
  for (const f of meta.valueFields) {
    if (doc[f.fieldname] !== undefined && doc[f.fieldname] !== null) continue;
    const global =
      f.fieldtype === 'Link' && f.options !== 'User' ? globals[f.fieldname] : undefined;
    if (global !== undefined && ctx.db.exists(f.options, global)) {
      doc[f.fieldname] = global;
      continue;
    }
    const v = staticDefault(f, ctx, meta.titleField);
    if (v !== undefined) doc[f.fieldname] = v;
  }
}

/**
 * Coerce column values to their stored types: numbers as numbers, Check as 0/1. With
 * `keepUnsetFloats` an unset Currency / Float stays unset, as on a Frappe document not yet
 * saved (None until the database's column default makes it 0 on reading back).
 */
export function fixTypes(meta: DocMeta, doc: Doc, keepUnsetFloats = false): void {
  for (const f of meta.valueFields) {
    const v = doc[f.fieldname];
    if (isInt(f)) doc[f.fieldname] = cint(v === true ? 1 : v);
    else if (isFloat(f)) {
      if (!keepUnsetFloats || (v !== undefined && v !== null)) doc[f.fieldname] = flt(v);
    } else if (typeof v === 'number') doc[f.fieldname] = String(v);
  }
  doc['docstatus'] = cint(doc['docstatus']);
  doc['idx'] = cint(doc['idx']);
}

/** Column names of a doctype's row: standard columns, its own fields, then child columns. */
export function columnsOf(meta: DocMeta): readonly string[] {
  return meta.columns;
}

/** Keep only what a row stores: the doctype's columns (no child tables, no flags). */
export function columnValues(meta: DocMeta, doc: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of meta.columns) {
    const v = doc[c];
    if (v !== undefined) out[c] = v;
  }
  return out;
}

/**
 * Frappe's Document.as_dict: columns (nulls dropped when `noNulls`, as the REST JSON encoder
 * does), "doctype", then each child table. Children created in this request keep `__unsaved`.
 */
export function asDict(ctx: SiteContext, meta: DocMeta, doc: Doc, noNulls: boolean): Doc {
  const out: Doc = {};
  for (const c of meta.columns) {
    const v = doc[c];
    if (v === undefined || v === null) {
      if (!noNulls && !STANDARD_FIELDS.includes(c as never)) out[c] = null;
      continue;
    }
    out[c] = v;
  }
  out['doctype'] = meta.name;
  for (const f of meta.fields) {
    if (!isTable(f)) continue;
    const childMeta = ctx.meta.get(f.options);
    out[f.fieldname] = rowsOf(doc, f.fieldname).map((row) => {
      const child = childMeta ? asDict(ctx, childMeta, row, noNulls) : { ...row };
      if (row['__unsaved']) child['__unsaved'] = 1;
      return child;
    });
  }
  for (const flag of ['__onload'] as const) if (doc[flag] !== undefined) out[flag] = doc[flag];
  return out;
}
