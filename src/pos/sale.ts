import { Dec, appliedRuleNames, loyaltyBalance, toErpnextJson, type Quote } from '../core/index.js';
import type { Totals } from '../journal/index.js';
import { taxFigures } from '../receipt/index.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin, recordApproval } from './cashiers.js';
import { type Cart, draftHeader, draftLines, resolveCustomer, runQuote } from './cart.js';
import { checkAmountText, checkQuoteBounds } from './bounds.js';
import { PosError, invalid } from './errors.js';
import { checkMode, profileModes, type ProfileModes } from './modes.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { fromJournal } from './outbox.js';
import { enqueue, precision, shiftForSale, type PerMode } from './shift.js';
import type { LocalTime, Terminal } from './terminal.js';
import { str } from './fields.js';

type Rec = Record<string, unknown>;

export interface Payment {
  readonly mode: string;
  /** Decimal text. */
  readonly amount: string;
}

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

/** What needs a manager in this cart, with the details the override record keeps. */
function approvalsNeeded(term: Terminal, input: SaleInput): { action: string; detail: Rec }[] {
  const profile = term.profile();
  const out: { action: string; detail: Rec }[] = [];
  if (input.discountPercent !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(input.discountPercent) || new Dec(input.discountPercent).gt(100)) {
      throw invalid('discount', `${input.discountPercent} is not a percentage from 0 to 100`);
    }
    const pct = new Dec(input.discountPercent);
    const own =
      Number(profile['allow_discount_change']) === 1
        ? term.settings.cashierMaxDiscountPercent
        : new Dec(0);
    if (pct.gt(own)) {
      out.push({
        action: 'discount',
        detail: { percent: pct.toFixed(), cashier_limit: own.toFixed() },
      });
    }
  }
  const overrides = input.lines.filter((l) => l.rate !== undefined);
  if (overrides.length > 0 && Number(profile['allow_rate_change']) !== 1) {
    out.push({
      action: 'price_override',
      detail: { lines: overrides.map((l) => ({ item: l.item_code ?? l.barcode, rate: l.rate })) },
    });
  }
  return out;
}

/** The offline rules (journal.md: sell on, but within bounds a manager can widen). */
function checkOffline(
  term: Terminal,
  q: Quote,
  payments: readonly Payment[],
  modes: ProfileModes,
  manager: Cashier | undefined,
): { offline: boolean; extend: boolean } {
  const c = term.connectivity();
  if (c.online) return { offline: false, extend: false };
  const o = term.settings.offline;
  let extend = false;
  if (c.hoursSince === null) {
    throw new PosError(
      'NotReady',
      'this store has never reached ERPNext: run `outpost sync --pull`',
    );
  }
  if (c.hoursSince > o.maxHours) {
    const until = term.state('offline_extended_until');
    const extended = until !== undefined && Date.parse(until) > term.clock.now();
    if (!extended && !manager) {
      throw new PosError(
        'OfflineLimit',
        `ERPNext last answered ${c.hoursSince.toFixed(1)} h ago (limit ${o.maxHours} h): selling stops until it is reached again or a manager extends the limit (--manager ID --manager-pin PIN)`,
        'offline',
      );
    }
    extend = !extended;
  }
  if (o.maxSaleAmount && q.doc.grand_total.gt(o.maxSaleAmount)) {
    throw new PosError(
      'OfflineLimit',
      `offline, a sale may not exceed ${o.maxSaleAmount.toFixed()} (this one is ${q.doc.grand_total.toFixed()})`,
      'grand_total',
    );
  }
  for (const p of payments) {
    const allowed = o.modes ? o.modes.includes(p.mode) : modes.typeOf(p.mode) === 'Cash';
    if (!allowed) {
      throw new PosError(
        'OfflineLimit',
        `offline, ${p.mode} is not accepted (${o.modes ? o.modes.join(', ') : 'cash only'})`,
        'payments',
      );
    }
  }
  return { offline: true, extend };
}

