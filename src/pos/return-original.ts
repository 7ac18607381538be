import { Dec } from '../core/index.js';
import { returnBodySchema, saleBodySchema } from './bodies.js';
import { PosError, invalid } from './errors.js';
import { dec } from './fields.js';
import { bodyOf, verifiedRecord } from './journal-reads.js';
import type { ReturnInput } from './returns.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

interface SaleRow {
  seq: number;
  kind: string;
  uuid: string;
}

export const rowsOf = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** A sale and what its earlier returns took back, read from the journal. */
export function original(term: Terminal, invoiceNo: string) {
  const row = term.stmt('SELECT seq, kind, uuid FROM sale WHERE invoice_no = ?').get(invoiceNo) as
    SaleRow | undefined;
  if (!row) throw new PosError('NotFound', `invoice: no sale ${invoiceNo} on this till`, 'invoice');
  if (row.kind !== 'sale') {
    throw new PosError(
      'ReturnRefused',
      `invoice: ${invoiceNo} is a ${row.kind}, not a sale`,
      'invoice',
    );
  }
  // Refunds are made against the signed sale, so it (and each earlier return) is verified.
  const record = verifiedRecord(term, row.seq);
  if (record.header.invoice_no !== invoiceNo || record.header.uuid !== row.uuid) {
    throw new PosError(
      'JournalTampered',
      `invoice: journal seq ${row.seq} is not the record of ${invoiceNo}`,
      'journal',
    );
  }
  const body = bodyOf(record, saleBodySchema);
  const earlier = term
    .stmt(
      "SELECT seq, kind FROM sale WHERE against = ? AND kind IN ('return', 'void') ORDER BY seq",
    )
    .all(invoiceNo) as SaleRow[];
  const returned = new Map<number, Dec>();
  const refunded = new Map<string, Dec>();
  let returnedTotal = new Dec(0);
  for (const r of earlier) {
    if (r.kind === 'void')
      throw new PosError('ReturnRefused', `invoice: ${invoiceNo} was voided`, 'invoice');
    const b = bodyOf(verifiedRecord(term, r.seq), returnBodySchema);
    for (const x of b.return_rows ?? []) {
      returned.set(x.row, (returned.get(x.row) ?? new Dec(0)).plus(x.qty));
    }
    for (const [mode, amount] of Object.entries(b.money_per_mode ?? {})) {
      refunded.set(mode, (refunded.get(mode) ?? new Dec(0)).plus(amount));
    }
    returnedTotal = returnedTotal.plus(dec(b.invoice?.['grand_total']).abs());
  }
  return {
    row,
    record,
    body,
    returned,
    refunded,
    returnedTotal,
    firstReturn: earlier.length === 0,
  };
}

/** A sale with what was returned and refunded of it so far. */
export type Original = ReturnType<typeof original>;

/** Which rows of the original, and how much of each, the return takes back. */
export function pick(
  items: Rec[],
  returned: Map<number, Dec>,
  wanted: ReturnInput['items'],
): Map<number, Dec> {
  const left = (i: number) => dec(items[i]?.['qty']).minus(returned.get(i) ?? 0);
  const out = new Map<number, Dec>();
  if (!wanted || wanted.length === 0) {
    items.forEach((_, i) => {
      if (left(i).gt(0)) out.set(i, left(i));
    });
    if (out.size === 0)
      throw new PosError(
        'ReturnRefused',
        'everything on this receipt was already returned',
        'items',
      );
    return out;
  }
  wanted.forEach((w, k) => {
    const field = `items[${k + 1}]`;
    if (!/^\d+(\.\d+)?$/.test(w.qty) || new Dec(w.qty).isZero())
      throw invalid(`${field}.qty`, `${w.qty} is not a quantity above 0`);
    let need = new Dec(w.qty);
    const rows = items
      .map((it, i) => ({ it, i }))
      .filter(({ it }) => it['item_code'] === w.item_code);
    if (rows.length === 0)
      throw new PosError('ReturnRefused', `${field}: ${w.item_code} is not on this receipt`, field);
    // Paid rows first, free rows last; each up to what is left of it.
    rows.sort((a, b) => Number(a.it['is_free_item'] ?? 0) - Number(b.it['is_free_item'] ?? 0));
    for (const { i } of rows) {
      if (need.isZero()) break;
      const avail = left(i).minus(out.get(i) ?? 0);
      const take = Dec.min(avail, need);
      if (take.gt(0)) {
        out.set(i, (out.get(i) ?? new Dec(0)).plus(take));
        need = need.minus(take);
      }
    }
    if (need.gt(0)) {
      throw new PosError(
        'ReturnRefused',
        `${field}: only ${Dec.max(0, new Dec(w.qty).minus(need)).toFixed()} more of ${w.item_code} can be returned`,
        field,
      );
    }
  });
  return out;
}
