import type { ErpDoc } from '../../erpnext/client.js';
import { FrappeError } from '../../erpnext/errors.js';
import {
  anchorBody,
  SHIFT_ANCHOR_DOCTYPE,
  SHIFT_ANCHOR_FIELDS,
  type ChainAnchor,
} from '../../erpnext/push-shift.js';
import { text as str } from '../../erpnext/text.js';
import type { PushContext, Outcome } from './context.js';
import { dependency } from './deps.js';
import type { Job } from './jobs.js';
import type { PushClient, PushEntry } from './types.js';

/**
 * Inserting a record whose name is already taken: Frappe's db_insert turns the primary key's
 * IntegrityError into DuplicateEntryError, 409 (frappe/model/base_document.py; recording 047).
 * The unique shift_uuid behind the name gives UniqueValidationError, 417, should a site have
 * renamed a record.
 */
const taken = (e: unknown): boolean =>
  e instanceof FrappeError &&
  ((e.status === 409 && e.excType === 'DuplicateEntryError') ||
    (e.status === 417 && e.excType === 'UniqueValidationError'));

async function getIfThere(client: PushClient, name: string): Promise<ErpDoc | null> {
  try {
    return await client.get(SHIFT_ANCHOR_DOCTYPE, name);
  } catch (e) {
    if (e instanceof FrappeError && e.status === 404) return null;
    throw e;
  }
}

/**
 * The anchor record, exactly once: named by the shift's uuid, so after an attempt whose answer
 * was lost one GET tells whether it is there, and an insert refused as a duplicate means it is.
 */
async function insertOnce(
  client: PushClient,
  shiftUuid: string,
  body: ErpDoc,
  mayExist: boolean,
): Promise<ErpDoc> {
  const there = mayExist ? await getIfThere(client, shiftUuid) : null;
  if (there) return there;
  try {
    return await client.insert(SHIFT_ANCHOR_DOCTYPE, body);
  } catch (e) {
    if (!taken(e)) throw e;
    const found = await getIfThere(client, shiftUuid);
    if (!found) throw e;
    return found;
  }
}

/**
 * The `sales_invoice` mode's closing: the shift's chain anchor as an Outpost Shift Anchor,
 * after every document of the shift has reached ERPNext (or been settled by hand), as the POS
 * Closing Entry waits in the `pos_invoice` mode.
 */
export async function pushAnchor(
  ctx: PushContext,
  job: Job,
  entry: PushEntry,
  anchor: ChainAnchor,
): Promise<Outcome> {
  const shiftUuid = str(entry.document['outpost_opening_uuid']);
  for (const d of ctx.jobs.shiftDocuments(shiftUuid, entry.seq)) {
    const dep = dependency(ctx, d.uuid, `the shift's ${d.kind}`, { resolvedCounts: true });
    if (dep.kind !== 'ready') return dep;
  }
  const openingStart = str(ctx.source.entry(shiftUuid).document['period_start_date']);
  const body = anchorBody(entry.document, shiftUuid, openingStart, anchor);
  const saved = await insertOnce(ctx.client, shiftUuid, body, job.attempts > 1);
  const F = SHIFT_ANCHOR_FIELDS;
  // A record under this shift's uuid that is not this Z report was not written by this till.
  if (str(saved[F.headHash]) !== anchor.headHash || Number(saved[F.lastSeq]) !== anchor.lastSeq) {
    return {
      kind: 'review',
      message: `${SHIFT_ANCHOR_DOCTYPE} ${shiftUuid} holds head hash ${str(saved[F.headHash])} at seq ${str(saved[F.lastSeq])}, this shift's Z report ${anchor.headHash} at seq ${anchor.lastSeq}`,
      reason:
        "ERPNext already holds an anchor for this shift that is not the till's: find out who wrote it (its Version history) before resolving",
    };
  }
  const name = str(saved['name']);
  ctx.jobs.done(job.uuid, { doctype: SHIFT_ANCHOR_DOCTYPE, name }, ctx.stamp());
  return { kind: 'done', doctype: SHIFT_ANCHOR_DOCTYPE, name };
}