/** The amount to collect: the rounded total (or grand total) less loyalty redeemed. */
export function amountDue(q: Quote): Dec {
  const total = q.doc.rounded_total.isZero() ? q.doc.grand_total : q.doc.rounded_total;
  return total.minus(q.doc.loyalty_amount);
}

export interface PricedCart {
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
    items: draftLines(term, input.lines),
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
    ...(input.discountPercent !== undefined
      ? { additional_discount_percentage: input.discountPercent }
      : {}),
    ...(redeem > 0 ? { redeem_loyalty_points: 1, loyalty_points: redeem } : {}),
  };
  // First pass: the amount due (a placeholder payment, unsubmitted: no payment checks yet).
  const first = runQuote(term, { ...draft, docstatus: 0 }, local.date).quote;
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
  const due = amountDue(first);
  const payments = input.payments?.length
    ? input.payments
    : [{ mode: modes.cash ?? modes.default, amount: due.toFixed(places) }];
  const perMode = moneyPerMode(payments, modes, due, places);
  const {
    quote: q,
    snapshot,
    master,
  } = runQuote(
    term,
    {
      ...draft,
      docstatus: 1,
      payments: payments.map((p) => ({ mode_of_payment: p.mode, amount: p.amount })),
    },
    local.date,
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
 * Sells a cart: quote on the current snapshot, payments, then one IMMEDIATE transaction that
 * allocates the number, appends the signed record (with the login and any manager approvals),
 * indexes the sale, queues it for ERPNext and books its local stock and loyalty effects.
 * Nothing is written when anything is refused.
 */
export function sell(term: Terminal, input: SaleInput): SaleResult {
  const training = input.training ?? false;
  const needed = approvalsNeeded(term, input);
  if (needed.length > 0 && !input.manager) {
    throw new PosError(
      'ApprovalRequired',
      `a manager must approve: ${needed.map((n) => n.action).join(', ')} (--manager ID --manager-pin PIN)`,
      'manager',
    );
  }
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
  } = priceCart(term, input);
  const profile = term.profile();
  const { offline, extend } = training
    ? { offline: !term.connectivity().online, extend: false }
    : checkOffline(term, q, payments, modes, input.manager);
  const invoice = toErpnextJson(q);
  const figures = taxFigures(q);
  const totals: Totals = {
    per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
    grand_total: q.doc.grand_total.toFixed(places),
  };
  const earned = q.loyalty_points_earned;
  const warehouse = str(profile['warehouse']);

  const shift = shiftForSale(term, input.cashier);
  return term.transact((tx) => {
    const loginSeq = ensureLogin(term, tx, input.cashier);
    const approvals: number[] = [];
    for (const n of needed) {
      approvals.push(
        recordApproval(tx, input.manager as Cashier, input.cashier, n.action, n.detail),
      );
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
      rule_titles: ruleTitles(term, q),
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
    const { uuid, seq, time } = record.header;
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
  });
}

/**
 * Checks the payments (known modes, enough paid, change only from cash) and returns the money
 * each mode takes, change deducted from the cash mode.
 */
function moneyPerMode(
  payments: readonly Payment[],
  modes: ProfileModes,
  due: Dec,
  places: number,
): PerMode {
  const out: PerMode = {};
  let paid = new Dec(0);
  let cash = new Dec(0);
  payments.forEach((p, i) => {
    const field = `payments[${i + 1}]`;
    checkMode(modes, p.mode, `${field}.mode_of_payment`);
    if (!/^\d+(\.\d+)?$/.test(p.amount))
      throw invalid(`${field}.amount`, `${p.amount} is not an amount ≥ 0`);
    // Checked before comparing with the amount due: 4.375 must not pass as 4.38.
    checkAmountText(`${field}.amount`, p.amount, places);
    const amount = new Dec(p.amount);
    paid = paid.plus(amount);
    if (modes.typeOf(p.mode) === 'Cash') cash = cash.plus(amount);
    out[p.mode] = new Dec(out[p.mode] ?? 0).plus(amount).toFixed(places);
  });
  if (paid.lt(due)) {
    throw new PosError(
      'PaymentRefused',
      `paid ${paid.toFixed(places)}, due ${due.toFixed(places)}`,
      'payments',
    );
  }
  const change = paid.minus(due);
  if (change.gt(cash)) {
    throw new PosError(
      'PaymentRefused',
      `change of ${change.toFixed(places)} can only be given from cash (cash paid: ${cash.toFixed(places)})`,
      'payments',
    );
  }
  if (change.gt(0) && modes.cash) {
    out[modes.cash] = new Dec(out[modes.cash] ?? 0).minus(change).toFixed(places);
  }
  return out;
}

/**
 * The titles of the pricing rules a quote applied ("Milk: 10% off 2 or more"), as they read at
 * the sale: kept in the journal so the receipt, and every copy of it, names the promotion.
 */
export function ruleTitles(term: Terminal, q: Quote): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of q.doc.items) {
    for (const name of appliedRuleNames(line.pricing_rules)) {
      const title = str(term.doc('Pricing Rule', name)?.['title']);
      if (title) out[name] = title;
    }
  }
  return out;
}

