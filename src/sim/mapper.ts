import type { Doc } from './doc.js';
import type { DocMeta } from './meta.js';
import { CHILD_FIELDS, STANDARD_FIELDS, isTable } from './meta.js';

/**
 * Frappe's map_fields (frappe/model/mapper.py, used by map_doc / map_child_doc / get_mapped_doc):
 * every field of the target doctype, custom fields included, takes the source's value of the
 * same fieldname, unless that value is None or "" or the field is excluded. Excluded are the
 * fields marked no_copy on EITHER doctype, table fields, the standard columns (name, owner,
 * docstatus, idx …) and a child's parent link. A Link field still empty that points at the
 * source's doctype gets the source's name. Frappe then copies the source's idx; callers that
 * append the row renumber it.
 *
 * This is how a custom field reaches a mapped document: a Custom Field with the same fieldname
 * on both doctypes and no_copy 0 is carried over (the consolidated Sales Invoice gets the last
 * merged POS Invoice's value, recorded in 237).
 */
export function mapFields(
  sourceMeta: DocMeta,
  source: Readonly<Doc>,
  targetMeta: DocMeta,
  target: Doc,
): void {
  const excluded = new Set<string>([...STANDARD_FIELDS, ...CHILD_FIELDS]);
  for (const m of [sourceMeta, targetMeta]) {
    for (const f of m.fields) if (f.noCopy || isTable(f)) excluded.add(f.fieldname);
  }
  for (const f of targetMeta.fields) {
    if (excluded.has(f.fieldname)) continue;
    const value = source[f.fieldname];
    if (value !== null && value !== undefined && value !== '') {
      target[f.fieldname] = value;
    } else if (
      f.fieldtype === 'Link' &&
      !target[f.fieldname] &&
      f.options === sourceMeta.name &&
      typeof source['name'] === 'string'
    ) {
      target[f.fieldname] = source['name'];
    }
  }
}
