import type { SiteContext } from '../context.js';
import { cint, cstr } from '../doc.js';
import { asDict } from '../doc-shape.js';
import { doesNotExist, FrappeError, thrownMessage, throwError } from '../errors.js';
import type { MethodCall, MethodDef } from '../method-types.js';
import { message } from '../method-types.js';
import { loyaltyDetails } from './loyalty.js';
import { makeSalesReturn } from './sales-return.js';
import { stockAvailability } from './stock.js';
import { findDocs, readDoc } from './store.js';

const CLOSING = 'erpnext.accounts.doctype.pos_closing_entry.pos_closing_entry';
const INVOICE = 'erpnext.accounts.doctype.pos_invoice.pos_invoice';
const LOYALTY = 'erpnext.accounts.doctype.loyalty_program.loyalty_program';

const arg = (c: MethodCall, key: string): string => cstr(c.args[key]);

/** A naive site datetime as comparable text ("2026-11-27 01:52:30.868585"). */
function stamp(date: string, time: string): string {
  const [h = '0', m = '0', rest = '0'] = time.split(':');
  const [sec = '0', frac = ''] = rest.split('.');
  const pad = (v: string): string => v.padStart(2, '0');
  return `${date} ${pad(h)}:${pad(m)}:${pad(sec)}.${frac.padEnd(6, '0')}`;
}

/** get_pos_invoices: the user's submitted, unconsolidated invoices of a profile in a period. */
function posInvoicesBetween(
  ctx: SiteContext,
  args: { start: string; end: string; profile: string; user: string },
) {
  const from = stamp(...(args.start.split(' ') as [string, string]));
  const to = stamp(...(args.end.split(' ') as [string, string]));
  return findDocs(ctx, 'POS Invoice', [
    ['owner', '=', args.user],
    ['docstatus', '=', 1],
    ['pos_profile', '=', args.profile],
    ['consolidated_invoice', 'is', 'not set'],
  ]).filter((d) => {
    const at = stamp(cstr(d['posting_date']), cstr(d['posting_time']));
    return from <= at && at <= to;
  });
}

function loyaltyWithPoints(c: MethodCall) {
  const customer = arg(c, 'customer');
  let program = arg(c, 'loyalty_program');
  const silent = cint(c.args['silent']);
  if (!program) {
    // v15 looks the customer's program up, then still loads the None it was given: 404.
    const own = cstr(readDoc(c.ctx, 'Customer', customer)?.['loyalty_program']);
    if (!own && !silent) {
      throw throwError('ValidationError', "Customer isn't enrolled in any Loyalty Program", {
        fromErpnext: true,
      });
    }
    if (!own) return message({ loyalty_programs: null });
    throw doesNotExist('Loyalty Program None not found');
  }
  const meta = c.ctx.meta.require('Loyalty Program');
  const doc = readDoc(c.ctx, 'Loyalty Program', program);
  if (!doc) throw doesNotExist(`Loyalty Program ${program} not found`);
  program = cstr(doc['name']);
  const company = arg(c, 'company') || cstr(c.ctx.db.getDefaults()['company']);
  const details = loyaltyDetails(c.ctx, {
    customer,
    program,
    company,
    ...(arg(c, 'expiry_date') ? { asOf: arg(c, 'expiry_date') } : {}),
    includeExpired: !!cint(c.args['include_expired_entry']),
    current: Number(c.args['current_transaction_amount'] ?? 0) || 0,
  });
  return message({
    loyalty_program: program,
    ...asDict(c.ctx, meta, doc, false),
    loyalty_points: details?.['loyalty_points'] ?? 0,
    total_spent: details?.['total_spent'] ?? 0,
    tier_name: details?.['tier_name'],
    collection_factor: details?.['collection_factor'],
  });
}

/** A module-level function that exists in ERPNext but lacks @frappe.whitelist(): 403. */
function notWhitelisted(method: string): MethodDef {
  const msg = `<details><summary>You are not permitted to access this resource. Login to access</summary>Function <strong>${method}</strong> is not whitelisted.</details>`;
  return {
    run: () => {
      throw new FrappeError('PermissionError', 403, msg, {
        messages: [thrownMessage(msg, 'Method Not Allowed')],
      });
    },
  };
}

/** ERPNext's POS methods (erpnext.accounts.doctype.…) by dotted path. */
export function posMethods(): Map<string, MethodDef> {
  const m = new Map<string, MethodDef>();
  const unlisted = `${CLOSING}.make_closing_entry_from_opening`;
  m.set(unlisted, notWhitelisted(unlisted));
  m.set(`${LOYALTY}.get_loyalty_program_details_with_points`, { run: loyaltyWithPoints });
  m.set(`${INVOICE}.make_sales_return`, {
    run: (c) => message(makeSalesReturn(c.ctx, arg(c, 'source_name'))),
  });
  m.set(`${INVOICE}.get_stock_availability`, {
    run: (c) => message(stockAvailability(c.ctx, arg(c, 'item_code'), arg(c, 'warehouse'))),
  });
  m.set(`${CLOSING}.get_pos_invoices`, {
    run: (c) => {
      const meta = c.ctx.meta.require('POS Invoice');
      const docs = posInvoicesBetween(c.ctx, {
        start: arg(c, 'start'),
        end: arg(c, 'end'),
        profile: arg(c, 'pos_profile'),
        user: arg(c, 'user'),
      });
      return message(docs.map((d) => asDict(c.ctx, meta, d, false)));
    },
  });
  return m;
}
