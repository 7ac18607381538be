import { toErpnextJson } from '../core/index.js';
import { assertChainCurrent } from './chain.js';
import type { Totals } from '../journal/index.js';
import { taxFigures } from '../receipt/index.js';
import { bookLoyalty, bookStock } from './bookings.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin, recordApproval } from './cashiers.js';
import type { Cart } from './cart.js';
import { PosError } from './errors.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { fromJournal } from './outbox.js';
import type { Payment } from './payment.js';
import { priceCart } from './price-cart.js';
import { ruleTitles } from './rule-titles.js';
import { approvalsNeeded, checkOffline } from './sale-guards.js';
import { enqueue, shiftForSale } from './shift.js';
import type { CommitQueue, CommitTiming } from './commit-queue.js';
import type { Terminal, Tx } from './terminal.js';
import { str } from './fields.js';

export interface SaleInput extends Cart {
  readonly cashier: Cashier;
  /** None: exact payment in the profile's cash mode. */
  readonly payments?: readonly Payment[];
  /** An authenticated manager, for what needs approval (discount, price override, offline). */
  readonly manager?: Cashier;
  /** Training mode: chained and signed, numbered apart, never counted, never sent to ERPNext. */
  readonly training?: boolean;
  /** The new sale of an exchange (`exchange.ts`): the return it follows, in the same commit. */
  readonly exchange?: { readonly id: string; readonly returnInvoice: string };
}

export interface SaleResult {
  readonly invoice_no: string;
  readonly uuid: string;
  readonly seq: number;
  readonly kind: 'sale' | 'training';
  readonly customer: string;
  readonly grand_total: string;
  readonly rounded_total: string;
  readonly paid_amount: string;
  readonly change_amount: string;
  readonly loyalty_points_redeemed: number;
  readonly loyalty_amount: string;
  readonly loyalty_points_earned: number;
  readonly snapshot_version: number;
  readonly offline: boolean;
  readonly approvals: readonly number[];
}

/** A cart priced and checked outside the write, ready for `commitSale`. */
export interface PreparedSale {
  readonly input: SaleInput;
  readonly needed: readonly { action: string; detail: Record<string, unknown> }[];
  readonly priced: ReturnType<typeof priceCart>;
  /** What the journal record says of the quote (pure functions of it, costly enough to matter). */
  readonly stated: Stated;
  /** The customer's local loyalty entries when priced: the balance the quote counted on. */
  readonly loyaltyMark: string;
}

/** The quote as the journal record states it: the ERPNext invoice, totals, promotion titles. */
interface Stated {
  readonly invoice: ReturnType<typeof toErpnextJson>;
  readonly totals: Totals;
  readonly ruleTitles: Record<string, string>;
}

function stated(term: Terminal, priced: ReturnType<typeof priceCart>): Stated {
  const q = priced.quote;
  const invoice = toErpnextJson(q);
  // The receipt's reading of the same JSON (as taxFigures(q) would make it again).
  const figures = taxFigures({
    erpnext: invoice,
    currencyPrecision: q.doc.precision.currency,
    roundingMethod: q.doc.precision.method,
  });
  return {
    invoice,
    totals: {
      per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
      grand_total: q.doc.grand_total.toFixed(priced.places),
    },
    ruleTitles: ruleTitles(term, q),
  };
}

/**
 * The part of a sale that needs no write: the chain check, approvals, and pricing (the costly
 * part), done before the sale joins a commit so the writer is not held by it.
 */
export function prepareSale(term: Terminal, input: SaleInput): PreparedSale {
  assertChainCurrent(term);
  const needed = approvalsNeeded(term, input);
  if (needed.length > 0 && !input.manager) {
    throw new PosError(
      'ApprovalRequired',
      `a manager must approve: ${needed.map((n) => n.action).join(', ')} (--manager ID --manager-pin PIN)`,
      'manager',
    );
  }
  const priced = priceCart(term, input);
  return {
    input,
    needed,
    priced,
    stated: stated(term, priced),
    loyaltyMark: loyaltyMark(term, priced.customer),
  };
}

/**
 * What the price depends on that another write may change between pricing and commit: a pull's
 * new snapshot, or another sale's loyalty booking for the same customer (its balance, points to
 * redeem). Rows are only added or deleted, so their count and highest id tell a change.
 */
function loyaltyMark(term: Terminal, customer: Record<string, unknown>): string {
  const row = term
    .stmt(
      'SELECT count(*) AS n, coalesce(max(id), 0) AS top FROM loyalty_pending WHERE customer = ?',
    )
    .get(String(customer['name'])) as { n: number; top: number };
  return `${row.n}:${row.top}`;
}

/**
 * Sells a cart: quote on the current snapshot, payments, then one IMMEDIATE transaction that
 * allocates the number, appends the signed record (with the login and any manager approvals),
 * indexes the sale, queues it for ERPNext and books its local stock and loyalty effects.
 * Nothing is written when anything is refused.
 */
export function sell(term: Terminal, input: SaleInput): SaleResult {
  const prepared = prepareSale(term, input);
  return term.transact((tx) => commitSale(term, prepared, tx));
}

