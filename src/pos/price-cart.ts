import { QuoteError, loyaltyBalance, priceDraft, type Quote } from '../core/index.js';
import { type Cart, draftHeader, draftLines, resolveCustomer } from './cart.js';
import { checkQuoteBounds } from './bounds.js';
import { PosError, invalid } from './errors.js';
import { profileModes, type ProfileModes } from './modes.js';
import { amountDue, moneyPerMode, type Payment } from './payment.js';
import { precision, type PerMode } from './shift.js';
import { str } from './fields.js';
import type { LocalTime, Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

interface PricedCart {
  readonly quote: Quote;
  readonly snapshot: number;
  readonly payments: readonly Payment[];
  /** Money each mode takes, change deducted from the cash mode. */
  readonly perMode: PerMode;
  readonly customer: Rec;
  readonly local: LocalTime;
  readonly modes: ProfileModes;
  readonly places: number;
  readonly redeem: number;
  /**
   * The customer's points once this sale is booked, as far as the till knows (ERPNext's entries
   * as last pulled and this store's unconfirmed sales): printed on the receipt. Null when the
   * customer is in no loyalty program.
   */
  readonly pointsAfter: number | null;
}

/**
 * Prices a cart on the store's current snapshot as a sale would, payments included (none:
 * exact cash), without writing anything: what `outpost quote --data` shows and `sell` commits.
 */
export function priceCart(
  term: Terminal,
  input: Cart & { readonly payments?: readonly Payment[] },
): PricedCart {
  const { draft, priced, first, master, snapshot, customer, local, modes, places, redeem } =
    settleDue(term, input);
  const due = amountDue(first);
  const payments = input.payments?.length
    ? input.payments
    : [{ mode: modes.cash ?? modes.default, amount: due.toFixed(places) }];
  const perMode = moneyPerMode(payments, modes, due, places);
  const q = refusals(() =>
    priced.settle({
      ...draft,
      docstatus: 1,
      payments: payments.map((p) => ({ mode_of_payment: p.mode, amount: p.amount })),
    }),
  );
  const program = q.doc.loyalty_program;
  const pointsAfter = program
    ? loyaltyBalance(master, q.doc.customer, program, q.doc.company, local.date)
        .points.minus(redeem)
        .plus(q.loyalty_points_earned?.loyalty_points ?? 0)
        .toNumber()
    : null;
  return {
    quote: q,
    snapshot,
    payments,
    perMode,
    customer,
    local,
    modes,
    places,
    redeem,
    pointsAfter,
  };
}

/**
 * What a cart comes to before it is paid (the draft's first settlement, docstatus 0): its
 * lines, taxes and grand total exactly as `priceCart` gives them, without settling payments or
 * loyalty — what a barcode look-up shows as an item's price now.
 */
export function quoteDue(term: Terminal, input: Cart): Quote {
  return settleDue(term, input).first;
}

/** The draft of a cart, priced once, and its first settlement (the amount due). */
function settleDue(term: Terminal, input: Cart) {
  const profile = term.profile();
  const modes = profileModes(term);
  const places = precision(term);
  const local = term.localTime();
  const customer = resolveCustomer(term, input.customer);
  const redeem = input.redeemPoints ?? 0;
  if (!Number.isSafeInteger(redeem) || redeem < 0)
    throw invalid('redeem', 'expected whole points ≥ 0');
  const cap = term.settings.maxRedeemPoints;
  if (cap !== null && redeem > cap) {
    throw new PosError('PaymentRefused', `redeem: at most ${cap} points per sale`, 'redeem');
  }
  const draft: Rec = {
    ...draftHeader(term, { company: profile['company'], customer: customer['name'] }, local),
    // The lines sold by code are read from the store in one statement.
    items: term.lookup.withCodes(
      input.lines.flatMap((l) => (l.barcode === undefined && l.item_code ? [l.item_code] : [])),
      () => draftLines(term, input.lines),
    ),
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
    ...(input.discountPercent !== undefined
      ? { additional_discount_percentage: input.discountPercent }
      : {}),
    ...(redeem > 0 ? { redeem_loyalty_points: 1, loyalty_points: redeem } : {}),
  };
  // One snapshot and one pricing of the lines for both settlements: first the amount due (a
  // placeholder payment, unsubmitted: no payment checks yet), then the tender, submitted.
  const { master, snapshot } = term.master.forCart(
    (draft['items'] as readonly Rec[]).map((l) => str(l['item_code'])),
    str(draft['customer']),
  );
  const firstDraft = { ...draft, docstatus: 0 };
  const priced = refusals(() => priceDraft(master, firstDraft, { today: local.date }));
  const first = refusals(() => priced.settle(firstDraft));
  checkQuoteBounds(first);
  if (redeem > 0 && !first.doc.loyalty_program) {
    // ERPNext's get_loyalty_program_details / get_redeemption_factor
    // (accounts/doctype/loyalty_program/loyalty_program.py) refuse a redemption so.
    throw new PosError(
      'InvoiceRefused',
      `redeem: Customer isn't enrolled in any Loyalty Program (${String(customer['name'])})`,
      'redeem',
    );
  }
  return { draft, priced, first, master, snapshot, customer, local, modes, places, redeem };
}

/** The engine's refusals as InvoiceRefused with ERPNext's message and field (as `runQuote`). */
function refusals<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof QuoteError)
      throw new PosError('InvoiceRefused', `${e.kind}: ${e.message}`, e.field);
    throw e;
  }
}
