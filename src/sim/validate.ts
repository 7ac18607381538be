import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';
import { cstr, rowsOf } from './doc.js';
import { FrappeError, printedMessage, throwError } from './errors.js';
import type { DocMeta, FieldMeta } from './meta.js';
import { hasColumn, isTable } from './meta.js';

const hasContent = (v: unknown): boolean =>
  !(v === null || v === undefined || (Array.isArray(v) && v.length === 0)) &&
  (Array.isArray(v) ||
    cstr(v)
      .replace(/<[^>]*>/g, '')
      .trim() !== '');

/** Frappe's _validate_mandatory: one msgprint per missing field, then MandatoryError. */
export function validateMandatory(ctx: SiteContext, meta: DocMeta, doc: Doc): void {
  const missing: { field: string; msg: string }[] = [];
  const check = (m: DocMeta, d: Doc, isChild: boolean): void => {
    for (const f of m.fields) {
      if (!f.reqd || hasContent(d[f.fieldname])) continue;
      let msg: string;
      if (isTable(f)) msg = `Error: Data missing in table: ${f.label}`;
      else if (isChild)
        msg = `Error: <strong>${m.name}</strong> Row #${cstr(d['idx'])}: Value missing for: ${f.label}`;
      else msg = `Error: Value missing for ${m.name}: ${f.label}`;
      missing.push({ field: f.fieldname, msg });
    }
  };
  check(meta, doc, false);
  for (const f of meta.fields.filter(isTable)) {
    const cm = ctx.meta.get(f.options);
    if (cm) for (const row of rowsOf(doc, f.fieldname)) check(cm, row, true);
  }
  if (missing.length === 0) return;
  const detail = `[${meta.name}, ${cstr(doc['name'])}]: ${missing.map((m) => m.field).join(', ')}`;
  throw new FrappeError('MandatoryError', 417, detail, {
    messages: missing.map((m) => printedMessage(m.msg)),
  });
}

function linkTarget(f: FieldMeta, doc: Doc): string | undefined {
  if (f.fieldtype === 'Link') return f.options || undefined;
  if (f.fieldtype === 'Dynamic Link') return cstr(doc[f.options]) || undefined;
  return undefined;
}

/** Copy `fetch_from` values from a linked document (Frappe does this while validating links). */
function fetchValues(m: DocMeta, d: Doc, linkField: string, linked: Readonly<Doc>): void {
  for (const f of m.fields) {
    if (!f.fetchFrom?.startsWith(`${linkField}.`)) continue;
    if (f.fetchIfEmpty && hasContent(d[f.fieldname])) continue;
    const v = linked[f.fetchFrom.slice(linkField.length + 1)];
    if (v !== undefined) d[f.fieldname] = v;
  }
}

/** Frappe's _validate_links: every Link/Dynamic Link value must name an existing document. */
export function validateLinks(ctx: SiteContext, meta: DocMeta, doc: Doc): void {
  const invalid: string[] = [];
  const check = (m: DocMeta, d: Doc, isChild: boolean): void => {
    for (const f of m.fields) {
      if (!hasColumn(f)) continue;
      const value = cstr(d[f.fieldname]);
      const target = value ? linkTarget(f, d) : undefined;
      if (!target || !ctx.meta.get(target) || ctx.meta.get(target)?.issingle) continue;
      // Shipped doctypes are not stored as DocType documents here; their meta stands for them.
      if (target === 'DocType' && ctx.meta.get(value)) continue;
      const linked = ctx.db.get(target, value);
      if (linked) {
        fetchValues(m, d, f.fieldname, linked.data);
        continue;
      }
      invalid.push(
        isChild ? `Row #${cstr(d['idx'])}: ${f.label}: ${value}` : `${f.label}: ${value}`,
      );
    }
  };
  check(meta, doc, false);
  for (const f of meta.fields.filter(isTable)) {
    const cm = ctx.meta.get(f.options);
    if (cm) for (const row of rowsOf(doc, f.fieldname)) check(cm, row, true);
  }
  if (invalid.length > 0) {
    throw throwError('LinkValidationError', `Could not find ${invalid.join(', ')}`);
  }
}

const same = (a: unknown, b: unknown): boolean => cstr(a ?? '') === cstr(b ?? '');

/** Compare one row's columns with its stored version; only allow_on_submit fields may differ. */
function checkUnchanged(m: DocMeta, before: Doc, doc: Doc): void {
  for (const f of m.fields) {
    if (!hasColumn(f) || f.allowOnSubmit || same(before[f.fieldname], doc[f.fieldname])) continue;
    const message = ` Not allowed to change <strong>${f.label}</strong> after submission from <strong>${cstr(before[f.fieldname])}</strong> to <strong>${cstr(doc[f.fieldname])}</strong>`;
    throw throwError('UpdateAfterSubmitError', message, { title: 'Cannot Update After Submit' });
  }
}

/**
 * Frappe's validate_set_only_once (frappe/model/document.py), on every save of an existing
 * document: a `set_only_once` field keeps the value it was inserted with.
 */
const NUMERIC = new Set(['Check', 'Int', 'Float', 'Currency', 'Percent']);

export function validateSetOnlyOnce(meta: DocMeta, before: Doc, doc: Doc): void {
  for (const f of meta.fields) {
    if (!f.setOnlyOnce || isTable(f)) continue;
    const was = before[f.fieldname];
    const now = doc[f.fieldname];
    // Frappe compares the values as the database gives them back: an unset number column reads
    // as 0, an unset text column as the same None either side.
    const same = NUMERIC.has(f.fieldtype)
      ? Number(was ?? 0) === Number(now ?? 0)
      : cstr(was) === cstr(now);
    if (same) continue;
    throw throwError(
      'CannotChangeConstantError',
      `Value cannot be changed for <strong>${f.label || f.fieldname}</strong>`,
    );
  }
}

/**
 * Frappe's validate_update_after_submit: on a submitted document only allow_on_submit fields
 * may change, in the parent and in each child row (new rows only in allow_on_submit tables).
 */
export function validateUpdateAfterSubmit(
  ctx: SiteContext,
  meta: DocMeta,
  before: Doc,
  doc: Doc,
): void {
  checkUnchanged(meta, before, doc);
  for (const f of meta.fields.filter(isTable)) {
    const childMeta = ctx.meta.get(f.options);
    if (!childMeta) continue;
    const old = new Map(rowsOf(before, f.fieldname).map((r) => [cstr(r['name']), r]));
    for (const row of rowsOf(doc, f.fieldname)) {
      const prior = old.get(cstr(row['name']));
      if (prior) checkUnchanged(childMeta, prior, row);
      else if (!f.allowOnSubmit) checkUnchanged(childMeta, {}, row);
    }
  }
}
