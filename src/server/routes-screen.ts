import { z } from 'zod';
import { Dec, Master, flt, loyaltyBalance } from '../core/index.js';
import { resolveCustomer } from '../pos/cart.js';
import { str } from '../pos/fields.js';
import { precision } from '../pos/shift.js';
import type { Terminal } from '../pos/terminal.js';
import { callerOf } from './context.js';
import { route, type Route } from './routing.js';
import { noQuery } from './schemas.js';

type Rec = Record<string, unknown>;

const loyaltyQuery = z.strictObject({ customer: z.string().min(1, 'required').max(140) });

const uomsAnswer = z.object({
  uoms: z.array(
    z.object({ uom: z.string(), must_be_whole_number: z.boolean(), precision: z.number().int() }),
  ),
});

const loyaltyAnswer = z.object({
  customer: z.string(),
  customer_name: z.string(),
  loyalty_program: z.string().nullable(),
  conversion_factor: z.string().nullable(),
  points: z.number().int(),
  points_value: z.string(),
  pulled_points: z.number().int(),
  unpushed_points: z.number().int(),
  as_of: z.string(),
});

/** The site's settings records and the given doctypes: a small Master, not the whole catalog's. */
const siteRecords = (input: Record<string, unknown[]>, doctypes: readonly string[]) =>
  Object.fromEntries(
    ['System Settings', 'Global Defaults', ...doctypes].map((dt) => [dt, input[dt] ?? []]),
  );

/**
 * The quantity a UOM is sold in: whole units, or ERPNext's qty field precision (POS Invoice
 * Item.qty is a Float without its own precision, so System Settings' float_precision).
 */
function uomsOf(term: Terminal) {
  const { input } = term.master.recordsFor([], '');
  const master = new Master(siteRecords(input, ['UOM']));
  return master
    .all('UOM')
    .filter((u) => !u.has('enabled') || u.bool('enabled'))
    .map((u) => {
      const whole = u.bool('must_be_whole_number');
      return {
        uom: u.str('uom_name') || u.str('name'),
        must_be_whole_number: whole,
        precision: whole ? 0 : master.system.float,
      };
    });
}

/*
 * StoreMaster gives this store's sales ERPNext has not confirmed yet as Loyalty Point Entries
 * named `local-<id>` (store/master.ts, lpePending), beside the entries pulled from ERPNext.
 */
const isLocal = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && String((e as Rec)['name']).startsWith('local-');

/**
 * A customer's points as this node counts them when the customer is chosen, before any cart:
 * the Loyalty Point Entries last pulled from ERPNext plus this store's sales not yet confirmed
 * by it, unexpired on the till's date — the balance the node prices a redemption against
 * (pos/price-cart.ts). Their value is points × conversion_factor at the currency's precision,
 * as ERPNext's loyalty_amount (accounts/doctype/loyalty_program/loyalty_program.py).
 */
function loyaltyOf(term: Terminal, name: string) {
  const customer = resolveCustomer(term, name);
  const id = str(customer['name']);
  const program = str(customer['loyalty_program']);
  const date = term.localTime().date;
  const base = {
    customer: id,
    customer_name: str(customer['customer_name']) || id,
    as_of: date,
  };
  const doc = program ? term.doc('Loyalty Program', program) : undefined;
  if (!program || !doc) {
    return {
      ...base,
      loyalty_program: null,
      conversion_factor: null,
      points: 0,
      points_value: new Dec(0).toFixed(precision(term)),
      pulled_points: 0,
      unpushed_points: 0,
    };
  }
  const { input } = term.master.recordsFor([], id);
  const entries = input['Loyalty Point Entry'] ?? [];
  const company = str(term.profile()['company']);
  const site = siteRecords(input, []);
  const count = (list: unknown[]) =>
    loyaltyBalance(new Master({ ...site, 'Loyalty Point Entry': list }), id, program, company, date)
      .points;
  const points = count(entries);
  const unpushed = count(entries.filter(isLocal));
  const factor = new Dec(str(doc['conversion_factor']) || '0');
  const places = precision(term);
  const system = new Master(site).system;
  return {
    ...base,
    loyalty_program: program,
    conversion_factor: factor.toString(),
    points: points.toNumber(),
    points_value: flt(points.times(factor), places, system).toFixed(places),
    pulled_points: points.minus(unpushed).toNumber(),
    unpushed_points: unpushed.toNumber(),
  };
}

/** What the cashier's screen asks beside a cart: quantity units, a chosen member's points. */
export function screenRoutes(): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/uoms',
      summary: 'Units of measure: whole units only, or the decimals a quantity may have',
      tag: 'Till',
      access: 'session',
      query: noQuery,
      response: uomsAnswer,
      handler: ({ caller }) => ({ uoms: uomsOf(callerOf(caller).terminal) }),
    }),
    route({
      method: 'GET',
      url: '/api/loyalty',
      summary:
        "A customer's loyalty points and their value: pulled from ERPNext plus this store's unpushed sales",
      tag: 'Customers',
      access: 'session',
      query: loyaltyQuery,
      response: loyaltyAnswer,
      handler: ({ query, caller }) => loyaltyOf(callerOf(caller).terminal, query.customer),
    }),
  ];
}