/**
 * The write of a prepared sale, inside an open transaction (transact's, or a group commit's
 * savepoint). The number, the shift and the offline state are taken here, and the cart is priced
 * again when a pull or a loyalty booking changed what it was priced on.
 */
export function commitSale(term: Terminal, prepared: PreparedSale, tx: Tx): SaleResult {
  const { input, needed } = prepared;
  const stale =
    term.snapshotVersion() !== prepared.priced.snapshot ||
    loyaltyMark(term, prepared.priced.customer) !== prepared.loyaltyMark;
  const training = input.training ?? false;
  const priced = stale ? priceCart(term, input) : prepared.priced;
  const { invoice, totals, ruleTitles: titles } = stale ? stated(term, priced) : prepared.stated;
  const {
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
  } = priced;
  const profile = term.profile();
  const { offline, extend } = training
    ? { offline: !term.connectivity().online, extend: false }
    : checkOffline(term, q, payments, modes, input.manager);
  const earned = q.loyalty_points_earned;
  const warehouse = str(profile['warehouse']);

  const shift = shiftForSale(term, input.cashier);
  const loginSeq = ensureLogin(term, tx, input.cashier);
  const approvals: number[] = [];
  for (const n of needed) {
    approvals.push(recordApproval(tx, input.manager as Cashier, input.cashier, n.action, n.detail));
  }
  if (extend && input.manager) {
    const hours = term.settings.offline.maxHours;
    const until = new Date(term.clock.now() + hours * 3_600_000).toISOString();
    approvals.push(
      recordApproval(tx, input.manager, input.cashier, 'extend_offline', { until, hours }),
    );
    term.setState('offline_extended_until', until);
  }
  const invoiceNo = nextNumber(term, seriesPrefix(term, local.year, training));
  const body = {
    invoice_no: invoiceNo,
    store: term.settings.storeId,
    terminal: term.settings.terminalId,
    cashier: { id: input.cashier.id, name: input.cashier.name },
    login_seq: loginSeq,
    approvals,
    shift: { id: shift.id, uuid: shift.uuid },
    snapshot_version: snapshot,
    offline,
    issued_at: local.iso,
    invoice: { ...invoice, posting_date: local.date, posting_time: local.time },
    rule_titles: titles,
    money_per_mode: perMode,
    change_mode: modes.cash,
    loyalty: {
      points_redeemed: redeem,
      amount_redeemed: q.doc.loyalty_amount.toFixed(places),
      points_earned: earned?.loyalty_points ?? 0,
      // Training books no points: its receipt shows no balance.
      points_balance_after: training ? null : pointsAfter,
      earned: earned
        ? {
            loyalty_program: earned.loyalty_program,
            tier: earned.loyalty_program_tier,
            purchase_amount: earned.purchase_amount.toFixed(places),
            expiry_date: earned.expiry_date,
          }
        : null,
    },
    training,
    ...(input.exchange
      ? { exchange: { id: input.exchange.id, return_invoice: input.exchange.returnInvoice } }
      : {}),
  };
  const record = tx.append({
    type: training ? 'training' : 'sale',
    body,
    totals,
    invoice_no: invoiceNo,
  });
  const { uuid, time } = record.header;
  const seq = record.seq;
  term
    .stmt(
      `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
       VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    )
    .run(
      seq,
      invoiceNo,
      uuid,
      training ? 'training' : 'sale',
      shift.id,
      String(customer['name']),
      totals.grand_total,
      time,
    );
  if (!training) {
    enqueue(term, uuid, seq, 'POS Invoice', invoiceNo, fromJournal('insert'), time);
    bookStock(term, q, warehouse, 1);
    bookLoyalty(
      term,
      invoiceNo,
      String(customer['name']),
      str(profile['company']),
      local.date,
      q,
      redeem,
    );
  }
  return {
    invoice_no: invoiceNo,
    uuid,
    seq,
    kind: training ? 'training' : 'sale',
    customer: String(customer['name']),
    grand_total: q.doc.grand_total.toFixed(places),
    rounded_total: q.doc.rounded_total.toFixed(places),
    paid_amount: q.doc.paid_amount.toFixed(places),
    change_amount: q.doc.change_amount.toFixed(places),
    loyalty_points_redeemed: redeem,
    loyalty_amount: q.doc.loyalty_amount.toFixed(places),
    loyalty_points_earned: earned?.loyalty_points ?? 0,
    snapshot_version: snapshot,
    offline,
    approvals,
  } satisfies SaleResult;
}

/**
 * Sells through a store node's group commit: priced and checked here, then written with the
 * other terminals' sales that arrive meanwhile (one fsync for all). Settles once durable.
 */
export function sellGrouped(
  queue: CommitQueue,
  term: Terminal,
  input: SaleInput,
  timing?: (t: CommitTiming & { readonly priceMs: number }) => void,
): Promise<SaleResult> {
  const t0 = performance.now();
  const prepared = prepareSale(term, input);
  const priceMs = performance.now() - t0;
  return queue.submit(
    term,
    (tx) => commitSale(term, prepared, tx),
    timing && ((t) => timing({ ...t, priceMs })),
  );
}
