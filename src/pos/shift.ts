import { z } from 'zod';
import { assertChainCurrent } from './chain.js';
import { Dec, siteSettingsFrom } from '../core/index.js';
import { perpetualGrandTotal, readHead } from '../journal/index.js';
import { moneyBodySchema } from './bodies.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin } from './cashiers.js';
import { PosError, invalid } from './errors.js';
import { checkMode, profileModes } from './modes.js';
import { bodyOf, parseStored, verifiedRecord } from './journal-reads.js';
import type { Terminal } from './terminal.js';

interface Shift {
  readonly id: number;
  readonly uuid: string;
  readonly openedSeq: number;
  readonly openedAt: string;
  readonly openedBy: string;
  /** Mode -> opening amount (decimal text). */
  readonly float: Readonly<Record<string, string>>;
}

/** Counted or expected amounts per mode of payment, as decimal text. */
export type PerMode = Record<string, string>;

/** The shift's figures so far: what an X report prints and a Z report seals. */
interface ShiftReport {
  readonly shift_id: number;
  readonly opened_at: string;
  readonly opened_by: string;
  readonly first_seq: number;
  readonly last_seq: number;
  readonly sales: { readonly count: number; readonly grand_total: string };
  readonly returns: { readonly count: number; readonly grand_total: string };
  readonly voids: { readonly count: number; readonly grand_total: string };
  readonly training: { readonly count: number };
  /** Net and tax per tax rate over sales, returns and voids. */
  readonly per_rate: Record<string, { net: string; tax: string }>;
  /** Money taken per mode, net of change and refunds. */
  readonly per_mode: PerMode;
  readonly float: PerMode;
  /** float + taken, per mode: what the drawer should hold. */
  readonly expected: PerMode;
  readonly grand_total: string;
  readonly perpetual_grand_total: string;
}

interface ShiftRow {
  id: number;
  uuid: string;
  opened_seq: number;
  opened_at: string;
  opened_by: string;
  float: string;
}

const floatSchema = z.record(z.string(), z.string().regex(/^-?\d+(\.\d+)?$/));

function currentShift(term: Terminal): Shift | null {
  const row = term
    .stmt('SELECT * FROM shift WHERE closed_seq IS NULL AND terminal = ?')
    .get(term.name) as ShiftRow | undefined;
  if (!row) return null;
  return {
    id: row.id,
    uuid: row.uuid,
    openedSeq: row.opened_seq,
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    float: parseStored(floatSchema, row.float, `shift ${row.id} float`),
  };
}

/**
 * The open shift a sale or return goes into. With none open, the store's `auto_open_shift`
 * setting (default on) opens one for the cashier with no float, journaled like any opening
 * (marked auto); otherwise the sale is refused. Call it only once the sale is sure to commit.
 */
export function shiftForSale(term: Terminal, cashier: Cashier): Shift {
  const open = currentShift(term);
  if (open) return open;
  if (!term.settings.autoOpenShift) return requireShift(term);
  return openShift(term, cashier, {}, { auto: true });
}

export function requireShift(term: Terminal): Shift {
  const shift = currentShift(term);
  if (!shift) {
    throw new PosError('ShiftState', 'no shift is open: run `outpost shift open` first');
  }
  return shift;
}

/** Parses MODE:AMOUNT pairs against the profile's modes. */
export function amountsPerMode(
  term: Terminal,
  pairs: readonly { mode: string; amount: string }[],
  field: string,
): PerMode {
  const modes = profileModes(term);
  const out: PerMode = {};
  for (const { mode, amount } of pairs) {
    checkMode(modes, mode, field);
    if (!/^\d+(\.\d+)?$/.test(amount))
      throw invalid(field, `${mode}: ${amount} is not an amount ≥ 0`);
    out[mode] = new Dec(out[mode] ?? 0).plus(amount).toFixed(precision(term));
  }
  return out;
}

/** The site's effective currency precision (core `siteSettings`, as ERPNext derives it). */
export const precision = (term: Terminal): number =>
  siteSettingsFrom((doctype, name) => term.doc(doctype, name)).currency;

