import { text as str } from '../../erpnext/text.js';
import type { ErpDoc } from '../../erpnext/client.js';
import { SHIFT_UUID_FIELD } from '../../erpnext/custom-fields.js';
import type { ChainAnchor, ClosingInvoice } from '../../erpnext/push-shift.js';
import { closingBody, openingBody } from '../../erpnext/push-shift.js';
import type { PushContext, Outcome } from './context.js';
import { dependency } from './deps.js';
import type { Job } from './jobs.js';
import { insertAndSubmit } from './once.js';
import { pushAnchor } from './shift-anchor.js';
import type { PushEntry } from './types.js';

type Rec = Readonly<Record<string, unknown>>;
const num = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v) || '0');

/** Work that has no document in the `sales_invoice` mode: done without a request. */
function notSent(ctx: PushContext, job: Job): Outcome {
  ctx.jobs.done(job.uuid, { doctype: '', name: '' }, ctx.stamp());
  return { kind: 'done', doctype: '', name: '' };
}

/** A shift's POS Opening Entry, keyed by the shift's uuid. */
export async function pushOpening(ctx: PushContext, job: Job, entry: PushEntry): Promise<Outcome> {
  if (ctx.mode === 'sales_invoice' && !job.remoteName) return notSent(ctx, job);
  const doctype = 'POS Opening Entry';
  const shiftUuid = entry.uuid;
  const saved = await insertAndSubmit(ctx.client, {
    doctype,
    field: SHIFT_UUID_FIELD,
    uuid: shiftUuid,
    knownName: job.remoteName,
    mayExist: job.attempts > 1,
    body: openingBody({ payload: entry.document, shiftUuid, user: await ctx.user() }),
    onDraft: (name) => ctx.jobs.draft(job.uuid, doctype, name, ctx.stamp()),
  });
  const name = str(saved['name']);
  ctx.jobs.done(job.uuid, { doctype, name }, ctx.stamp());
  return { kind: 'done', doctype, name };
}

/** One pushed POS Invoice as the closing lists it, from its signed document. */
function closingInvoice(ctx: PushContext, name: string, doc: Rec): ClosingInvoice {
  const customer = ctx.customers.resolve(str(doc['customer']));
  const taxes = Array.isArray(doc['taxes']) ? (doc['taxes'] as Rec[]) : [];
  return {
    name,
    posting_date: str(doc['posting_date']),
    posting_time: str(doc['posting_time']),
    customer: customer.kind === 'erpnext' ? customer.name : str(doc['customer']),
    grand_total: num(doc['grand_total']),
    net_total: num(doc['net_total']),
    total_qty: num(doc['total_qty']),
    taxes: taxes.map((t) => ({
      account_head: str(t['account_head']),
      rate: num(t['rate']),
      amount: num(t['tax_amount']),
    })),
  };
}

/** The chain anchor of the shift's Z report (its signed journal record). */
function chainAnchor(entry: PushEntry): ChainAnchor {
  const z = entry.body;
  return {
    terminal: entry.signed.terminal,
    firstSeq: Number(z['first_seq'] ?? 0),
    lastSeq: entry.seq,
    headHash: entry.signed.hash,
    perpetualTotal: str(z['perpetual_grand_total']),
    headerText: entry.signed.headerText,
    bodyText: entry.signed.bodyText,
    signature: entry.signed.signature,
    keyId: entry.signed.keyId,
  };
}

/**
 * The shift's closing, after every document of the shift. In the `pos_invoice` mode a POS
 * Closing Entry: exactly the shift's pushed, not voided invoices, the cashier's count, and the
 * chain anchor of the Z report. In the `sales_invoice` mode only the anchor (shift-anchor.ts),
 * unless the closing had already become a POS Closing Entry before the mode changed.
 */
