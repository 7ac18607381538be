import type { ErpDoc } from '../../erpnext/client.js';
import { FrappeError, UnreachableError } from '../../erpnext/errors.js';
import type { PushContext } from './context.js';
import { prepareInvoice } from './invoice.js';
import type { Job } from './jobs.js';

/**
 * How many drafts one `frappe.client.insert_many` carries. Frappe takes up to 200, in one
 * transaction; a batch holds the naming series' row lock (and the request) for all its inserts,
 * so it stays small: 20 drafts cut the round trips of a backlog nearly in half (20 inserts +
 * 20 submits become 1 + 20) while a request stays a few seconds long on a real site.
 */
export const INSERT_BATCH = 20;

/** A draft the batch inserted: the job is submitted next, without reading the draft back. */
export interface BatchDraft {
  readonly doctype: string;
  readonly name: string;
}

/**
 * Inserts the drafts of the run of fresh sales and returns that starts at `jobs[start]`, in one
 * request, and records them; returns them by uuid.
 *
 * Only work never sent before (attempts 0, no draft) joins, so nothing in a batch can already
 * be in ERPNext; the run is contiguous and stops at the first job that is not ready (a return
 * whose original is in the same run, a customer not yet pushed, a shift's entry), so documents
 * still reach ERPNext in journal order. Submits stay one per document: Frappe's bulk_update
 * saves each document without a savepoint and commits the request even when one fails midway,
 * which a half-posted invoice must never risk.
 *
 * insert_many is all or nothing (recordings 116-117). When it fails for any reason, nothing is
 * recorded and the caller pushes the same jobs one by one (`tried` keeps them out of another
 * batch in this pass): after a lost answer their counted attempts make each look its uuid up
 * before inserting, and a document ERPNext refuses goes to review alone.
 */
export async function insertBatch(
  ctx: PushContext,
  jobs: readonly Job[],
  start: number,
  now: number,
  tried: Set<string>,
): Promise<Map<string, BatchDraft>> {
  const drafts = new Map<string, BatchDraft>();
  const [first, second] = [jobs[start], jobs[start + 1]];
  if (!first || !second || tried.has(first.uuid) || !fresh(first, now) || !fresh(second, now)) {
    return drafts;
  }
  const run: { job: Job; doc: ErpDoc }[] = [];
  for (let i = start; i < jobs.length && run.length < INSERT_BATCH; i++) {
    const job = jobs[i];
    if (!job || !fresh(job, now)) break;
    let entry;
    let ready;
    try {
      entry = ctx.source.entry(job.uuid);
      if (entry.action !== 'insert') break;
      ready = prepareInvoice(ctx, job, entry);
    } catch {
      break; // the one-by-one push reports it
    }
    if (ready.kind !== 'ready') break;
    // ERPNext checks a redemption against the points of SUBMITTED invoices when the draft is
    // inserted: a sale redeeming points earned by an earlier draft of the same batch would fail
    // the whole batch. It may only open one.
    if (run.length > 0 && Number(entry.document['redeem_loyalty_points'] ?? 0) > 0) break;
    run.push({ job, doc: { ...ready.body, doctype: ready.doctype } });
  }
  if (run.length < 2) return drafts;
  const uuids = run.map((r) => r.job.uuid);
  for (const uuid of uuids) tried.add(uuid);
  ctx.jobs.beginAttempts(uuids, ctx.stamp());
  let names: string[];
  try {
    names = await ctx.client.insertMany(run.map((r) => r.doc));
  } catch (e) {
    // Anything but ERPNext's answer or the link failing is this process's fault: it stops.
    if (!(e instanceof FrappeError || e instanceof UnreachableError)) throw e;
    // ERPNext refused a document (417 and kin): its transaction rolled back, nothing of the
    // batch is there, and the one-by-one push need not look the uuids up first.
    if (e instanceof FrappeError && e.status === 417) ctx.jobs.undoAttempts(uuids, ctx.stamp());
    return drafts;
  }
  if (names.length !== run.length) return drafts;
  run.forEach((r, i) => {
    drafts.set(r.job.uuid, { doctype: String(r.doc['doctype']), name: names[i] ?? '' });
  });
  ctx.jobs.drafts(
    run.map((r) => {
      const d = drafts.get(r.job.uuid);
      return { uuid: r.job.uuid, doctype: d?.doctype ?? '', name: d?.name ?? '' };
    }),
    ctx.stamp(),
  );
  return drafts;
}

const fresh = (job: Job, now: number): boolean =>
  job.state === 'pending' &&
  job.attempts === 0 &&
  job.remoteName === '' &&
  job.nextAt <= now &&
  (job.doctype === 'POS Invoice' || job.doctype === 'Sales Invoice');
