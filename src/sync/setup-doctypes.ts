import { z } from 'zod';
import type { ErpClient, ErpDoc } from '../erpnext/client.js';
import { readAnswer } from '../erpnext/answers.js';
import { FrappeError } from '../erpnext/errors.js';

/**
 * The custom DocTypes Outpost keeps in ERPNext, planned and created the same way. Created
 * through `POST /api/resource/DocType` with `custom: 1`, which a site out of developer mode
 * allows an Administrator or a System Manager (DocType's own DocPerms; doctype.py
 * check_developer_mode refuses only non-custom ones). Module "Custom" is Frappe's own, so no
 * app is touched.
 */
export interface DoctypeField {
  readonly fieldname: string;
  readonly label: string;
  readonly fieldtype: string;
  readonly unique?: 0 | 1;
  readonly reqd?: 0 | 1;
  readonly set_only_once?: 0 | 1;
  readonly in_list_view?: 0 | 1;
}

export interface DoctypeDefinition {
  readonly name: string;
  readonly module: 'Custom';
  readonly custom: 1;
  /** `field:<fieldname>`: the record's name is that field's value (naming.py _field_autoname). */
  readonly autoname: string;
  readonly naming_rule: 'By fieldname';
  readonly track_changes: 1;
  readonly description: string;
  readonly fields: readonly DoctypeField[];
  readonly permissions: readonly Readonly<Record<string, string | number>>[];
}

/** What differs from what setup would write: `expected` is ours, `found` is ERPNext's. */
export interface Difference {
  readonly property: string;
  readonly expected: string | number | null;
  readonly found: string | number | null;
}

export type DoctypeStatus =
  | { readonly name: string; readonly status: 'to_create' | 'ok' }
  | {
      readonly name: string;
      readonly status: 'conflicting';
      readonly differences: readonly Difference[];
      readonly fix: string;
    };

const flag = z.union([z.number(), z.boolean()]).transform(Number).optional().default(0);
const DocTypeAnswer = z.looseObject({
  custom: flag,
  autoname: z.string().nullable().optional(),
  fields: z.array(
    z.looseObject({ fieldname: z.string(), fieldtype: z.string(), unique: flag, reqd: flag }),
  ),
});

export const notFound = (e: unknown): boolean => e instanceof FrappeError && e.status === 404;

/** The DocType as ERPNext has it, against the definition's properties the push and audit rely on. */
export async function planDoctype(erp: ErpClient, def: DoctypeDefinition): Promise<DoctypeStatus> {
  let raw: ErpDoc;
  try {
    raw = await erp.get('DocType', def.name);
  } catch (e) {
    if (notFound(e)) return { name: def.name, status: 'to_create' };
    throw e;
  }
  const found = readAnswer(DocTypeAnswer, raw, `DocType ${def.name}`);
  const differences: Difference[] = [];
  if (found.autoname !== def.autoname) {
    differences.push({
      property: 'autoname',
      expected: def.autoname,
      found: found.autoname ?? null,
    });
  }
  for (const want of def.fields) {
    const have = found.fields.find((f) => f.fieldname === want.fieldname);
    const at = (p: string): string => `fields.${want.fieldname}.${p}`;
    if (!have)
      differences.push({ property: at('fieldtype'), expected: want.fieldtype, found: null });
    else if (have.fieldtype !== want.fieldtype)
      differences.push({
        property: at('fieldtype'),
        expected: want.fieldtype,
        found: have.fieldtype,
      });
    const unique = want.unique ?? 0;
    if (have && have.unique !== unique)
      differences.push({ property: at('unique'), expected: unique, found: have.unique });
  }
  if (differences.length === 0) return { name: def.name, status: 'ok' };
  return {
    name: def.name,
    status: 'conflicting',
    differences,
    fix: `a DocType "${def.name}" exists with another definition: correct it in ERPNext (Customize Form / DocType) to match docs/ERPNEXT-SETUP.md, or delete it (export its records first) and run outpost erpnext-setup again`,
  };
}

/** Creates the DocType (its controller adds the table and a unique index per unique field). */
export async function createDoctype(erp: ErpClient, def: DoctypeDefinition): Promise<void> {
  await erp.insert('DocType', structuredClone(def) as unknown as ErpDoc);
}
