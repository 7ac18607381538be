import type { SiteContext } from './context.js';
import { DuplicateRowError, UniqueFieldError } from './db-errors.js';
import type { Doc } from './doc.js';
import { cint, cstr, omit, rowsOf } from './doc.js';
import { fixTypes, setDefaults } from './doc-shape.js';
import { loadDoc, persistDoc } from './doc-store.js';
import { FrappeError, notFound, printedMessage, raiseError, throwError } from './errors.js';
import type { DocMeta } from './meta.js';
import { fieldOf, isTable } from './meta.js';
import { autoName, hashName } from './naming.js';
import { requirePermission } from './permissions.js';
import {
  validateLinks,
  validateMandatory,
  validateSetOnlyOnce,
  validateUpdateAfterSubmit,
} from './validate.js';

interface WriteOptions {
  /** Keep a client-sent `name` (API v2 and internal inserts). */
  readonly keepName?: boolean;
  readonly ignorePermissions?: boolean;
  /** Frappe's ignore_links / ignore_mandatory flags (seeding circular masters). */
  readonly ignoreLinks?: boolean;
  readonly ignoreMandatory?: boolean;
}

const FLAGS = new Set(['doctype', 'flags', '__islocal', '__unsaved', '__newname']);

/** Copy body values onto a doc; table fields become child rows (new rows marked __unsaved). */
function applyBody(ctx: SiteContext, meta: DocMeta, doc: Doc, body: Doc): void {
  for (const [key, value] of Object.entries(body)) {
    if (FLAGS.has(key)) continue;
    const f = fieldOf(meta, key);
    if (f && isTable(f)) {
      const existing = new Map(rowsOf(doc, key).map((r) => [cstr(r['name']), r]));
      const childMeta = ctx.meta.get(f.options);
      doc[key] = (Array.isArray(value) ? value : []).map((raw: unknown, i) => {
        const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Doc;
        const old = given['name'] === undefined ? undefined : existing.get(cstr(given['name']));
        const row: Doc = old ? { ...old } : { __unsaved: 1 };
        for (const [k, v] of Object.entries(given)) if (!FLAGS.has(k)) row[k] = v;
        row['idx'] = i + 1;
        if (!old && childMeta) setDefaults(childMeta, row, ctx);
        return row;
      });
    } else {
      doc[key] = value;
    }
  }
}

/**
 * Give every child row its parent link, a name, and the parent's timestamps and docstatus.
 * Before validate a new row's unsent amounts stay None: ERPNext's set_missing_item_details
 * fills only None, so a price_list_rate sent as 0 must stay apart from one not sent.
 */
function stampChildren(ctx: SiteContext, meta: DocMeta, doc: Doc, beforeValidate = false): void {
  for (const f of meta.fields.filter(isTable)) {
    const childMeta = ctx.meta.get(f.options);
    for (const [i, row] of rowsOf(doc, f.fieldname).entries()) {
      if (!row['name']) row['name'] = hashName();
      row['idx'] ??= i + 1;
      row['owner'] ??= doc['owner'];
      row['creation'] ??= doc['modified'];
      row['modified'] = doc['modified'];
      row['modified_by'] = doc['modified_by'];
      row['docstatus'] = doc['docstatus'];
      row['parent'] = doc['name'];
      row['parentfield'] = f.fieldname;
      row['parenttype'] = meta.name;
      if (childMeta) fixTypes(childMeta, row, beforeValidate && row['__unsaved'] === 1);
    }
  }
}

