import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet, insertDoc } from '../document.js';
import { throwError } from '../errors.js';
import { getList } from '../query.js';
import { findDocs, readDoc } from './store.js';

/** get_loyalty_program_details_with_points: the program, the balance and the tier. */
export function loyaltyDetails(
  ctx: SiteContext,
  args: {
    customer: string;
    program: string;
    company: string;
    asOf?: string;
    includeExpired?: boolean;
    current?: number;
  },
): Doc | undefined {
  const program = readDoc(ctx, 'Loyalty Program', args.program);
  if (!program) return undefined;
  const asOf = args.asOf ?? ctx.time.today();
  const filters: unknown[] = [
    ['customer', '=', args.customer],
    ['loyalty_program', '=', args.program],
    ['posting_date', '<=', asOf],
  ];
  if (args.company) filters.push(['company', '=', args.company]);
  if (!args.includeExpired) filters.push(['expiry_date', '>=', asOf]);
  // Only the two summed columns, in findDocs' order (the float sums add up as before): a
  // member's entries grow with every sale, and loading each whole made a push slow down.
  const entries = getList(ctx, {
    doctype: 'Loyalty Point Entry',
    fields: ['loyalty_points', 'purchase_amount'],
    filters,
    orderBy: 'creation asc',
    pageLength: 0,
  });
  const out: Doc = { loyalty_program: program['name'], ...program };
  out['loyalty_points'] = entries.reduce((s, e) => s + flt(e['loyalty_points']), 0);
  out['total_spent'] = entries.reduce((s, e) => s + flt(e['purchase_amount']), 0);
  const tiers = [...rowsOf(program, 'collection_rules')].sort(
    (a, b) => flt(b['min_spent']) - flt(a['min_spent']),
  );
  // Replicates ERPNext's walk: take the first, step down while spend fits under min_spent.
  for (const [i, t] of tiers.entries()) {
    if (i > 0 && flt(out['total_spent']) + (args.current ?? 0) > flt(t['min_spent'])) break;
    out['tier_name'] = t['tier_name'];
    out['collection_factor'] = t['collection_factor'];
  }
  return out;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function entry(ctx: SiteContext, values: Doc): void {
  insertDoc(ctx, 'Loyalty Point Entry', values, { ignorePermissions: true });
}

function setCustomerTier(ctx: SiteContext, doc: Doc): void {
  const details = loyaltyDetails(ctx, {
    customer: cstr(doc['customer']),
    program: cstr(doc['loyalty_program']),
    company: cstr(doc['company']),
    includeExpired: true,
  });
  const customer = readDoc(ctx, 'Customer', cstr(doc['customer']));
  if (customer) dbSet(ctx, 'Customer', customer, { loyalty_program_tier: details?.['tier_name'] });
}

/** make_loyalty_point_entry: points on the amount not yet returned, in the customer's tier. */
export function makeEarnEntry(ctx: SiteContext, doctype: string, doc: Doc): void {
  const returned = findDocs(ctx, doctype, [
    ['docstatus', '=', 1],
    ['is_return', '=', 1],
    ['return_against', '=', cstr(doc['name'])],
  ]).reduce((s, r) => s + flt(r['grand_total']), 0);
  const current = flt(doc['grand_total']) - cint(doc['loyalty_amount']);
  const eligible = current - Math.abs(returned);
  const posting = cstr(doc['posting_date']);
  const lp = loyaltyDetails(ctx, {
    customer: cstr(doc['customer']),
    program: cstr(doc['loyalty_program']),
    company: cstr(doc['company']),
    asOf: posting,
    includeExpired: true,
    current,
  });
  if (!lp || cstr(lp['from_date']) > posting) return;
  if (cstr(lp['to_date']) && cstr(lp['to_date']) < posting) return;
  const factor = flt(lp['collection_factor']) || 1;
  entry(ctx, {
    company: doc['company'],
    loyalty_program: lp['loyalty_program'],
    loyalty_program_tier: lp['tier_name'],
    customer: doc['customer'],
    invoice_type: doctype,
    invoice: doc['name'],
    loyalty_points: Math.trunc(eligible / factor),
    purchase_amount: eligible,
    expiry_date: addDays(posting, cint(lp['expiry_duration'])),
    posting_date: posting,
  });
  setCustomerTier(ctx, doc);
}

/** apply_loyalty_points: negative entries against earned ones, soonest expiry first. */
function redeem(ctx: SiteContext, doctype: string, doc: Doc): void {
  const base = [
    ['customer', '=', cstr(doc['customer'])],
    ['loyalty_program', '=', cstr(doc['loyalty_program'])],
    ['company', '=', cstr(doc['company'])],
  ];
  const earned = findDocs(
    ctx,
    'Loyalty Point Entry',
    [...base, ['expiry_date', '>=', cstr(doc['posting_date'])], ['loyalty_points', '>', 0]],
    'expiry_date asc',
  );
  const redeemed = new Map<string, number>();
  for (const e of findDocs(ctx, 'Loyalty Point Entry', [...base, ['loyalty_points', '<', 0]])) {
    const key = cstr(e['redeem_against']);
    redeemed.set(key, (redeemed.get(key) ?? 0) + flt(e['loyalty_points']));
  }
  let toRedeem = cint(doc['loyalty_points']);
  for (const lp of earned) {
    if (lp['invoice_type'] !== doctype || lp['invoice'] === doc['name']) continue;
    // ERPNext subtracts the (negative) redeemed sum as stored; kept as it behaves.
    const available = flt(lp['loyalty_points']) - (redeemed.get(cstr(lp['name'])) ?? 0);
    const points = available > toRedeem ? toRedeem : available;
    entry(ctx, {
      company: doc['company'],
      loyalty_program: doc['loyalty_program'],
      loyalty_program_tier: lp['loyalty_program_tier'],
      customer: doc['customer'],
      invoice_type: doctype,
      invoice: doc['name'],
      redeem_against: lp['name'],
      loyalty_points: -points,
      purchase_amount: doc['grand_total'],
      expiry_date: lp['expiry_date'],
      posting_date: doc['posting_date'],
    });
    toRedeem -= points;
    if (toRedeem < 1) break;
  }
}

/** delete_loyalty_point_entry: refused once another invoice redeemed these points. */
function deleteEntries(ctx: SiteContext, doctype: string, doc: Doc): void {
  const mine = findDocs(ctx, 'Loyalty Point Entry', [['invoice', '=', cstr(doc['name'])]]);
  const first = mine[0];
  if (!first) return;
  const against = findDocs(ctx, 'Loyalty Point Entry', [['redeem_against', '=', first['name']]]);
  if (against.length > 0) {
    const list = against.map((a) => cstr(a['invoice'])).join(', ');
    throw throwError(
      'ValidationError',
      `${doctype} can't be cancelled since the Loyalty Points earned has been redeemed. First cancel the ${doctype} No ${list}`,
      { fromErpnext: true },
    );
  }
  for (const e of mine) ctx.db.delete('Loyalty Point Entry', cstr(e['name']));
  setCustomerTier(ctx, doc);
}

/** POS Invoice on_submit's loyalty part (earn, or recompute the original for a return). */
export function submitLoyalty(ctx: SiteContext, doctype: string, doc: Doc): void {
  if (!cstr(doc['loyalty_program'])) return;
  if (!cint(doc['is_return'])) makeEarnEntry(ctx, doctype, doc);
  else if (cstr(doc['return_against'])) recomputeOriginal(ctx, doctype, doc);
  if (cint(doc['redeem_loyalty_points']) && cint(doc['loyalty_points'])) redeem(ctx, doctype, doc);
}

function recomputeOriginal(ctx: SiteContext, doctype: string, doc: Doc): void {
  const original = readDoc(ctx, doctype, cstr(doc['return_against']));
  if (!original) return;
  deleteEntries(ctx, doctype, original);
  makeEarnEntry(ctx, doctype, original);
}

/** POS Invoice on_cancel's loyalty part. */
export function cancelLoyalty(ctx: SiteContext, doctype: string, doc: Doc): void {
  if (!cstr(doc['loyalty_program'])) return;
  if (!cint(doc['is_return'])) deleteEntries(ctx, doctype, doc);
  else if (cstr(doc['return_against'])) recomputeOriginal(ctx, doctype, doc);
}
