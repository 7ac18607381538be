import type { SiteContext } from './context.js';
import type { SimDb } from './db.js';
import type { Doc } from './doc.js';
import { cint, cstr, rowsOf } from './doc.js';
import { FrappeError, thrownMessage, throwError } from './errors.js';
import type { HookRegistry } from './hooks.js';
import type { DocMeta, MetaRegistry } from './meta.js';
import { parseDocType } from './meta.js';
import docfieldJson from './schema/docfield.json' with { type: 'json' };
import docpermJson from './schema/docperm.json' with { type: 'json' };
import doctypeJson from './schema/doctype.json' with { type: 'json' };
import { parseStoredDoc } from './stored-json.js';

/**
 * Custom DocTypes (`custom: 1`) created through REST, as on a site without developer mode:
 * Frappe's DocType controller reduced to what a REST client can trip over
 * (frappe/core/doctype/doctype/doctype.py: check_developer_mode, validate_name,
 * scrub_field_names, validate_series, validate_fields, validate_permissions), then the new
 * doctype joins the site's meta at once with a unique index per `unique` field, as
 * `frappe.db.updatedb` creates its table. DocType, DocField and DocPerm are Frappe v15's own.
 */
const CORE: readonly DocMeta[] = [doctypeJson, docfieldJson, docpermJson].map((j) =>
  parseDocType(j as Record<string, unknown>),
);

/** frappe.permissions.AUTOMATIC_ROLES: a non-Administrator may not grant these on a custom DocType. */
const AUTOMATIC_ROLES = new Set(['Guest', 'All', 'Desk User', 'Administrator']);
/** doctype.py START_WITH_LETTERS_PATTERN under re.ASCII: a letter, then word characters, spaces, hyphens. */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_ -]+$/;
const RESTRICTED = new Set([
  'name',
  'parent',
  'creation',
  'owner',
  'modified',
  'modified_by',
  'parentfield',
  'parenttype',
  'file_list',
  'flags',
  'docstatus',
]);
const UNIQUE_TYPES = new Set(['Data', 'Link', 'Read Only', 'Int']);
const MODULE = 'frappe.core.doctype.doctype.doctype';

/** A `frappe.throw(msg, <doctype.py exception>)`: a ValidationError subclass, 417. */
const doctypeError = (excType: string, message: string, title?: string): FrappeError =>
  new FrappeError(excType, 417, message, {
    messages: [thrownMessage(message, title)],
    module: MODULE,
  });

/** Rebuild the run-time doctypes (Frappe's own three plus every stored DocType) in the meta. */
export function syncCustomDocTypes(db: SimDb, meta: MetaRegistry): void {
  const rows = db.sql
    .prepare<[], { name: string; data: string }>(
      "SELECT name, data FROM docs WHERE doctype = 'DocType'",
    )
    .all();
  const custom = rows.map((r) => {
    const doc = parseStoredDoc(r.data, `docs: DocType ${r.name}`);
    const children = db.children('DocType', r.name);
    const of = (field: string): Doc[] =>
      children.filter((c) => c.parentfield === field).map((c) => c.data);
    return parseDocType({ ...doc, fields: of('fields'), permissions: of('permissions') });
  });
  meta.setRuntimeDocTypes([...CORE, ...custom]);
}

function checkName(name: string): void {
  if (name.length > 61) {
    throw new FrappeError('NameError', 409, `Doctype name is limited to 61 characters (${name})`, {
      messages: [thrownMessage(`Doctype name is limited to 61 characters (${name})`)],
    });
  }
  if (/^[ \t\n\r]|[ \t\n\r]$/.test(name)) {
    const message = "DocType's name should not start or end with whitespace";
    throw new FrappeError('NameError', 409, message, { messages: [thrownMessage(message)] });
  }
  if (!NAME_PATTERN.test(name)) {
    const message =
      "A DocType's name should start with a letter and can only consist of letters, numbers, spaces, underscores and hyphens";
    throw new FrappeError('NameError', 409, message, {
      messages: [thrownMessage(message, 'Invalid Name')],
    });
  }
}