/** Opens a shift with its float (journaled; queued for ERPNext as a POS Opening Entry). */
export function openShift(
  term: Terminal,
  cashier: Cashier,
  float: PerMode,
  options: { auto?: boolean } = {},
): Shift {
  assertChainCurrent(term);
  const profile = term.profile();
  const local = term.localTime();
  return term.transact((tx) => {
    if (currentShift(term)) {
      throw new PosError(
        'ShiftState',
        'a shift is already open: close it first (`outpost shift close`)',
      );
    }
    const id = ((term.stmt('SELECT max(id) FROM shift').pluck().get() as number | null) ?? 0) + 1;
    ensureLogin(term, tx, cashier);
    const record = tx.append({
      type: 'shift_open',
      body: {
        shift_id: id,
        cashier: { id: cashier.id, name: cashier.name },
        pos_profile: term.posProfile,
        company: profile['company'] ?? '',
        opened_at: local.iso,
        float,
        ...(options.auto ? { auto: true } : {}),
      },
    });
    const { uuid, seq, time } = record.header;
    term
      .stmt(
        'INSERT INTO shift (id, uuid, opened_seq, opened_at, opened_by, float, terminal) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, uuid, seq, time, cashier.id, JSON.stringify(float), term.name);
    const payload = {
      doctype: 'POS Opening Entry',
      pos_profile: term.posProfile,
      company: profile['company'] ?? '',
      period_start_date: `${local.date} ${local.time}`,
      posting_date: local.date,
      balance_details: openingBalances(term, float),
      outpost_uuid: uuid,
      outpost_cashier: cashier.id,
    };
    enqueue(term, uuid, record.seq, 'POS Opening Entry', null, payload, time);
    return { id, uuid, openedSeq: seq, openedAt: time, openedBy: cashier.id, float };
  });
}

/**
 * The opening's balance rows. ERPNext requires at least one (`balance_details` is mandatory on
 * POS Opening Entry: a shift opened by a sale, with no float, would be refused as
 * MandatoryError); with no float counted, every mode of the profile opens at 0, as ERPNext's
 * own opening dialog fills them.
 */
function openingBalances(
  term: Terminal,
  float: PerMode,
): { mode_of_payment: string; opening_amount: string }[] {
  const counted = Object.entries(float);
  if (counted.length > 0) {
    return counted.map(([mode_of_payment, opening_amount]) => ({
      mode_of_payment,
      opening_amount,
    }));
  }
  return profileModes(term).names.map((mode_of_payment) => ({
    mode_of_payment,
    opening_amount: '0',
  }));
}

export function enqueue(
  term: Terminal,
  uuid: string,
  seq: number,
  doctype: string,
  invoiceNo: string | null,
  payload: object,
  time: string,
): void {
  term
    .stmt(
      'INSERT INTO outbox (uuid, seq, doctype, invoice_no, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(uuid, seq, doctype, invoiceNo, JSON.stringify(payload), time);
}

interface SaleRow {
  seq: number;
  kind: string;
}

/** The figures of `shift` from its journal records (the truth), through the last record. */
function shiftReport(term: Terminal, shift: Shift): ShiftReport {
  const places = precision(term);
  const fix = (d: Dec) => d.toFixed(places);
  const rows = term
    .stmt('SELECT seq, kind FROM sale WHERE shift_id = ? ORDER BY seq')
    .all(shift.id) as SaleRow[];
  const count = { sale: 0, return: 0, void: 0, training: 0 };
  const gt = { sale: new Dec(0), return: new Dec(0), void: new Dec(0) };
  const perRate = new Map<string, { net: Dec; tax: Dec }>();
  const perMode = new Map<string, Dec>();
  for (const row of rows) {
    const kind = row.kind as keyof typeof count;
    count[kind] += 1;
    if (kind === 'training') continue;
    // The Z report is a fiscal document: its figures come from verified records only.
    const record = verifiedRecord(term, row.seq);
    if (!record.header.totals) continue;
    gt[kind] = gt[kind].plus(record.header.totals.grand_total);
    for (const [rate, t] of Object.entries(record.header.totals.per_rate)) {
      const acc = perRate.get(rate) ?? { net: new Dec(0), tax: new Dec(0) };
      perRate.set(rate, { net: acc.net.plus(t.net), tax: acc.tax.plus(t.tax) });
    }
    const body = bodyOf(record, moneyBodySchema);
    for (const [mode, amount] of Object.entries(body.money_per_mode ?? {})) {
      perMode.set(mode, (perMode.get(mode) ?? new Dec(0)).plus(amount));
    }
  }
  const modes = new Set([...Object.keys(shift.float), ...perMode.keys()]);
  const expected: PerMode = {};
  const taken: PerMode = {};
  for (const mode of modes) {
    const t = perMode.get(mode) ?? new Dec(0);
    taken[mode] = fix(t);
    expected[mode] = fix(t.plus(shift.float[mode] ?? 0));
  }
  const head = readHead(term.db, term.name);
  return {
    shift_id: shift.id,
    opened_at: shift.openedAt,
    opened_by: shift.openedBy,
    first_seq: shift.openedSeq,
    last_seq: head?.seq ?? shift.openedSeq,
    sales: { count: count.sale, grand_total: fix(gt.sale) },
    returns: { count: count.return, grand_total: fix(gt.return) },
    voids: { count: count.void, grand_total: fix(gt.void) },
    training: { count: count.training },
    per_rate: Object.fromEntries(
      [...perRate].map(([rate, t]) => [rate, { net: fix(t.net), tax: fix(t.tax) }]),
    ),
    per_mode: taken,
    float: { ...shift.float },
    expected,
    grand_total: fix(gt.sale.plus(gt.return).plus(gt.void)),
    perpetual_grand_total: fix(new Dec(perpetualGrandTotal(term.db, undefined, term.name))),
  };
}

/** X report: the figures so far, journaled (who looked, when, what it said). */
export function xReport(term: Terminal): ShiftReport {
  const shift = requireShift(term);
  return term.transact((tx) => {
    const report = shiftReport(term, shift);
    tx.append({ type: 'x_report', body: { report } });
    return report;
  });
}

interface ZReport extends ShiftReport {
  readonly counted: PerMode;
  /** counted − expected per mode (negative: the drawer is short). */
  readonly difference: PerMode;
  readonly head_hash: string;
  readonly z_seq: number;
}

/**
 * Closes the shift: counted vs expected per mode, and the Z report sealed as a shift_close
 * record (first/last seq, head hash, totals per rate and mode, perpetual grand total). Queued
 * for ERPNext as a POS Closing Entry.
 */
export function closeShift(term: Terminal, cashier: Cashier, counted: PerMode): ZReport {
  assertChainCurrent(term);
  const shift = requireShift(term);
  const places = precision(term);
  const profile = term.profile();
  const local = term.localTime();
  return term.transact((tx) => {
    ensureLogin(term, tx, cashier);
    const report = shiftReport(term, shift);
    const modes = new Set([...Object.keys(report.expected), ...Object.keys(counted)]);
    const full: PerMode = {};
    const difference: PerMode = {};
    for (const mode of modes) {
      const c = new Dec(counted[mode] ?? 0);
      full[mode] = c.toFixed(places);
      difference[mode] = c.minus(report.expected[mode] ?? 0).toFixed(places);
    }
    const head = readHead(term.db, term.name);
    const headHash = head?.hash ?? '';
    const perRate = Object.fromEntries(
      Object.entries(report.per_rate).map(([rate, t]) => [rate, t]),
    );
    const body = {
      ...report,
      counted: full,
      difference,
      head_hash: headHash,
      closed_by: { id: cashier.id, name: cashier.name },
      closed_at: local.iso,
    };
    const record = tx.append({
      type: 'shift_close',
      body,
      totals: { per_rate: perRate, grand_total: report.grand_total },
    });
    const { uuid, seq, time } = record.header;
    term
      .stmt('UPDATE shift SET closed_seq = ?, closed_at = ?, closed_by = ? WHERE id = ?')
      .run(seq, time, cashier.id, shift.id);
    term.setLocalState('session', '');
    enqueue(
      term,
      uuid,
      record.seq,
      'POS Closing Entry',
      null,
      {
        doctype: 'POS Closing Entry',
        pos_profile: term.posProfile,
        company: profile['company'] ?? '',
        period_end_date: `${local.date} ${local.time}`,
        posting_date: local.date,
        outpost_opening_uuid: shift.uuid,
        payment_reconciliation: [...modes].map((mode) => ({
          mode_of_payment: mode,
          opening_amount: report.float[mode] ?? '0',
          expected_amount: report.expected[mode] ?? '0',
          closing_amount: full[mode],
          difference: difference[mode],
        })),
        outpost_uuid: uuid,
      },
      time,
    );
    return { ...report, counted: full, difference, head_hash: headHash, z_seq: seq };
  });
}
