/** A document as Frappe's as_dict shows it: column values plus child tables as arrays. */
export type Doc = Record<string, unknown>;

/** Child rows of a table field, or [] when absent or malformed. */
export function rowsOf(doc: Doc, fieldname: string): Doc[] {
  const v = doc[fieldname];
  return Array.isArray(v) ? v.filter((r): r is Doc => typeof r === 'object' && r !== null) : [];
}

/** Frappe's cstr(): None → "", everything else its string form. */
export function cstr(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Frappe's cint(): loose integer parse, 0 on failure. */
export function cint(v: unknown): number {
  const n = typeof v === 'number' ? v : Number.parseFloat(cstr(v));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** Frappe's flt() without precision: loose float parse, 0 on failure. */
export function flt(v: unknown): number {
  const n = typeof v === 'number' ? v : Number.parseFloat(cstr(v));
  return Number.isFinite(n) ? n : 0;
}

/** A shallow copy of `doc` without `keys` (e.g. the `doctype` a REST body may carry). */
export function omit(doc: Doc, ...keys: string[]): Doc {
  const out: Doc = { ...doc };
  for (const k of keys) delete out[k];
  return out;
}
