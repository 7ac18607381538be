import { Dec } from '../core/index.js';
import { returnBodySchema } from './bodies.js';
import { bookStock } from './bookings.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin } from './cashiers.js';
import { assertChainCurrent } from './chain.js';
import { PosError } from './errors.js';
import { str } from './fields.js';
import { bodyOf, verifiedRecord } from './journal-reads.js';
import { profileModes } from './modes.js';
import { nextNumber, seriesPrefix } from './numbering.js';
import { fromJournal } from './outbox.js';
import { pick, rowsOf } from './return-original.js';
import { quoteReturn } from './return-quote.js';
import { returnJson, type ReturnResult } from './returns.js';
import { enqueue, precision, shiftForSale } from './shift.js';
import type { Terminal } from './terminal.js';

/**
 * Another store's sale as ERPNext holds it (src/sync/remote-original.ts reads it): the node
 * asks ERPNext, then calls `returnAgainstRemote` with the answer.
 */
export interface RemoteSale {
  readonly doctype: string;
  readonly name: string;
  readonly uuid: string | null;
  readonly receipt_no: string | null;
  readonly consolidated_invoice: string | null;
  readonly invoice: Readonly<Record<string, unknown>>;
  readonly rows: readonly string[];
  readonly paid: Readonly<Record<string, string>>;
  readonly returns: readonly {
    readonly name: string;
    readonly uuid: string | null;
    readonly rows: readonly { readonly row: number; readonly qty: string }[];
    readonly refunded: Readonly<Record<string, string>>;
  }[];
  readonly signature:
    | { readonly state: 'verified'; readonly key_id: string; readonly terminal: string }
    | { readonly state: 'key_unknown'; readonly key_id: string; readonly reason: string }
    | { readonly state: 'unsigned' }
    | { readonly state: 'bad'; readonly reason: string };
}

export interface RemoteReturnInput {
  readonly cashier: Cashier;
  readonly original: RemoteSale;
  /** Items and quantities to take back; none = everything not yet returned. */
  readonly items?: readonly { readonly item_code: string; readonly qty: string }[];
  /** Part of an exchange, as for a return of this store's sale (returns.ts `exchange`). */
  readonly exchange?: { readonly id: string; readonly credit: Dec };
}

export interface RemoteReturnResult extends ReturnResult {
  /** The ERPNext document returned against, and how its signature checked. */
  readonly original: {
    readonly doctype: string;
    readonly name: string;
    readonly receipt_no: string | null;
    readonly signature: RemoteSale['signature']['state'];
    /** Why the signature was not checked (no key registered for its terminal). */
    readonly signature_note: string | null;
    /**
     * pos_invoice mode: ERPNext merges a return only once its original is consolidated
     * (pos_invoice_merge_log.py validate_pos_invoice_status); null while the other store's
     * shift is open, and this shift's closing waits for it.
     */
    readonly consolidated_invoice: string | null;
  };
}

/**
 * A return at this terminal against a sale of another store, while ERPNext answers: what can
 * still come back is what ERPNext's submitted returns and this node's own returns (pushed or
 * not) leave of each line; the refund is priced from the original's lines as ERPNext holds
 * them (never re-priced), the goods come back into this store's warehouse, and the push sends
 * it with `return_against` = the original's ERPNext name and each row's link. One transaction.
 */
