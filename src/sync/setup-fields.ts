import { z } from 'zod';
import type { ErpClient, ErpDoc } from '../erpnext/client.js';
import { readAnswer } from '../erpnext/answers.js';
import { FrappeError } from '../erpnext/errors.js';
import { CUSTOM_FIELDS, type CustomFieldSpec } from '../erpnext/custom-fields.js';
import type { Difference } from './setup-doctypes.js';

/**
 * The Custom Fields against what ERPNext holds. A field is named `<dt>-<fieldname>` (Frappe's
 * CustomField.autoname), so one GET each finds it. What must match is what the push relies on:
 * `fieldtype`; `unique` (the uuid fields are the idempotency key; a unique terminal or seq would
 * refuse the second sale); `no_copy` (consolidation and amendment copy same-named fields, and
 * a copied uuid makes ERPNext refuse the sale's own document [237, 246]). Label, position and
 * read_only are the form's business: a difference there is left alone.
 *
 * A field that differs is reported with its fix, never changed here: altering a field that
 * already holds data (making it unique over duplicates, changing its type) is a decision for
 * whoever runs the site, and Frappe may refuse it anyway.
 */
export interface FieldConflict {
  readonly name: string;
  readonly differences: readonly Difference[];
  /** ERPNext's refusal, when the field could not be created and is not there either. */
  readonly refused?: string;
  readonly fix: string;
}

export interface FieldPlan {
  readonly to_create: readonly CustomFieldSpec[];
  readonly ok: readonly string[];
  readonly conflicting: readonly FieldConflict[];
}

const flag = z.union([z.number(), z.boolean()]).transform(Number).optional().default(0);
const CustomFieldAnswer = z.looseObject({
  name: z.string(),
  fieldtype: z.string(),
  unique: flag,
  no_copy: flag,
});

export const fieldName = (spec: CustomFieldSpec): string => `${spec.dt}-${spec.fieldname}`;

function differencesOf(
  spec: CustomFieldSpec,
  found: z.output<typeof CustomFieldAnswer>,
): Difference[] {
  const out: Difference[] = [];
  if (found.fieldtype !== spec.fieldtype)
    out.push({ property: 'fieldtype', expected: spec.fieldtype, found: found.fieldtype });
  for (const p of ['unique', 'no_copy'] as const) {
    const want = spec[p] ?? 0;
    if (found[p] !== want) out.push({ property: p, expected: want, found: found[p] });
  }
  return out;
}

function fixFor(spec: CustomFieldSpec, differences: readonly Difference[]): string {
  const what = differences.map((d) => `${d.property} ${String(d.expected)}`).join(', ');
  const unique = differences.some((d) => d.property === 'unique' && d.expected === 1)
    ? ' (making it unique fails while two records share a value: clear the duplicates first)'
    : '';
  return `in ERPNext open Custom Field "${fieldName(spec)}" and set ${what}${unique}, or delete it (its column and values stay in the table) and run outpost erpnext-setup again`;
}

/** One Custom Field as ERPNext has it: to create, as specified, or in conflict. */
async function planOne(
  erp: ErpClient,
  spec: CustomFieldSpec,
): Promise<FieldConflict | 'ok' | 'to_create'> {
  let raw: ErpDoc;
  try {
    raw = await erp.get('Custom Field', fieldName(spec));
  } catch (e) {
    if (e instanceof FrappeError && e.status === 404) return 'to_create';
    throw e;
  }
  const found = readAnswer(CustomFieldAnswer, raw, `Custom Field ${fieldName(spec)}`);
  const differences = differencesOf(spec, found);
  if (differences.length === 0) return 'ok';
  return { name: fieldName(spec), differences, fix: fixFor(spec, differences) };
}

export async function planFields(erp: ErpClient): Promise<FieldPlan> {
  const plan = {
    to_create: [] as CustomFieldSpec[],
    ok: [] as string[],
    conflicting: [] as FieldConflict[],
  };
  for (const spec of CUSTOM_FIELDS) {
    const r = await planOne(erp, spec);
    if (r === 'to_create') plan.to_create.push(spec);
    else if (r === 'ok') plan.ok.push(fieldName(spec));
    else plan.conflicting.push(r);
  }
  return plan;
}

/**
 * Installs one field. Refused with 417 because the doctype already has that fieldname (a
 * standard field, or a custom one created meanwhile: CustomField.validate), it is looked at
 * again and reported as what it is; the field is never created twice.
 */
export async function installField(
  erp: ErpClient,
  spec: CustomFieldSpec,
): Promise<FieldConflict | 'created' | 'ok'> {
  try {
    await erp.insert('Custom Field', { ...spec });
    return 'created';
  } catch (e) {
    if (!(e instanceof FrappeError) || (e.status !== 417 && e.status !== 409)) throw e;
    const again = await planOne(erp, spec);
    if (again === 'ok') return 'ok';
    if (again !== 'to_create') return again;
    return {
      name: fieldName(spec),
      differences: [],
      refused: `${e.status} ${e.excType}: ${e.message}`,
      fix: `if ${spec.dt} already has a field named ${spec.fieldname} that is not this Custom Field (a standard field or a Property Setter), rename or remove it in ERPNext; otherwise fix what ERPNext names; then run outpost erpnext-setup again`,
    };
  }
}