export async function pushClosing(ctx: PushContext, job: Job, entry: PushEntry): Promise<Outcome> {
  const doctype = 'POS Closing Entry';
  if (ctx.mode === 'sales_invoice' && job.remoteDoctype !== doctype) {
    return pushAnchor(ctx, job, entry, chainAnchor(entry));
  }
  if (job.state === 'queued') return pollClosing(ctx, job);
  const shiftUuid = str(entry.document['outpost_opening_uuid']);
  const opening = dependency(ctx, shiftUuid, 'the shift opening');
  if (opening.kind !== 'ready') return opening;
  const invoices: ClosingInvoice[] = [];
  for (const d of ctx.jobs.shiftDocuments(shiftUuid, entry.seq)) {
    const dep = dependency(ctx, d.uuid, `the shift's ${d.kind}`, { resolvedCounts: true });
    if (dep.kind !== 'ready') return dep;
    if (d.kind === 'void' || dep.job.state !== 'done') continue;
    if (dep.job.remoteDoctype !== 'POS Invoice') continue;
    const voided = ctx.jobs.voidOf(d.uuid);
    if (voided && ctx.jobs.get(voided)?.state === 'done') continue;
    const doc = ctx.source.entry(d.uuid).document;
    const waits = await unconsolidatedOriginal(ctx, doc);
    if (waits) return { kind: 'blocked', why: waits };
    invoices.push(closingInvoice(ctx, dep.job.remoteName, doc));
  }
  const body = closingBody({
    payload: entry.document,
    shiftUuid,
    openingName: opening.job.remoteName,
    openingStart: str(ctx.source.entry(shiftUuid).document['period_start_date']),
    user: await ctx.user(),
    invoices,
    anchor: chainAnchor(entry),
  });
  const saved = await insertAndSubmit(ctx.client, {
    doctype,
    field: SHIFT_UUID_FIELD,
    uuid: shiftUuid,
    knownName: job.remoteName,
    mayExist: job.attempts > 1,
    body,
    onDraft: (name) => ctx.jobs.draft(job.uuid, doctype, name, ctx.stamp()),
  });
  return closingStatus(ctx, job, saved);
}

/**
 * A return of the shift against another store's POS Invoice (pos/remote-return.ts) is merged
 * only once that original is consolidated: ERPNext refuses the closing otherwise
 * (pos_invoice_merge_log.py validate_pos_invoice_status). The closing waits for the other
 * store's; null when nothing holds it.
 */
async function unconsolidatedOriginal(ctx: PushContext, doc: Rec): Promise<string | null> {
  const remote = doc['outpost_return_against_remote'];
  if (typeof remote !== 'object' || remote === null) return null;
  const name = str((remote as Rec)['name']);
  const original = await ctx.client.get('POS Invoice', name);
  if (str(original['status']) === 'Consolidated') return null;
  return `POS Invoice ${name}, another store's sale returned in this shift, is not consolidated yet: ERPNext merges the return only after it (its store's shift closing)`;
}

/** A queued consolidation, looked at again. */
async function pollClosing(ctx: PushContext, job: Job): Promise<Outcome> {
  return closingStatus(ctx, job, await ctx.client.get('POS Closing Entry', job.remoteName));
}

/**
 * Submitted: done. Queued (10 invoices or more are consolidated by a background job, 141):
 * looked at again later. Failed: the consolidation rolled back, for review with its message.
 */
function closingStatus(ctx: PushContext, job: Job, doc: ErpDoc): Outcome {
  const name = str(doc['name']);
  const status = str(doc['status']);
  if (status === 'Queued') {
    ctx.jobs.queued(job.uuid, 'POS Closing Entry', name, ctx.clock.now() + ctx.pollMs, ctx.stamp());
    return { kind: 'queued', name };
  }
  if (status === 'Failed') {
    return {
      kind: 'review',
      message: str(doc['error_message']) || 'the consolidation failed',
      reason:
        "ERPNext could not consolidate the shift's invoices (often stock that was not there at the time): fix it in ERPNext, then retry",
    };
  }
  ctx.jobs.done(job.uuid, { doctype: 'POS Closing Entry', name }, ctx.stamp());
  return { kind: 'done', doctype: 'POS Closing Entry', name };
}