export function returnAgainstRemote(term: Terminal, input: RemoteReturnInput): RemoteReturnResult {
  assertChainCurrent(term);
  const o = input.original;
  if (o.signature.state === 'bad') {
    throw new PosError(
      'ReturnRefused',
      `invoice: ${o.doctype} ${o.name} does not match what its till signed (${o.signature.reason}): it is not refunded from`,
      'invoice',
    );
  }
  const places = precision(term);
  const local = term.localTime();
  const { returned, refunded } = alreadyReturned(term, o);
  const items = rowsOf(o.invoice['items']);
  const picked = pick(items, returned, input.items);
  const q = quoteReturn(term, places, {
    inv: o.invoice,
    picked,
    paid: o.paid,
    refunded,
    ...(input.exchange ? { credit: input.exchange.credit } : {}),
    local,
    against: o.name,
    here: true,
  });
  const modes = profileModes(term);
  const customer = str(o.invoice['customer']);
  const shift = shiftForSale(term, input.cashier);
  return term.transact((tx) => {
    const loginSeq = ensureLogin(term, tx, input.cashier);
    const invoiceNo = nextNumber(term, seriesPrefix(term, local.year, false));
    const body = {
      kind: 'return',
      invoice_no: invoiceNo,
      approval: null,
      return_against: o.name,
      remote_original: {
        doctype: o.doctype,
        name: o.name,
        uuid: o.uuid,
        receipt_no: o.receipt_no,
        rows: o.rows,
        signature: o.signature,
        consolidated_invoice: o.consolidated_invoice,
      },
      store: term.settings.storeId,
      terminal: term.settings.terminalId,
      cashier: { id: input.cashier.id, name: input.cashier.name },
      login_seq: loginSeq,
      shift: { id: shift.id, uuid: shift.uuid },
      snapshot_version: q.snapshot,
      issued_at: local.iso,
      invoice: returnJson(q.quote, local),
      return_rows: q.returnRows,
      rule_titles: {},
      money_per_mode: q.perMode,
      change_mode: modes.cash,
      // ERPNext recomputes the original's points when the return is submitted (POS Invoice
      // on_submit); this store's loyalty copy learns it at the next pull.
      loyalty: { points_reversed: 0 },
      ...(input.exchange
        ? { exchange: { id: input.exchange.id, credit: q.credit.toFixed(places) } }
        : {}),
    };
    const record = tx.append({
      type: 'return',
      body,
      totals: q.totals,
      invoice_no: invoiceNo,
    });
    const { uuid, time } = record.header;
    term
      .stmt(
        `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
         VALUES (?, ?, ?, 'return', ?, ?, ?, ?, ?)`,
      )
      .run(record.seq, invoiceNo, uuid, shift.id, o.name, customer, q.totals.grand_total, time);
    enqueue(term, uuid, record.seq, 'POS Invoice', invoiceNo, fromJournal('insert'), time);
    bookStock(term, q.quote, str(term.profile()['warehouse']), -1);
    const signature = o.signature;
    return {
      kind: 'return',
      invoice_no: invoiceNo,
      return_against: o.name,
      uuid,
      seq: record.seq,
      grand_total: q.quote.doc.grand_total.toFixed(places),
      rounded_total: q.quote.doc.rounded_total.toFixed(places),
      refunds: q.refunds.map((r) => ({ mode: r.mode, amount: `-${r.amount}` })),
      loyalty_points_reversed: 0,
      original: {
        doctype: o.doctype,
        name: o.name,
        receipt_no: o.receipt_no,
        signature: signature.state,
        signature_note: signature.state === 'key_unknown' ? signature.reason : null,
        consolidated_invoice: o.consolidated_invoice,
      },
    };
  });
}

/**
 * What was taken back of each line and refunded per mode so far: ERPNext's submitted returns,
 * less the ones this node made (their uuids), plus every return of this node against it, pushed
 * or not (each read from its verified record).
 */
function alreadyReturned(term: Terminal, o: RemoteSale) {
  const returned = new Map<number, Dec>();
  const refunded = new Map<string, Dec>();
  const add = (rows: readonly { row: number; qty: string }[], modes: Record<string, string>) => {
    for (const r of rows) returned.set(r.row, (returned.get(r.row) ?? new Dec(0)).plus(r.qty));
    for (const [mode, amount] of Object.entries(modes)) {
      refunded.set(mode, (refunded.get(mode) ?? new Dec(0)).plus(amount));
    }
  };
  const mine = term
    .stmt("SELECT seq, uuid FROM sale WHERE against = ? AND kind = 'return' ORDER BY seq")
    .all(o.name) as { seq: number; uuid: string }[];
  const uuids = new Set(mine.map((m) => m.uuid));
  for (const r of o.returns) if (r.uuid === null || !uuids.has(r.uuid)) add(r.rows, r.refunded);
  for (const m of mine) {
    const b = bodyOf(verifiedRecord(term, m.seq), returnBodySchema);
    add(b.return_rows ?? [], b.money_per_mode ?? {});
  }
  return { returned, refunded };
}
