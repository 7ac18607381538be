import { z } from 'zod';
import { Dec } from '../../core/index.js';
import type { ErpDoc } from '../../erpnext/client.js';
import { totalDifferences } from '../../erpnext/push-check.js';
import { text } from '../../erpnext/text.js';
import type { Header } from '../../journal/record.js';

type Rec = Readonly<Record<string, unknown>>;

const Rows = z.array(z.record(z.string(), z.unknown())).optional().catch(undefined);
/** The part of a sale's signed body the audit compares: its ERPNext invoice. */
const SignedInvoice = z.looseObject({
  invoice: z.looseObject({ items: Rows, taxes: Rows }),
});

/** ERPNext's JSON numbers read as the decimals they print as; text kept as is. */
const dec = (v: unknown): Dec | null => {
  if (v === undefined || v === null || v === '') return new Dec(0);
  const t = text(v);
  return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t) ? new Dec(t) : null;
};

const same = (a: unknown, b: unknown): boolean => {
  const x = dec(a);
  const y = dec(b);
  return x !== null && y !== null && x.eq(y);
};

const rowsOf = (v: unknown): Rec[] =>
  (Array.isArray(v) ? (v as Rec[]) : [])
    .slice()
    .sort((a, b) => Number(a['idx'] ?? 0) - Number(b['idx'] ?? 0));

/**
 * Where ERPNext's invoice differs from the signed record, in words (empty: it stands as
 * signed). The signed header's grand total, the body's totals (grand, rounded, taxes, paid),
 * each item's code, qty and rate, and each tax row's amount.
 */
export function amountDifferences(header: Header, body: Rec | null, erp: ErpDoc): string[] {
  const out: string[] = [];
  if (header.totals && !same(header.totals.grand_total, erp['grand_total'])) {
    out.push(
      `grand_total: signed ${header.totals.grand_total}, ERPNext ${text(erp['grand_total'])}`,
    );
  }
  if (body === null) return out;
  const parsed = SignedInvoice.safeParse(body);
  if (!parsed.success) return [...out, 'the signed record holds no invoice'];
  const signed = parsed.data.invoice;
  for (const d of totalDifferences(signed, erp)) {
    if (d.field === 'grand_total' && out.length > 0) continue;
    out.push(`${d.field}: signed ${d.signed}, ERPNext ${d.erpnext}`);
  }
  const mine = rowsOf(signed.items);
  const theirs = rowsOf(erp['items']);
  if (mine.length !== theirs.length) {
    out.push(`items: signed ${mine.length} rows, ERPNext ${theirs.length}`);
  } else {
    mine.forEach((row, i) => {
      const other = theirs[i] ?? {};
      if (text(row['item_code']) !== text(other['item_code'])) {
        out.push(
          `items row ${i + 1} item_code: signed ${text(row['item_code'])}, ERPNext ${text(other['item_code'])}`,
        );
      }
      for (const f of ['qty', 'rate'] as const) {
        if (!same(row[f], other[f])) {
          out.push(`items row ${i + 1} ${f}: signed ${text(row[f])}, ERPNext ${text(other[f])}`);
        }
      }
    });
  }
  const myTaxes = rowsOf(signed.taxes);
  const theirTaxes = rowsOf(erp['taxes']);
  if (myTaxes.length !== theirTaxes.length) {
    out.push(`taxes: signed ${myTaxes.length} rows, ERPNext ${theirTaxes.length}`);
  } else {
    myTaxes.forEach((row, i) => {
      const other = theirTaxes[i] ?? {};
      if (!same(row['tax_amount'], other['tax_amount'])) {
        out.push(
          `taxes row ${i + 1} tax_amount: signed ${text(row['tax_amount'])}, ERPNext ${text(other['tax_amount'])}`,
        );
      }
    });
  }
  return out;
}
