import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, rowsOf } from '../doc.js';
import { dbSet, saveDoc } from '../document.js';
import { FrappeError, thrownMessage, throwError } from '../errors.js';
import type { ServerMessage } from '../errors.js';
import type { HookRegistry } from '../hooks.js';
import { consolidate } from './merge-log.js';
import { msgprint } from './returns.js';
import { findNames, readDoc } from './store.js';

const erp = { fromErpnext: true } as const;

/** frappe.throw(list, as_list=True): the message is the list itself. */
function listError(title: string, list: string[]): FrappeError {
  const shown = { ...thrownMessage('', title), message: list, as_list: 1 };
  return new FrappeError('ValidationError', 417, `[${list.map((m) => `'${m}'`).join(', ')}]`, {
    messages: [shown as unknown as ServerMessage],
    fromErpnext: true,
  });
}

function validate(doc: Doc, ctx: SiteContext): void {
  const now = ctx.time.stamp();
  doc['posting_date'] ||= now.slice(0, 10);
  doc['posting_time'] ||= now.slice(11);
  const opening = readDoc(ctx, 'POS Opening Entry', cstr(doc['pos_opening_entry']));
  if (cstr(opening?.['status']) !== 'Open') {
    throw throwError('ValidationError', 'Selected POS Opening Entry should be open.', {
      title: 'Invalid Opening Entry',
      ...erp,
    });
  }
  const seen = new Map<string, number[]>();
  rowsOf(doc, 'pos_transactions').forEach((r, i) => {
    const key = cstr(r['pos_invoice']);
    seen.set(key, [...(seen.get(key) ?? []), i + 1]);
  });
  const dups = [...seen]
    .filter(([, rows]) => rows.length > 1)
    .map(
      ([k, rows]) =>
        `<strong>${k}</strong> is added multiple times on rows: <strong>[${rows.join(', ')}]</strong>`,
    );
  if (dups.length) throw listError('Duplicate POS Invoices found', dups);
  const invalid: string[] = [];
  for (const r of rowsOf(doc, 'pos_transactions')) {
    const inv = readDoc(ctx, 'POS Invoice', cstr(r['pos_invoice']));
    const idx = cint(r['idx']);
    if (!inv) continue;
    if (cstr(inv['consolidated_invoice'])) {
      invalid.push(`Row #${idx}: POS Invoice is already consolidated`);
      continue;
    }
    if (inv['pos_profile'] !== doc['pos_profile']) {
      invalid.push(
        `Row #${idx}: POS Profile doesn't match <strong>${cstr(doc['pos_profile'])}</strong>`,
      );
    }
    if (cint(inv['docstatus']) !== 1) invalid.push(`Row #${idx}: POS Invoice is not submitted`);
    if (inv['owner'] !== doc['user']) {
      invalid.push(
        `Row #${idx}: POS Invoice isn't created by user <strong>${cstr(doc['owner'])}</strong>`,
      );
    }
  }
  if (invalid.length) throw listError('Invalid POS Invoices', invalid);
}

/** Link the opening entry to its closing (status Closed), as update_opening_entry does. */
function closeOpening(ctx: SiteContext, closing: Doc, cancel = false): void {
  const name = cstr(closing['pos_opening_entry']);
  if (!readDoc(ctx, 'POS Opening Entry', name)) return;
  saveDoc(
    ctx,
    'POS Opening Entry',
    name,
    { pos_closing_entry: cancel ? null : closing['name'], status: cancel ? 'Open' : 'Closed' },
    { ignorePermissions: true, ignoreLinks: true },
  );
}

/** Invoices at which ERPNext hands consolidation to a background job. */
const QUEUE_AT = 10;

/** Seconds a queued consolidation waits, as the background worker would pick it up later. */
const JOB_DELAY_MS = 2000;

/**
 * The background job for closings of ≥ QUEUE_AT invoices: consolidate, then Submitted (or
 * Failed with the error, the whole consolidation rolled back). Runs each queued closing whose
 * last write is at least JOB_DELAY_MS old; `run` gives each its own transaction.
 */
export function runQueuedClosings(
  ctx: SiteContext,
  nowStamp: string,
  run: (job: () => void) => void,
): void {
  const due = findNames(ctx, 'POS Closing Entry', [
    ['status', '=', 'Queued'],
    ['docstatus', '=', 1],
  ]);
  for (const name of due) {
    const doc = readDoc(ctx, 'POS Closing Entry', name);
    if (!doc || ageMs(cstr(doc['modified']), nowStamp) < JOB_DELAY_MS) continue;
    try {
      run(() => {
        consolidate(ctx, doc);
        // create_merge_logs: set_status("Submitted"), then update_opening_entry (saved last).
        dbSet(ctx, 'POS Closing Entry', doc, {
          status: 'Submitted',
          error_message: '',
          modified: ctx.time.stamp(),
        });
        closeOpening(ctx, doc);
      });
    } catch (e) {
      run(() => {
        const fresh = readDoc(ctx, 'POS Closing Entry', name) ?? doc;
        dbSet(ctx, 'POS Closing Entry', fresh, {
          status: 'Failed',
          error_message: e instanceof Error ? e.message : String(e),
          modified: ctx.time.stamp(),
        });
      });
    }
  }
}

function ageMs(from: string, to: string): number {
  const ms = (s: string): number => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
  return ms(to) - ms(from);
}

/** ERPNext's POS Closing Entry controller. */
export function registerPosClosingEntry(hooks: HookRegistry): void {
  hooks.register('POS Closing Entry', {
    validate,
    beforeSubmit: (doc) => {
      if (rowsOf(doc, 'pos_transactions').length >= QUEUE_AT) doc['status'] = 'Queued';
    },
    onSubmit: (doc, ctx) => {
      if (rowsOf(doc, 'pos_transactions').length >= QUEUE_AT) {
        // Consolidated later by runQueuedClosings, as the background job would.
        msgprint(ctx, 'POS Invoices will be consolidated in a background process', { alert: 1 });
        return;
      }
      const logs = consolidate(ctx, doc);
      closeOpening(ctx, doc);
      dbSet(ctx, 'POS Closing Entry', doc, { status: 'Submitted', error_message: '' });
      // ERPNext hands the closing's own row objects to the merge log, which re-parents them:
      // the response shows them under the log (the stored rows stay the closing's).
      for (const row of rowsOf(doc, 'pos_transactions')) {
        const log = logs.get(cstr(row['name']));
        if (!log) continue;
        Object.assign(row, {
          parent: log['name'],
          parentfield: 'pos_invoices',
          parenttype: 'POS Invoice Merge Log',
          modified: log['modified'],
        });
      }
    },
  });
}