/** Write the doc, turning constraint failures into Frappe's 409 / 417 errors. */
function persist(ctx: SiteContext, meta: DocMeta, doc: Doc, isNew: boolean): void {
  try {
    persistDoc(ctx, meta, doc, isNew);
  } catch (e) {
    const name = cstr(doc['name']);
    if (e instanceof DuplicateRowError && e.doctype === meta.name) {
      throw new FrappeError('DuplicateEntryError', 409, '', {
        detail: `('${meta.name}', '${name}', IntegrityError(1062, "Duplicate entry '${name}' for key 'PRIMARY'"))`,
        messages: [
          {
            message: `${meta.name} <strong>${name}</strong> already exists`,
            title: 'Duplicate Name',
            indicator: 'red',
          },
        ],
      });
    }
    if (e instanceof UniqueFieldError) {
      const f = fieldOf(ctx.meta.require(e.doctype), e.fieldname);
      const value = cstr(doc[e.fieldname]);
      throw new FrappeError('UniqueValidationError', 417, '', {
        detail: `('${meta.name}', '${name}', IntegrityError(1062, "Duplicate entry '${value}' for key '${e.fieldname}'"))`,
        messages: [printedMessage(`${f?.label ?? e.fieldname} must be unique`)],
      });
    }
    throw e;
  }
}

/** Frappe's Document.insert (with docstatus 1 in the body it also submits). */
export function insertDoc(
  ctx: SiteContext,
  doctype: string,
  body: Doc,
  opts: WriteOptions = {},
): Doc {
  const meta = ctx.meta.require(doctype);
  const doc: Doc = {};
  applyBody(ctx, meta, doc, body);
  setDefaults(meta, doc, ctx);
  const now = ctx.time.stamp();
  doc['owner'] = ctx.user;
  doc['creation'] = now;
  doc['modified'] = now;
  doc['modified_by'] = ctx.user;
  const docstatus = cint(body['docstatus']);
  if (docstatus === 2) {
    throw raiseError(
      'DocstatusTransitionError',
      'Cannot change docstatus from 0 (Draft) to 2 (Cancelled)',
    );
  }
  if (docstatus === 1 && !meta.submittable)
    throw raiseError('ValidationError', 'Invalid docstatus');
  doc['docstatus'] = docstatus;
  if (!opts.ignoreLinks) validateLinks(ctx, meta, doc);
  if (!opts.ignorePermissions) {
    requirePermission(ctx, meta, 'create');
    if (docstatus === 1) requirePermission(ctx, meta, 'submit');
  }
  ctx.hooks.run('beforeInsert', meta.name, doc, ctx);
  if (typeof body['__newname'] === 'string') doc['__newname'] = body['__newname'];
  const given = opts.keepName && typeof body['name'] === 'string' ? body['name'] : undefined;
  doc['name'] =
    given ?? ctx.hooks.autoname(meta.name, doc, ctx) ?? autoName(ctx.db, ctx.time, meta, doc);
  delete doc['__newname'];
  stampChildren(ctx, meta, doc, true);
  ctx.hooks.run('validate', meta.name, doc, ctx);
  if (docstatus === 1) ctx.hooks.run('beforeSubmit', meta.name, doc, ctx);
  if (!opts.ignoreMandatory) validateMandatory(ctx, meta, doc);
  fixTypes(meta, doc);
  stampChildren(ctx, meta, doc);
  persist(ctx, meta, doc, true);
  ctx.hooks.run('afterInsert', meta.name, doc, ctx);
  ctx.hooks.run('onUpdate', meta.name, doc, ctx);
  if (docstatus === 1) ctx.hooks.run('onSubmit', meta.name, doc, ctx);
  return doc;
}

/** Read one document or raise Frappe's 404. */
export function getDoc(ctx: SiteContext, doctype: string, name: string): Doc {
  const meta = ctx.meta.require(doctype);
  const doc = loadDoc(ctx, meta, name);
  if (!doc) throw notFound(doctype, name);
  return doc;
}

type Action = 'save' | 'submit' | 'update_after_submit' | 'cancel';

/** Frappe's check_docstatus_transition. */
function actionFor(from: number, to: number): Action {
  if (from === 0) {
    if (to === 0) return 'save';
    if (to === 1) return 'submit';
    throw raiseError(
      'DocstatusTransitionError',
      'Cannot change docstatus from 0 (Draft) to 2 (Cancelled)',
    );
  }
  if (from === 1) {
    if (to === 1) return 'update_after_submit';
    if (to === 2) return 'cancel';
    throw raiseError(
      'DocstatusTransitionError',
      'Cannot change docstatus from 1 (Submitted) to 0 (Draft)',
    );
  }
  throw raiseError('ValidationError', 'Cannot edit cancelled document');
}

