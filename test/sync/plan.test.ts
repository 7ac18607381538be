import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PULL_PLAN } from '../../src/sync/plan.js';

const schemaDir = join(import.meta.dirname, '../fixtures/erpnext-schema');
const STANDARD = new Set([
  'name',
  'modified',
  'creation',
  'owner',
  'idx',
  'docstatus',
  'parent',
  'parentfield',
  'parenttype',
]);

function fieldsOf(doctype: string): Set<string> {
  const file = join(schemaDir, `${doctype.toLowerCase().replaceAll(' ', '_')}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { fields: { fieldname: string }[] };
  return new Set(json.fields.map((f) => f.fieldname));
}

/** ERPNext answers 417 "Field not permitted in query" for an unknown column: check every one. */
describe('pull plan', () => {
  it('asks only for fields that ERPNext v15 doctypes have', () => {
    for (const spec of PULL_PLAN) {
      if (spec.fields) {
        const known = fieldsOf(spec.doctype);
        for (const f of spec.fields)
          expect({
            doctype: spec.doctype,
            field: f,
            known: known.has(f) || STANDARD.has(f),
          }).toMatchObject({ known: true });
      }
      for (const child of spec.children ?? []) {
        const known = fieldsOf(child.doctype);
        for (const f of child.fields)
          expect({ doctype: child.doctype, field: f, known: known.has(f) }).toMatchObject({
            known: true,
          });
        expect(fieldsOf(spec.doctype).has(child.field)).toBe(true);
      }
    }
  });
});
