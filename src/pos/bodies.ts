import { z } from 'zod';

/*
 * The shapes of the journal bodies the till reads back (receipts, returns, the outbox, the Z
 * report). A body is checked against its signed hash first (journal-reads.ts), then against
 * these, so a body the till did not write, or wrote in a shape it no longer reads, is refused
 * instead of half-read. Only the fields read back are listed; the rest is kept as written.
 */

const rec = z.record(z.string(), z.unknown());
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const perMode = z.record(z.string(), decimal);
const person = z.object({ id: z.string(), name: z.string() });

/** Loyalty as a sale (points_*) or a return (points_reversed) records it. */
const loyalty = z.object({
  points_redeemed: z.number().int().optional(),
  points_earned: z.number().int().optional(),
  points_reversed: z.number().int().optional(),
  /** Sales since this field was added; absent on older records. */
  points_balance_after: z.number().int().nullable().optional(),
  earned: z
    .object({
      loyalty_program: z.string(),
      tier: z.string(),
      purchase_amount: decimal,
    })
    .nullable()
    .optional(),
});

/** What a printed receipt is made of: a sale, a return or a training sale. */
export const receiptBodySchema = z.object({
  invoice_no: z.string(),
  return_against: z.string().nullable().optional(),
  cashier: person,
  issued_at: z.string(),
  invoice: rec,
  training: z.boolean().optional(),
  loyalty: loyalty.optional(),
  exchange: z.object({ id: z.string(), return_invoice: z.string().optional() }).optional(),
  rule_titles: z.record(z.string(), z.string()).optional(),
});
/** A sale a return is made against. */
export const saleBodySchema = z.object({
  invoice: rec,
  rule_titles: z.record(z.string(), z.string()).optional(),
  money_per_mode: perMode,
  loyalty: loyalty.extend({
    points_redeemed: z.number().int(),
    points_earned: z.number().int(),
    earned: loyalty.shape.earned.unwrap().unwrap().nullable(),
  }),
});
/** An earlier return (or void) of a sale: what it took back and refunded. */
export const returnBodySchema = z.object({
  return_rows: z.array(z.object({ row: z.number().int().min(0), qty: decimal })).optional(),
  money_per_mode: perMode.optional(),
  invoice: rec.optional(),
});

/** A sale, return or void as the push sends it. */
export const invoiceBodySchema = z.object({
  invoice_no: z.string().nullable(),
  invoice: rec.optional(),
  return_against: z.string().nullable().optional(),
  against_uuid: z.string().optional(),
  /** A return against another store's sale: the ERPNext document and its rows' names. */
  remote_original: z
    .object({ doctype: z.string(), name: z.string(), rows: z.array(z.string()) })
    .optional(),
});

/** Any record counted in a shift: the money each mode took. */
export const moneyBodySchema = z.object({ money_per_mode: perMode.optional() });
