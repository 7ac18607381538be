import { cstr } from './doc.js';
import type { Doc } from './doc.js';
import { asDict } from './doc-shape.js';
import { cancelDoc, insertDoc, saveDoc, submitDoc } from './document.js';
import { deleteDoc } from './delete.js';
import { throwError } from './errors.js';
import { parseJsonArg } from './filters.js';
import type { MethodDef } from './method-types.js';
import { message } from './method-types.js';
import { CHILD_FIELDS, STANDARD_FIELDS } from './meta.js';

const POST_PUT = ['POST', 'PUT'] as const;
const POST_PUT_DELETE = ['POST', 'PUT', 'DELETE'] as const;

const str = (v: unknown): string => cstr(v);

const asDoc = (v: unknown): Doc => {
  const parsed = parseJsonArg(v);
  return parsed && typeof parsed === 'object' ? (parsed as Doc) : {};
};

/** frappe.client.set_value's value handling: a field and value, or a JSON dict of them. */
function valuesOf(fieldname: unknown, value: unknown): Doc {
  const standard: readonly string[] = [...STANDARD_FIELDS, ...CHILD_FIELDS];
  if (typeof fieldname === 'string' && standard.includes(fieldname)) {
    throw throwError('ValidationError', 'Cannot edit standard fields');
  }
  if (value !== undefined && value !== null && value !== '') return { [str(fieldname)]: value };
  if (typeof fieldname !== 'string') return asDoc(fieldname);
  try {
    const values: unknown = JSON.parse(fieldname);
    return asDoc(values);
  } catch {
    return { [fieldname]: '' };
  }
}

/** Frappe's writing frappe.client methods (whitelisted for POST/PUT, delete also DELETE). */
export function writeMethods(): Map<string, MethodDef> {
  const m = new Map<string, MethodDef>();
  m.set('frappe.client.insert', {
    httpMethods: POST_PUT,
    run: (c) => {
      const doc = asDoc(c.args['doc']);
      const meta = c.ctx.meta.require(str(doc['doctype']));
      return message(asDict(c.ctx, meta, insertDoc(c.ctx, meta.name, doc), false));
    },
  });
  m.set('frappe.client.insert_many', {
    httpMethods: POST_PUT,
    run: (c) => {
      const docs = parseJsonArg(c.args['docs']);
      const list = Array.isArray(docs) ? docs : [];
      if (list.length > 200)
        throw throwError('ValidationError', 'Only 200 inserts allowed in one request');
      // Atomic: one failure throws and the request transaction rolls back the earlier inserts.
      return message(
        list.map((d) => str(insertDoc(c.ctx, str(asDoc(d)['doctype']), asDoc(d))['name'])),
      );
    },
  });
  m.set('frappe.client.submit', {
    httpMethods: POST_PUT,
    run: (c) => {
      const doc = asDoc(c.args['doc']);
      const meta = c.ctx.meta.require(str(doc['doctype']));
      return message(asDict(c.ctx, meta, submitDoc(c.ctx, doc), false));
    },
  });
  m.set('frappe.client.cancel', {
    httpMethods: POST_PUT,
    run: (c) => {
      const doctype = str(c.args['doctype']);
      const meta = c.ctx.meta.require(doctype);
      return message(asDict(c.ctx, meta, cancelDoc(c.ctx, doctype, str(c.args['name'])), false));
    },
  });
  m.set('frappe.client.delete', {
    httpMethods: POST_PUT_DELETE,
    run: (c) => {
      deleteDoc(c.ctx, str(c.args['doctype']), str(c.args['name']), c.allDoctypes());
      return message(null);
    },
  });
  m.set('frappe.client.save', {
    httpMethods: POST_PUT,
    run: (c) => {
      const doc = asDoc(c.args['doc']);
      const meta = c.ctx.meta.require(str(doc['doctype']));
      return message(asDict(c.ctx, meta, saveDoc(c.ctx, meta.name, str(doc['name']), doc), false));
    },
  });
  m.set('frappe.client.set_value', {
    httpMethods: POST_PUT,
    run: (c) => {
      const doctype = str(c.args['doctype']);
      const meta = c.ctx.meta.require(doctype);
      const values = valuesOf(c.args['fieldname'], c.args['value']);
      if (!meta.istable) {
        const saved = saveDoc(c.ctx, doctype, str(c.args['name']), values);
        return message(asDict(c.ctx, meta, saved, false));
      }
      // A child row is changed through its parent, which is saved as a whole.
      const row = c.ctx.db.get(doctype, str(c.args['name']));
      const parentType = row?.parenttype ?? '';
      const parent = c.ctx.meta.require(parentType);
      const doc = saveDoc(c.ctx, parentType, row?.parent ?? '', {
        [row?.parentfield ?? '']: c.ctx.db
          .children(parentType, row?.parent ?? '')
          .filter((r) => r.parentfield === row?.parentfield)
          .map((r) => (r.name === row?.name ? { ...r.data, ...values } : r.data)),
      });
      return message(asDict(c.ctx, parent, doc, false));
    },
  });
  return m;
}
