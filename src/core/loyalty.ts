import { Dec, ZERO } from './money/decimal.js';
import type { Master } from './master.js';
import type { Doc } from './invoice/doc.js';

interface Balance {
  /** Unexpired points as of the date. */
  readonly points: Dec;
  /** Purchase amount those entries record (what tiers are based on). */
  readonly totalSpent: Dec;
}

/**
 * `get_loyalty_details`: points and spend of a customer in a program from its Loyalty Point
 * Entries posted on or before `asOf`, counting only entries not expired by then unless asked.
 */
export function loyaltyBalance(
  master: Master,
  customer: string,
  program: string,
  company: string,
  asOf: string,
  includeExpired = false,
): Balance {
  let points = ZERO;
  let spent = ZERO;
  for (const e of master.all('Loyalty Point Entry')) {
    if (e.str('customer') !== customer || e.str('loyalty_program') !== program) continue;
    if (company && e.str('company') && e.str('company') !== company) continue;
    if (e.date('posting_date') > asOf) continue;
    if (!includeExpired && e.date('expiry_date') < asOf) continue;
    points = points.plus(e.dec('loyalty_points'));
    spent = spent.plus(e.dec('purchase_amount'));
  }
  return { points, totalSpent: spent };
}

export interface PointsEarned {
  readonly loyalty_program: string;
  readonly loyalty_program_tier: string;
  readonly loyalty_points: number;
  readonly purchase_amount: Dec;
  readonly expiry_date: string;
  readonly posting_date: string;
}

/**
 * The Loyalty Point Entry ERPNext makes on submit (`make_loyalty_point_entry`): eligible amount =
 * grand total − cint(loyalty amount); the tier as `get_loyalty_program_details_with_points` picks
 * it (rules by min_spent descending; keep stepping down while spend ≤ min_spent); points =
 * cint(eligible / collection factor), truncated toward zero.
 */
export function pointsEarned(master: Master, doc: Doc): PointsEarned | null {
  if (!doc.loyalty_program) return null;
  const program = master.get('Loyalty Program', doc.loyalty_program);
  if (!program) return null;
  const from = program.date('from_date');
  const to = program.date('to_date');
  if ((from && from > doc.posting_date) || (to && to < doc.posting_date)) return null;
  const current = doc.grand_total.minus(doc.loyalty_amount.trunc());
  const balance = loyaltyBalance(
    master,
    doc.customer,
    doc.loyalty_program,
    doc.company,
    doc.posting_date,
    true,
  );
  const tiers = program
    .table('collection_rules')
    .slice()
    .sort((a, b) => b.dec('min_spent').comparedTo(a.dec('min_spent')));
  let tierName = '';
  let factor = ZERO;
  for (const [i, t] of tiers.entries()) {
    if (i > 0 && balance.totalSpent.plus(current).gt(t.dec('min_spent'))) break;
    tierName = t.str('tier_name');
    factor = t.dec('collection_factor');
  }
  if (factor.isZero()) factor = new Dec(1);
  const points = current.div(factor).trunc().toNumber();
  const days = program.dec('expiry_duration').toNumber();
  return {
    loyalty_program: doc.loyalty_program,
    loyalty_program_tier: tierName,
    loyalty_points: points,
    purchase_amount: current,
    expiry_date: addDays(doc.posting_date, days),
    posting_date: doc.posting_date,
  };
}

/** Adds whole days to an ISO date (UTC calendar arithmetic, no time zone involved). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