/**
 * Frappe's `doc.update(body); doc.save()` on a stored document, including the optimistic lock
 * (a body `modified` older than the stored one → TimestampMismatchError) and docstatus moves.
 */
export function saveDoc(
  ctx: SiteContext,
  doctype: string,
  name: string,
  body: Doc,
  opts: WriteOptions = {},
): Doc {
  const meta = ctx.meta.require(doctype);
  const before = loadDoc(ctx, meta, name);
  if (!before) throw notFound(doctype, name);
  const doc: Doc = structuredClone(before);
  applyBody(ctx, meta, doc, omit(body, 'name'));
  const originalModified = body['modified'] ?? before['modified'];
  setDefaults(meta, doc, ctx);
  ctx.time.observe(cstr(before['modified']));
  const now = ctx.time.stamp();
  doc['modified'] = now;
  doc['modified_by'] = ctx.user;
  doc['docstatus'] = cint(doc['docstatus']);
  if (cstr(before['modified']) !== cstr(originalModified)) {
    const message = `Error: Document has been modified after you have opened it (${cstr(before['modified'])}, ${now}). Please refresh to get the latest document.`;
    throw throwError('TimestampMismatchError', message);
  }
  const action = actionFor(cint(before['docstatus']), cint(doc['docstatus']));
  if (!opts.ignorePermissions) {
    const ptype = action === 'save' ? 'write' : action === 'cancel' ? 'cancel' : 'submit';
    requirePermission(ctx, meta, ptype);
  }
  if (action !== 'cancel' && !opts.ignoreLinks) validateLinks(ctx, meta, doc);
  stampChildren(ctx, meta, doc, true);
  if (action === 'save' || action === 'submit') ctx.hooks.run('validate', meta.name, doc, ctx);
  if (action === 'submit') ctx.hooks.run('beforeSubmit', meta.name, doc, ctx);
  if (action === 'cancel') ctx.hooks.run('beforeCancel', meta.name, doc, ctx);
  if (action === 'update_after_submit') {
    ctx.hooks.run('beforeUpdateAfterSubmit', meta.name, doc, ctx);
  }
  if (action !== 'cancel') validateMandatory(ctx, meta, doc);
  fixTypes(meta, doc);
  if (action !== 'cancel') {
    // Compared with the stored document as an insert would have left it: this save filled
    // the parent's defaults too (setDefaults above), and a row bulk-seeded without them would
    // otherwise look changed where Frappe sees the same value both sides.
    const asInserted = structuredClone(before);
    setDefaults(meta, asInserted, ctx);
    validateSetOnlyOnce(meta, asInserted, doc);
  }
  if (action === 'update_after_submit') validateUpdateAfterSubmit(ctx, meta, before, doc);
  stampChildren(ctx, meta, doc);
  persist(ctx, meta, doc, false);
  if (action === 'save') ctx.hooks.run('onUpdate', meta.name, doc, ctx);
  if (action === 'submit') ctx.hooks.run('onSubmit', meta.name, doc, ctx);
  if (action === 'cancel') ctx.hooks.run('onCancel', meta.name, doc, ctx);
  if (action === 'update_after_submit') {
    ctx.hooks.run('onUpdateAfterSubmit', meta.name, doc, ctx);
  }
  return doc;
}

/** Frappe's db_set: write values straight to a stored document (no hooks, no validation). */
export function dbSet(ctx: SiteContext, doctype: string, doc: Doc, values: Doc): void {
  Object.assign(doc, values);
  persistDoc(ctx, ctx.meta.require(doctype), doc, false);
}

/** frappe.client.cancel / Document.cancel. */
export function cancelDoc(ctx: SiteContext, doctype: string, name: string): Doc {
  return saveDoc(ctx, doctype, name, { docstatus: 2 });
}

/** frappe.client.submit: the body is the full draft, including its current `modified`. */
export function submitDoc(ctx: SiteContext, body: Doc): Doc {
  const doctype = cstr(body['doctype']);
  const name = cstr(body['name']);
  return saveDoc(ctx, doctype, name, { ...body, docstatus: 1 });
}
