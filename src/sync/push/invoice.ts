import { z } from 'zod';
import { parseWith } from '../../core/index.js';
import { text as str } from '../../erpnext/text.js';
import type { ErpDoc } from '../../erpnext/client.js';
import { totalDifferences } from '../../erpnext/push-check.js';
import { invoiceBody, invoiceDoctype } from '../../erpnext/push-invoice.js';
import { SALE_FIELDS } from '../../erpnext/custom-fields.js';
import type { InvoiceDoctype } from '../../erpnext/push-invoice.js';
import type { PushContext, Outcome } from './context.js';
import { dependency } from './deps.js';
import type { Job } from './jobs.js';
import { cancelOnce, insertAndSubmit } from './once.js';
import type { PushEntry } from './types.js';

/** ERPNext's item row names in row order: what a later return's rows point at. */
export const rowNames = (doc: ErpDoc): string[] =>
  (Array.isArray(doc['items']) ? (doc['items'] as Record<string, unknown>[]) : [])
    .slice()
    .sort((a, b) => Number(a['idx'] ?? 0) - Number(b['idx'] ?? 0))
    .map((r) => str(r['name']));

/** The doctype a job's document is (or will be) in ERPNext. */
const doctypeOf = (ctx: PushContext, job: Job): InvoiceDoctype =>
  job.remoteDoctype === 'POS Invoice' || job.remoteDoctype === 'Sales Invoice'
    ? job.remoteDoctype
    : invoiceDoctype(ctx.mode);

/** A sale or return whose dependencies are in ERPNext: the draft to send, and its submit. */
export interface ReadyInvoice {
  readonly kind: 'ready';
  readonly doctype: InvoiceDoctype;
  readonly body: ErpDoc;
  readonly submitFields?: ErpDoc;
}

/** Where a return against another store's sale points (pos/remote-return.ts signs it). */
const RemoteOriginalLink = z.object({
  doctype: z.string(),
  name: z.string(),
  rows: z.array(z.string()),
});

/**
 * The document a sale or a return becomes, once what it needs is in ERPNext: its shift's
 * opening (POS flow), its original (a return) and its customer. Otherwise what it waits for.
 */
export function prepareInvoice(
  ctx: PushContext,
  job: Job,
  entry: PushEntry,
): ReadyInvoice | Exclude<Outcome, { kind: 'done' | 'queued' }> {
  const doctype = doctypeOf(ctx, job);
  if (doctype === 'POS Invoice' && entry.shiftUuid) {
    const opening = dependency(ctx, entry.shiftUuid, 'the shift opening');
    if (opening.kind !== 'ready') return opening;
  }
  const doc = entry.document;
  let original: { name: string; rows: readonly string[] } | undefined;
  const againstUuid = str(doc['outpost_return_against_uuid']);
  if (againstUuid) {
    const dep = dependency(ctx, againstUuid, 'the original sale');
    if (dep.kind !== 'ready') return dep;
    if (dep.job.remoteDoctype !== doctype) {
      return {
        kind: 'review',
        message: `the original is a ${dep.job.remoteDoctype}, this return a ${doctype}`,
        reason: 'the posting mode changed between the sale and its return: post the return by hand',
      };
    }
    original = { name: dep.job.remoteName, rows: dep.job.remoteRows };
  }
  const remote = doc['outpost_return_against_remote'];
  if (remote !== undefined) {
    // Another store's sale, read from ERPNext when the return was made (pos/remote-return.ts).
    const r = parseWith(RemoteOriginalLink, remote, 'outpost_return_against_remote');
    if (r.doctype !== doctype) {
      return {
        kind: 'review',
        message: `the original is a ${r.doctype}, this return a ${doctype}`,
        reason: 'the posting mode changed between the return and its push: post it by hand',
      };
    }
    original = { name: r.name, rows: r.rows };
  }
  const customer = ctx.customers.resolve(str(doc['customer']));
  if (customer.kind === 'pending') {
    return { kind: 'blocked', why: `customer ${str(doc['customer'])} is not in ERPNext yet` };
  }
  const body = invoiceBody({
    invoice: doc,
    receiptNo: str(doc['outpost_invoice_no']) || null,
    signed: entry.signed,
    mode: doctype === 'POS Invoice' ? 'pos_invoice' : 'sales_invoice',
    customer: customer.name,
    ...(original ? { original } : {}),
    returnRows: entry.returnRows,
  });
  return { kind: 'ready', doctype, body, ...redeemedPaidAmount(doc) };
}

/**
 * A sale or a return: inserted as a draft (unless a batch already did: `draft`), submitted,
 * checked against the signed figures.
 */
export async function pushInvoice(
  ctx: PushContext,
  job: Job,
  entry: PushEntry,
  draft?: { readonly name: string },
): Promise<Outcome> {
  const ready = prepareInvoice(ctx, job, entry);
  if (ready.kind !== 'ready') return ready;
  const { doctype } = ready;
  const saved = await insertAndSubmit(ctx.client, {
    doctype,
    field: SALE_FIELDS[doctype].uuid,
    uuid: entry.uuid,
    knownName: draft?.name ?? job.remoteName,
    freshDraft: draft !== undefined,
    mayExist: job.attempts > 1,
    body: ready.body,
    onDraft: (name) => ctx.jobs.draft(job.uuid, doctype, name, ctx.stamp()),
    ...(ready.submitFields ? { submitFields: ready.submitFields } : {}),
  });
  const name = str(saved['name']);
  for (const d of totalDifferences(entry.document, saved)) {
    ctx.jobs.conflict(job.uuid, { doctype, name }, d, ctx.stamp());
  }
  ctx.jobs.done(job.uuid, { doctype, name, rows: rowNames(saved) }, ctx.stamp());
  return { kind: 'done', doctype, name };
}

/** A void: the pushed original cancelled (after it, whatever happened in between). */
export async function pushVoid(ctx: PushContext, job: Job, entry: PushEntry): Promise<Outcome> {
  const originalUuid = str(entry.document['outpost_uuid']);
  const dep = dependency(ctx, originalUuid, 'the voided sale');
  if (dep.kind !== 'ready') return dep;
  const { remoteDoctype: doctype, remoteName: name } = dep.job;
  await cancelOnce(ctx.client, doctype, name, job.attempts > 1);
  ctx.jobs.done(job.uuid, { doctype, name }, ctx.stamp());
  return { kind: 'done', doctype, name };
}

/**
 * A sale that redeems points: the draft save stores paid_amount as the payments alone
 * (set_paid_amount in before_save), and a bare `{docstatus: 1}` is then refused as a partial
 * payment (POS Invoice) or kept short of the points (Sales Invoice): the submit runs no
 * before_save. ERPNext's own POS page submits the whole document, whose paid_amount counts the
 * points; the push sends the signed paid_amount with the submit the same way.
 */
function redeemedPaidAmount(doc: Readonly<Record<string, unknown>>): { submitFields?: ErpDoc } {
  const loyalty = Number(doc['loyalty_amount'] ?? 0);
  if (!(loyalty > 0)) return {};
  return {
    submitFields: { paid_amount: doc['paid_amount'], base_paid_amount: doc['base_paid_amount'] },
  };
}
