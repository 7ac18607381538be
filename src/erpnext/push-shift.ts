import { Dec } from '../core/index.js';
import { text } from './text.js';
import { CLOSING_ANCHOR_FIELDS, SHIFT_UUID_FIELD } from './custom-fields.js';

type Rec = Record<string, unknown>;

/** A POS Opening Entry as the till queued it (pos/shift.ts openShift). */
export interface OpeningInput {
  readonly payload: Readonly<Rec>;
  readonly shiftUuid: string;
  /** The API user: ERPNext's closing takes only invoices this user owns. */
  readonly user: string;
}

/** The opening's draft: the till's period start and float, keyed by the shift's uuid. */
export function openingBody(o: OpeningInput): Rec {
  const p = o.payload;
  return {
    doctype: 'POS Opening Entry',
    company: p['company'],
    pos_profile: p['pos_profile'],
    user: o.user,
    period_start_date: p['period_start_date'],
    posting_date: p['posting_date'],
    balance_details: Array.isArray(p['balance_details']) ? p['balance_details'] : [],
    [SHIFT_UUID_FIELD]: o.shiftUuid,
    docstatus: 0,
  };
}

/** One pushed POS Invoice of the shift, as the closing lists and totals it. */
export interface ClosingInvoice {
  readonly name: string;
  readonly posting_date: string;
  /** HH:MM:SS[.ffffff] */
  readonly posting_time: string;
  readonly customer: string;
  readonly grand_total: string;
  readonly net_total: string;
  readonly total_qty: string;
  readonly taxes: readonly { account_head: string; rate: string; amount: string }[];
}

export interface ChainAnchor {
  readonly terminal: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly headHash: string;
  readonly perpetualTotal: string;
  /** The Z report's signed record (canonical header and body texts): HQ verifies the anchor. */
  readonly headerText: string;
  readonly bodyText: string;
  readonly signature: string;
  readonly keyId: string;
}

export interface ClosingInput {
  readonly payload: Readonly<Rec>;
  readonly shiftUuid: string;
  readonly openingName: string;
  readonly openingStart: string;
  readonly user: string;
  readonly invoices: readonly ClosingInvoice[];
  readonly anchor: ChainAnchor;
}

const stamp = (i: ClosingInvoice): string => `${i.posting_date} ${padTime(i.posting_time)}`;

