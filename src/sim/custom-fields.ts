import type { SiteContext } from './context.js';
import type { SimDb } from './db.js';
import { cstr } from './doc.js';
import type { HookRegistry } from './hooks.js';
import type { MetaRegistry } from './meta.js';
import { parseField } from './meta.js';
import { parseStoredDoc } from './stored-json.js';

/** Rebuild the merged meta from the Custom Field documents in the database. */
export function syncCustomFields(db: SimDb, meta: MetaRegistry): void {
  const rows = db.sql
    .prepare<[], { data: string }>("SELECT data FROM docs WHERE doctype = 'Custom Field'")
    .all();
  meta.setCustomFields(
    rows.map((r) => {
      const d = parseStoredDoc(r.data, 'docs: Custom Field');
      return { dt: cstr(d['dt']), field: parseField(d), insertAfter: cstr(d['insert_after']) };
    }),
  );
}

const scrub = (label: string): string =>
  label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * Custom Field controller: named "{dt}-{fieldname}", added to the doctype's meta at once, and a
 * `unique` one gets a unique index in the same transaction (Frappe alters the table likewise).
 */
export function registerCustomFieldHooks(hooks: HookRegistry): void {
  hooks.register('Custom Field', {
    autoname: (doc) => `${cstr(doc['dt'])}-${cstr(doc['fieldname'])}`,
    beforeInsert: (doc, ctx: SiteContext) => {
      if (!doc['fieldname']) doc['fieldname'] = scrub(cstr(doc['label']));
      // Frappe numbers a custom field by its place in the form: right after insert_after.
      const fields = ctx.meta.get(cstr(doc['dt']))?.fields ?? [];
      const at = fields.findIndex((f) => f.fieldname === doc['insert_after']);
      if (at >= 0) doc['idx'] = at + 1;
    },
    afterInsert: (doc, ctx: SiteContext) => {
      syncCustomFields(ctx.db, ctx.meta);
      if (doc['unique'] === 1) ctx.db.ensureUniqueIndex(cstr(doc['dt']), cstr(doc['fieldname']));
    },
  });
}
