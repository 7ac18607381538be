import { cstr } from '../doc.js';
import { throwError } from '../errors.js';
import type { HookRegistry } from '../hooks.js';

/**
 * CustomField.validate on a new field (frappe/custom/doctype/custom_field/custom_field.py): a
 * fieldname the doctype already has, standard or custom, is refused with 417 ValidationError
 * before the insert ever reaches the database, so a second install of the same field is never
 * a 409 DuplicateEntryError on a real site.
 */
export function registerCustomFieldExistsHook(hooks: HookRegistry): void {
  hooks.register('Custom Field', {
    beforeInsert: (doc, ctx) => {
      const dt = cstr(doc['dt']);
      const fieldname = cstr(doc['fieldname']).toLowerCase();
      if (ctx.meta.get(dt)?.fieldMap.has(fieldname)) {
        throw throwError(
          'ValidationError',
          `A field with the name <strong>${fieldname}</strong> already exists in ${dt}`,
        );
      }
    },
  });
}