/** scrub_field_names, check_unique_fieldname and check_unique_and_text. */
function checkFields(doc: Doc): void {
  const name = cstr(doc['name']);
  const fields = rowsOf(doc, 'fields');
  for (const f of fields) {
    if (!f['fieldname']) {
      const label = cstr(f['label']).trim();
      if (!label) {
        throw throwError('ValidationError', `Row #${cstr(f['idx'])}: Fieldname is required`, {
          title: 'Missing Fieldname',
        });
      }
      const scrubbed = label.toLowerCase().replace(/ /g, '_').replace(/\?/g, '');
      f['fieldname'] = RESTRICTED.has(scrubbed) ? `${scrubbed}1` : scrubbed;
    } else if (RESTRICTED.has(cstr(f['fieldname']))) {
      throw doctypeError(
        'InvalidFieldNameError',
        `Fieldname ${cstr(f['fieldname'])} is restricted`,
      );
    }
    f['fieldname'] = cstr(f['fieldname'])
      .replace(/[^A-Za-z0-9_]/g, '')
      .toLowerCase();
  }
  for (const f of fields) {
    const rows = fields.filter((g) => g['fieldname'] === f['fieldname']).map((g) => g['idx']);
    if (rows.length > 1) {
      throw doctypeError(
        'UniqueFieldnameError',
        `${name}: Fieldname ${cstr(f['fieldname'])} appears multiple times in rows ${rows.map(cstr).join(', ')}`,
      );
    }
    if (cint(f['unique']) === 1 && !UNIQUE_TYPES.has(cstr(f['fieldtype']) || 'Data')) {
      throw doctypeError(
        'NonUniqueError',
        `${name}: Fieldtype ${cstr(f['fieldtype'])} for ${cstr(f['label'])} cannot be unique`,
      );
    }
  }
  const autoname = cstr(doc['autoname']);
  if (autoname.startsWith('field:')) {
    const field = autoname.split(':')[1] ?? '';
    const target = fields.find((f) => f['fieldname'] === field);
    if (!target) throw throwError('ValidationError', `Invalid fieldname '${field}' in autoname`);
    // validate_series: the autoname field becomes unique.
    target['unique'] = 1;
  }
}

/** validate_permissions, the checks a REST client can meet. */
function checkPermissions(doc: Doc, ctx: SiteContext): void {
  const txt = (p: Doc): string =>
    `For ${cstr(p['role'])} at level ${cint(p['permlevel'])} in ${cstr(doc['name'])} in row ${cstr(p['idx'])}`;
  for (const p of rowsOf(doc, 'permissions')) {
    const basic = ['select', 'read', 'write', 'submit', 'cancel', 'create'].some(
      (r) => cint(p[r]) === 1,
    );
    if (!basic) throw throwError('ValidationError', `${txt(p)}: No basic permissions set`);
    if (cint(p['submit']) === 1 && cint(doc['is_submittable']) !== 1) {
      throw throwError('ValidationError', `${txt(p)}: Cannot set Assign Submit if not Submittable`);
    }
    if (ctx.user !== 'Administrator' && AUTOMATIC_ROLES.has(cstr(p['role']))) {
      throw throwError(
        'ValidationError',
        `Row # ${cstr(p['idx'])}: Non administrator user can not set the role <strong>${cstr(p['role'])}</strong> to the custom doctype`,
        { title: 'Permissions Error' },
      );
    }
  }
}

/** The DocType controller: only custom DocTypes may be made on a site out of developer mode. */
export function registerCustomDocTypeHooks(hooks: HookRegistry): void {
  hooks.register('DocType', {
    validate: (doc, ctx) => {
      if (cint(doc['custom']) !== 1) {
        throw doctypeError(
          'CannotCreateStandardDoctypeError',
          "Not in Developer Mode! Set in site_config.json or make 'Custom' DocType.",
        );
      }
      if (cint(doc['is_virtual']) === 1) {
        throw doctypeError(
          'CannotCreateStandardDoctypeError',
          'Not allowed to create custom Virtual DocType.',
        );
      }
      checkName(cstr(doc['name']));
      checkFields(doc);
      if (cint(doc['istable']) !== 1) checkPermissions(doc, ctx);
    },
    onUpdate: (doc, ctx) => {
      syncCustomDocTypes(ctx.db, ctx.meta);
      for (const f of rowsOf(doc, 'fields')) {
        if (cint(f['unique']) === 1) {
          ctx.db.ensureUniqueIndex(cstr(doc['name']), cstr(f['fieldname']));
        }
      }
    },
    afterDelete: (_doc, ctx) => syncCustomDocTypes(ctx.db, ctx.meta),
  });
}
