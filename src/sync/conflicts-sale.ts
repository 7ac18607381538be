import { z } from 'zod';
import { type Dec, parseWith, toDec } from '../core/index.js';

/**
 * The part of a signed sale record the conflicts report reads: the ERPNext invoice as it was
 * priced at the till (`body.invoice`). Only these fields are checked; the rest stays as signed.
 */

const num = z.union([z.number(), z.string()], 'must be a number');
const opt = z.string().nullish();

const itemSchema = z.looseObject({
  item_code: z.string().min(1),
  qty: num,
  uom: z.string(),
  stock_uom: opt,
  conversion_factor: num.nullish(),
  price_list_rate: num.nullish(),
  is_free_item: z.union([z.literal(0), z.literal(1), z.boolean()]).nullish(),
  /** A JSON list on priced rows (`[\n "PR-1"\n]`), a bare name on free rows. */
  pricing_rules: opt,
  item_tax_template: opt,
  /** `{"account": rate, ...}` as JSON text, in the template's order. */
  item_tax_rate: opt,
});

const invoiceSchema = z.looseObject({
  posting_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  posting_time: z.string().regex(/^\d{2}:\d{2}:\d{2}/, 'must be HH:MM:SS'),
  customer: z.string(),
  customer_group: opt,
  loyalty_program: opt,
  selling_price_list: z.string(),
  taxes_and_charges: opt,
  taxes: z.array(z.looseObject({ account_head: z.string(), rate: num.nullish() })).optional(),
  items: z.array(itemSchema),
  pricing_rules: z.array(z.looseObject({ pricing_rule: z.string(), item_code: opt })).optional(),
});

const bodySchema = z.object({ invoice: invoiceSchema, issued_at: z.string().optional() });

export type SaleInvoice = z.output<typeof invoiceSchema>;
export type SaleItem = z.output<typeof itemSchema>;

/** The invoice of a verified sale record; a QuoteError naming the field when it is not one. */
export function saleInvoice(
  body: unknown,
  seq: number,
): { invoice: SaleInvoice; issued_at?: string | undefined } {
  return parseWith(bodySchema, body, `journal seq ${seq} body`);
}

/** The sale's posting date and time as ERPNext shows them, in the site's zone. */
export const postedAt = (inv: SaleInvoice): string =>
  `${inv.posting_date} ${inv.posting_time.slice(0, 8)}`;

/**
 * The sale's moment as ERPNext stamps `modified` (naive, in the site's zone, to the
 * microsecond): the signed header's UTC time to the millisecond, moved by the zone offset the
 * receipt's `issued_at` states. posting_time alone is to the second, and a change in the same
 * second as the sale could not be placed before or after it.
 */
export function saleStamp(
  headerTime: string,
  issuedAt: string | undefined,
  inv: SaleInvoice,
): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(issuedAt ?? '');
  const ms = Date.parse(headerTime);
  if (!offset || Number.isNaN(ms)) return postedAt(inv);
  const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  return new Date(ms + minutes * 60_000).toISOString().slice(0, 23).replace('T', ' ');
}

/** True when a document stamped `modified` changed after the sale's stamp. */
export const changedSince = (modified: string, stamp: string): boolean =>
  modified.slice(0, stamp.length) > stamp;

/** The rule names a row records: a JSON list on priced rows, a bare name on free rows. */
export function ruleNames(text: string | null | undefined): string[] {
  const t = (text ?? '').trim();
  if (!t) return [];
  if (!t.startsWith('[')) return [t];
  try {
    const list: unknown = JSON.parse(t);
    return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** A money or rate figure for a manager: at least two decimals, never a float's noise. */
export function figure(value: unknown): string {
  const d: Dec = toDec(value);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

/** A rate as a percentage, as ERPNext's tax tables show it: `4.875%`. */
export const percent = (value: unknown): string => `${toDec(value).toFixed()}%`;
