import type { ErpDoc } from '../../erpnext/client.js';
import { FrappeError } from '../../erpnext/errors.js';
import { text } from '../../erpnext/text.js';
import { isDuplicateUuid } from './classify.js';
import type { PushClient } from './types.js';

/** What the exactly-once step needs to know about one document. */
export interface OnceTarget {
  readonly doctype: string;
  /** The unique custom field holding the uuid, and the uuid. */
  readonly field: string;
  readonly uuid: string;
  /** ERPNext's name when an earlier attempt got as far as a draft. */
  readonly knownName: string;
  /** `knownName` was inserted by this very pass (a batch): submit it without reading it first. */
  readonly freshDraft?: boolean;
  /** An earlier attempt may have reached ERPNext without our hearing back. */
  readonly mayExist: boolean;
  /** The draft to insert (docstatus 0). */
  readonly body: ErpDoc;
  /** Called with the draft's name as soon as it is known (recorded in its own commit). */
  readonly onDraft: (name: string) => void;
  /** Fields the submitting PUT sends with `docstatus: 1` (ERPNext's POS screen does the same). */
  readonly submitFields?: ErpDoc;
}

const docstatus = (d: ErpDoc): number => Number(d['docstatus'] ?? 0);
const nameOf = (d: ErpDoc): string => text(d['name']);

/** The document holding `uuid` in its unique field, read whole; null when there is none. */
export async function findByUuid(
  client: PushClient,
  doctype: string,
  field: string,
  uuid: string,
): Promise<ErpDoc | null> {
  const rows = await client.list(doctype, {
    fields: ['name', 'docstatus'],
    filters: [[field, '=', uuid]],
    limit_page_length: 2,
  });
  const first = rows[0];
  return first ? client.get(doctype, nameOf(first)) : null;
}

/**
 * Inserts the document as a draft and submits it, exactly once whatever happened before:
 * - a name already known (a draft from an earlier attempt or a crash) is submitted, not
 *   inserted again;
 * - after an attempt whose answer was lost, the uuid is looked up first;
 * - a 417 UniqueValidationError on insert means the uuid is there already: it is fetched;
 * - submitting an already submitted document is harmless (recording 220/221).
 * Returns the submitted (or, if cancelled meanwhile, cancelled) document.
 */
export async function insertAndSubmit(client: PushClient, t: OnceTarget): Promise<ErpDoc> {
  if (t.knownName && t.freshDraft) return submit(client, t, t.knownName);
  let doc: ErpDoc | null = t.knownName ? await getIfThere(client, t.doctype, t.knownName) : null;
  // A known draft that is gone (deleted after a refusal whose answer was lost, or by hand) is
  // looked for by uuid like any other earlier attempt.
  if (!doc && (t.mayExist || t.knownName))
    doc = await findByUuid(client, t.doctype, t.field, t.uuid);
  if (!doc) {
    try {
      doc = await client.insert(t.doctype, t.body);
    } catch (e) {
      if (!isDuplicateUuid(e)) throw e;
      doc = await findByUuid(client, t.doctype, t.field, t.uuid);
      // Unique on some other field, or the uuid's holder is not visible to this user.
      if (!doc) throw e;
    }
    t.onDraft(nameOf(doc));
  } else if (docstatus(doc) === 0) {
    t.onDraft(nameOf(doc));
  }
  if (docstatus(doc) !== 0) return doc;
  return submit(client, t, nameOf(doc));
}

const submit = (client: PushClient, t: OnceTarget, name: string): Promise<ErpDoc> =>
  client.update(t.doctype, name, { ...t.submitFields, docstatus: 1 });

/** The document, or null when ERPNext has no such name (404 DoesNotExistError). */
async function getIfThere(
  client: PushClient,
  doctype: string,
  name: string,
): Promise<ErpDoc | null> {
  try {
    return await client.get(doctype, name);
  } catch (e) {
    if (e instanceof FrappeError && e.status === 404) return null;
    throw e;
  }
}

/**
 * Cancels a submitted document once: one already cancelled (an earlier attempt whose answer
 * was lost) counts as done.
 */
export async function cancelOnce(
  client: PushClient,
  doctype: string,
  name: string,
  mayBeDone: boolean,
): Promise<ErpDoc> {
  if (mayBeDone) {
    const doc = await client.get(doctype, name);
    if (docstatus(doc) === 2) return doc;
  }
  try {
    return await client.cancel(doctype, name);
  } catch (e) {
    // "Cannot edit cancelled document": the cancel went through on an earlier try.
    if (e instanceof FrappeError && e.status === 417) {
      const doc = await client.get(doctype, name);
      if (docstatus(doc) === 2) return doc;
    }
    throw e;
  }
}