/** "9:3:1.5" → "09:03:01.5": ERPNext reads times back unpadded (recordings 094/099). */
export function padTime(t: string): string {
  const [h = '0', m = '0', s = '0'] = t.split(':');
  const [whole = '0', frac] = s.split('.');
  const two = (x: string) => x.padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(whole)}${frac ? `.${frac}` : ''}`;
}

/**
 * The POS Closing Entry, built here because make_closing_entry_from_opening is not
 * whitelisted (recording 077). pos_transactions are exactly this shift's pushed invoices,
 * oldest first: consolidation dates the Sales Invoice by the LAST one merged (085/237), so the
 * latest sale goes last and stock never leaves before it arrived (079). The period covers
 * every invoice's own posting time, a back-dated one too, since ERPNext's get_pos_invoices
 * selects by posting date and time (076). payment_reconciliation is the cashier's count.
 */
export function closingBody(c: ClosingInput): Rec {
  const p = c.payload;
  const invoices = [...c.invoices].sort((a, b) => stamp(a).localeCompare(stamp(b)));
  const end = text(p['period_end_date']);
  const starts = [c.openingStart, ...invoices.map(stamp)].filter(Boolean).sort();
  const ends = [end, ...invoices.map(stamp)].filter(Boolean).sort();
  const periodEnd = ends[ends.length - 1] ?? end;
  const sum = (pick: (i: ClosingInvoice) => string) =>
    invoices.reduce((a, i) => a.plus(pick(i)), new Dec(0)).toFixed();
  const taxes = new Map<string, { rate: string; amount: Dec }>();
  for (const i of invoices) {
    for (const t of i.taxes) {
      const key = `${t.account_head}\u0000${t.rate}`;
      const acc = taxes.get(key) ?? { rate: t.rate, amount: new Dec(0) };
      taxes.set(key, { rate: t.rate, amount: acc.amount.plus(t.amount) });
    }
  }
  const recon = Array.isArray(p['payment_reconciliation'])
    ? (p['payment_reconciliation'] as Rec[])
    : [];
  return {
    doctype: 'POS Closing Entry',
    pos_opening_entry: c.openingName,
    company: p['company'],
    pos_profile: p['pos_profile'],
    user: c.user,
    period_start_date: starts[0] ?? c.openingStart,
    period_end_date: periodEnd,
    posting_date: periodEnd.slice(0, 10),
    posting_time: periodEnd.slice(11),
    grand_total: sum((i) => i.grand_total),
    net_total: sum((i) => i.net_total),
    total_quantity: sum((i) => i.total_qty),
    pos_transactions: invoices.map((i) => ({
      pos_invoice: i.name,
      posting_date: i.posting_date,
      grand_total: i.grand_total,
      customer: i.customer,
    })),
    payment_reconciliation: recon.map((r) => ({
      mode_of_payment: r['mode_of_payment'],
      opening_amount: r['opening_amount'],
      expected_amount: r['expected_amount'],
      closing_amount: r['closing_amount'],
      difference: r['difference'],
    })),
    taxes: [...taxes].map(([key, t]) => ({
      account_head: key.split('\u0000')[0],
      rate: t.rate,
      amount: t.amount.toFixed(),
    })),
    [SHIFT_UUID_FIELD]: c.shiftUuid,
    [CLOSING_ANCHOR_FIELDS.terminal]: c.anchor.terminal,
    [CLOSING_ANCHOR_FIELDS.firstSeq]: c.anchor.firstSeq,
    [CLOSING_ANCHOR_FIELDS.lastSeq]: c.anchor.lastSeq,
    [CLOSING_ANCHOR_FIELDS.headHash]: c.anchor.headHash,
    [CLOSING_ANCHOR_FIELDS.perpetualTotal]: c.anchor.perpetualTotal,
    [CLOSING_ANCHOR_FIELDS.signedHeader]: c.anchor.headerText,
    [CLOSING_ANCHOR_FIELDS.signedBody]: c.anchor.bodyText,
    [CLOSING_ANCHOR_FIELDS.signature]: c.anchor.signature,
    [CLOSING_ANCHOR_FIELDS.keyId]: c.anchor.keyId,
    docstatus: 0,
  };
}

/**
 * In the `sales_invoice` mode there is no POS Closing Entry: a shift's anchor is a record of
 * this custom DocType (installed by `outpost erpnext-setup`, src/sync/setup-anchor.ts), named
 * by the shift's uuid, so ERPNext holds each terminal's chain head as it does in `pos_invoice`.
 */
export const SHIFT_ANCHOR_DOCTYPE = 'Outpost Shift Anchor';

export const SHIFT_ANCHOR_FIELDS = {
  shiftUuid: 'shift_uuid',
  terminal: 'terminal',
  firstSeq: 'first_seq',
  lastSeq: 'last_seq',
  headHash: 'head_hash',
  perpetualTotal: 'perpetual_grand_total',
  signedHeader: 'signed_header',
  signedBody: 'signed_body',
  signature: 'signature',
  keyId: 'key_id',
  periodStart: 'period_start_date',
  postingDate: 'posting_date',
  postingTime: 'posting_time',
} as const;

/**
 * The anchor record of a shift: its Z report's signed record, the opening's period start (HQ's
 * `audit --from` picks shifts by it, as it picks POS Closing Entries) and the closing's date
 * and time.
 */
export function anchorBody(
  payload: Readonly<Rec>,
  shiftUuid: string,
  openingStart: string,
  anchor: ChainAnchor,
): Rec {
  const F = SHIFT_ANCHOR_FIELDS;
  const end = text(payload['period_end_date']);
  return {
    doctype: SHIFT_ANCHOR_DOCTYPE,
    [F.shiftUuid]: shiftUuid,
    [F.terminal]: anchor.terminal,
    [F.firstSeq]: anchor.firstSeq,
    [F.lastSeq]: anchor.lastSeq,
    [F.headHash]: anchor.headHash,
    [F.perpetualTotal]: anchor.perpetualTotal,
    [F.signedHeader]: anchor.headerText,
    [F.signedBody]: anchor.bodyText,
    [F.signature]: anchor.signature,
    [F.keyId]: anchor.keyId,
    [F.periodStart]: openingStart,
    [F.postingDate]: end.slice(0, 10),
    [F.postingTime]: padTime(end.slice(11)),
  };
}