/** Moves local stock by the invoice's stock quantities (sign 1 = out, -1 = back in). */
export function bookStock(term: Terminal, q: Quote, warehouse: string, sign: 1 | -1): void {
  const moves = new Map<string, Dec>();
  const add = (code: string, wh: string, qty: Dec) => {
    const key = `${code}\u0000${wh || warehouse}`;
    moves.set(key, (moves.get(key) ?? new Dec(0)).plus(qty.abs()));
  };
  // A bundle moves its components, not itself.
  const bundles = new Set(q.packed_items.map((p) => p.parent_item));
  for (const line of q.doc.items) {
    if (!bundles.has(line.item_code)) add(line.item_code, line.warehouse, line.stock_qty);
  }
  for (const p of q.packed_items) add(p.item_code, p.warehouse, p.qty);
  const upsert = term.stmt(
    `INSERT INTO stock_pending (item_code, warehouse, qty) VALUES (?, ?, ?)
     ON CONFLICT (item_code, warehouse) DO UPDATE SET qty = excluded.qty`,
  );
  const current = term
    .stmt('SELECT qty FROM stock_pending WHERE item_code = ? AND warehouse = ?')
    .pluck();
  const isStock = term.stmt('SELECT is_stock_item FROM item WHERE item_code = ?').pluck();
  for (const [key, qty] of moves) {
    const [code = '', wh = ''] = key.split('\u0000');
    if (Number(isStock.get(code) ?? 0) !== 1) continue;
    const before = new Dec((current.get(code, wh) as string | undefined) ?? 0);
    upsert.run(code, wh, before.plus(qty.times(sign)).toFixed());
  }
}

/** Books the sale's loyalty effects locally: points redeemed (now) and earned. */
function bookLoyalty(
  term: Terminal,
  invoiceNo: string,
  customer: string,
  company: string,
  date: string,
  q: Quote,
  redeem: number,
): void {
  const insert = term.stmt(
    `INSERT INTO loyalty_pending (invoice_no, customer, loyalty_program, company, loyalty_points,
       purchase_amount, posting_date, expiry_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  if (redeem > 0 && q.doc.loyalty_program) {
    // ERPNext spreads a redemption over the earned entries soonest-expiring first; locally one
    // entry that never expires keeps the balance right until ERPNext's own entries arrive.
    insert.run(
      invoiceNo,
      customer,
      q.doc.loyalty_program,
      company,
      -redeem,
      '0',
      date,
      '9999-12-31',
    );
  }
  const e = q.loyalty_points_earned;
  if (e && e.loyalty_points > 0) {
    insert.run(
      invoiceNo,
      customer,
      e.loyalty_program,
      company,
      e.loyalty_points,
      e.purchase_amount.toFixed(),
      e.posting_date,
      e.expiry_date,
    );
  }
}
