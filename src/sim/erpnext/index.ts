import type { SiteContext } from '../context.js';
import type { HookRegistry } from '../hooks.js';
import type { MethodDef } from '../method-types.js';
import { registerPosClosingEntry, runQueuedClosings } from './pos-closing-entry.js';
import { registerPosInvoice } from './pos-invoice.js';
import { registerSalesInvoice } from './sales-invoice.js';
import { registerPosOpeningEntry } from './pos-opening-entry.js';
import { posMethods } from './methods.js';

/** ERPNext v15's POS business logic: controllers for the POS and stock doctypes. */
export function registerErpnext(hooks: HookRegistry): void {
  registerPosOpeningEntry(hooks);
  registerPosInvoice(hooks);
  registerPosClosingEntry(hooks);
  registerSalesInvoice(hooks);
}

/** The whitelisted ERPNext methods the simulator serves. */
export function erpnextMethods(): Map<string, MethodDef> {
  return posMethods();
}

/**
 * ERPNext's background jobs that are due (queued POS consolidations). The app calls this before
 * each request, each job in its own transaction, as a worker beside the web process would.
 */
export function runBackgroundJobs(ctx: SiteContext, run: (job: () => void) => void): void {
  runQueuedClosings(ctx, ctx.time.peek(), run);
}
