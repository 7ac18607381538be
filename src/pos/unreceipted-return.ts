import { Dec } from '../core/index.js';
import { assertChainCurrent } from './chain.js';
import type { Totals } from '../journal/index.js';
import { taxFigures } from '../receipt/index.js';
import { bookStock } from './bookings.js';
import { checkQuoteBounds } from './bounds.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin, recordApproval } from './cashiers.js';
import { draftHeader, draftLines, resolveCustomer, runQuote } from './cart.js';
import { invalid } from './errors.js';
import { str } from './fields.js';
import { profileModes } from './modes.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { fromJournal } from './outbox.js';
import { amountDue } from './payment.js';
import { returnJson, type ReturnResult } from './returns.js';
import { enqueue, precision, shiftForSale } from './shift.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

interface UnreceiptedReturnInput {
  readonly cashier: Cashier;
  readonly manager: Cashier;
  readonly items: readonly { readonly item_code: string; readonly qty: string }[];
  readonly customer?: string;
  readonly reason?: string;
}

/**
 * Goods back without a receipt: only with a manager's approval (journaled), at today's list
 * price with no promotion (nothing proves one applied), refunded in cash. ERPNext gets a return
 * POS Invoice against nothing.
 */
export function returnWithoutReceipt(term: Terminal, input: UnreceiptedReturnInput): ReturnResult {
  assertChainCurrent(term);
  const places = precision(term);
  const local = term.localTime();
  const modes = profileModes(term);
  if (input.items.length === 0) throw invalid('items', 'name the items coming back');
  const lines = draftLines(
    term,
    input.items.map((i) => ({ item_code: i.item_code, qty: i.qty })),
  ).map((l) => ({ ...l, qty: new Dec(l.qty).negated().toFixed() }));
  const customer = resolveCustomer(term, input.customer);
  const profile = term.profile();
  const draft: Rec = {
    ...draftHeader(term, { company: profile['company'], customer: customer['name'] }, local),
    is_return: 1,
    ignore_pricing_rule: 1,
    items: lines,
    payments: [{ mode_of_payment: modes.default, amount: 0 }],
    docstatus: 0,
  };
  const first = runQuote(term, draft, local.date).quote;
  checkQuoteBounds(first);
  const due = amountDue(first).abs();
  const cash = modes.cash ?? modes.default;
  const { quote: q, snapshot } = runQuote(
    term,
    {
      ...draft,
      docstatus: 1,
      payments: [{ mode_of_payment: cash, amount: `-${due.toFixed(places)}` }],
    },
    local.date,
  );
  const figures = taxFigures(q);
  const totals: Totals = {
    per_rate: Object.fromEntries(figures.map((f) => [f.rate, { net: f.net, tax: f.tax }])),
    grand_total: q.doc.grand_total.toFixed(places),
  };
  const shift = shiftForSale(term, input.cashier);
  return term.transact((tx) => {
    const loginSeq = ensureLogin(term, tx, input.cashier);
    const approval = recordApproval(tx, input.manager, input.cashier, 'return_without_receipt', {
      items: input.items,
      reason: input.reason ?? '',
    });
    const invoiceNo = nextNumber(term, seriesPrefix(term, local.year, false));
    const body = {
      kind: 'return',
      invoice_no: invoiceNo,
      approval,
      return_against: null,
      store: term.settings.storeId,
      terminal: term.settings.terminalId,
      cashier: { id: input.cashier.id, name: input.cashier.name },
      login_seq: loginSeq,
      shift: { id: shift.id, uuid: shift.uuid },
      snapshot_version: snapshot,
      issued_at: local.iso,
      invoice: returnJson(q, local),
      money_per_mode: { [cash]: `-${due.toFixed(places)}` },
      change_mode: modes.cash,
      loyalty: { points_reversed: 0 },
    };
    const record = tx.append({ type: 'return', body, totals, invoice_no: invoiceNo });
    const { uuid, time } = record.header;
    const seq = record.seq;
    term
      .stmt(
        `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
         VALUES (?, ?, ?, 'return', ?, NULL, ?, ?, ?)`,
      )
      .run(seq, invoiceNo, uuid, shift.id, str(customer['name']), totals.grand_total, time);
    enqueue(term, uuid, seq, 'POS Invoice', invoiceNo, fromJournal('insert'), time);
    bookStock(term, q, str(profile['warehouse']), -1);
    return {
      kind: 'return' as const,
      invoice_no: invoiceNo,
      return_against: '',
      uuid,
      seq,
      grand_total: q.doc.grand_total.toFixed(places),
      rounded_total: q.doc.rounded_total.toFixed(places),
      refunds: [{ mode: cash, amount: `-${due.toFixed(places)}` }],
      loyalty_points_reversed: 0,
    };
  });
}
