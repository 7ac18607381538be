import { z } from 'zod';

/*
 * The API's request shapes: snake_case, ERPNext's field names where ERPNext has one (POS
 * Invoice items/payments, POS Opening Entry balance_details, POS Closing Entry
 * payment_reconciliation, Customer). Money and quantities are decimal strings, never JSON
 * numbers (a binary float is never kept). Objects are strict: an unknown key is refused, not
 * ignored. Types come from these schemas (z.output), as everywhere else.
 */

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a decimal string such as "2" or "1.250"');
const text = z.string().min(1, 'required').max(140);
const mode = z.string().min(1, 'required').max(140);

/** A manager's approval given at the till (discount, price override, void, no-receipt return). */
export const managerSchema = z.strictObject({ id: text, pin: z.string().min(1, 'required') });

/** A cart line: an item code or a raw scan (weighed and price labels included). */
const cartLine = z
  .strictObject({
    item_code: text.optional(),
    barcode: text.optional(),
    qty: decimal.optional(),
    rate: decimal.optional(),
  })
  .refine((l) => (l.item_code === undefined) !== (l.barcode === undefined), {
    message: 'give exactly one of item_code or barcode',
    path: ['item_code'],
  });

/** POS Invoice Payment: a mode of payment and the amount tendered in it. */
export const paymentSchema = z.strictObject({ mode_of_payment: mode, amount: decimal });

const cartFields = {
  items: z.array(cartLine).min(1, 'a cart needs at least one item').max(500),
  customer: text.optional(),
  redeem_loyalty_points: z.number().int().min(0).max(1_000_000_000).optional(),
  additional_discount_percentage: decimal.optional(),
  payments: z.array(paymentSchema).max(20).optional(),
};

export const cartSchema = z.strictObject(cartFields);
export type CartBody = z.output<typeof cartSchema>;

export const saleSchema = z.strictObject({
  ...cartFields,
  manager: managerSchema.optional(),
  training: z.boolean().optional(),
});

const returnLine = z.strictObject({ item_code: text, qty: decimal });

export const returnSchema = z.strictObject({
  /** The original receipt's number, or its scanned QR text; absent: a return without receipt. */
  return_against: z.string().min(1).max(4000).optional(),
  items: z.array(returnLine).max(500).optional(),
  manager: managerSchema.optional(),
  customer: text.optional(),
  reason: z.string().max(500).optional(),
});

export const voidSchema = z.strictObject({
  invoice_no: z.string().min(1, 'required').max(4000),
  manager: managerSchema,
  reason: z.string().max(500).optional(),
});

export const exchangeSchema = z.strictObject({
  return_against: z.string().min(1, 'required').max(4000),
  return_items: z.array(returnLine).min(1, 'at least one item comes back').max(500),
  items: cartFields.items,
  payments: cartFields.payments,
  additional_discount_percentage: decimal.optional(),
  manager: managerSchema.optional(),
});

export const shiftOpenSchema = z.strictObject({
  balance_details: z
    .array(z.strictObject({ mode_of_payment: mode, opening_amount: decimal }))
    .max(20),
});

export const shiftCloseSchema = z.strictObject({
  payment_reconciliation: z
    .array(z.strictObject({ mode_of_payment: mode, closing_amount: decimal }))
    .max(20),
});

export const customerSchema = z.strictObject({
  customer_name: z.string().min(1, 'required').max(400),
  mobile_no: z.string().max(40).optional(),
  email_id: z.string().max(320).optional(),
  customer_group: text.optional(),
  territory: text.optional(),
});

export const itemQuerySchema = z
  .strictObject({
    barcode: text.optional(),
    item_code: text.optional(),
    search: z.string().min(1, 'required').max(140).optional(),
  })
  .refine((q) => [q.barcode, q.item_code, q.search].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of barcode, item_code or search',
    path: ['search'],
  });

export const customerQuerySchema = z.strictObject({
  search: z.string().min(1, 'required').max(140),
});

export const receiptSchema = z.strictObject({
  format: z.enum(['text', 'html', 'pdf', 'escpos']),
  width: z.union([z.literal(80), z.literal(58)]).optional(),
});

export const invoiceParams = z.strictObject({ invoice_no: z.string().min(1).max(140) });

export const reviewParams = z.strictObject({ id: z.string().min(1).max(200) });

export const reviewDecisionSchema = z.strictObject({
  action: z.enum(['retry', 'resolve']),
  note: z.string().max(1000).optional(),
  /** Needed when the logged-in cashier is not a manager. */
  manager: managerSchema.optional(),
});

export const conflictsQuerySchema = z.strictObject({
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
});

export const holdSchema = z.strictObject({
  ...cartFields,
  note: z.string().max(200).optional(),
});

export const holdParams = z.strictObject({
  name: z.string().regex(/^HOLD-\d+$/, 'expected HOLD-n'),
});

export const loginSchema = z.strictObject({
  cashier: z.string().min(1, 'required').max(64),
  pin: z.string().min(1, 'required').max(12),
});

/** Routes that read only take no input: an unknown query parameter is still refused. */
export const noQuery = z.strictObject({});

/** A device asks to pair (public): a label the manager sees on the list. */
export const pairingRequestSchema = z.strictObject({
  label: z.string().max(64, 'at most 64 characters').optional(),
});

/** A manager approves a pairing code, optionally naming the terminal the device sells at. */
export const approvalSchema = z.strictObject({
  code: z.string().min(1, 'required').max(32),
  terminal: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,16}$/, 'expected 1–16 letters, digits, - or _')
    .optional(),
  manager: managerSchema,
});

/** A manager revokes a device: the PIN in the body, as for every approval. */
export const revocationSchema = z.strictObject({ manager: managerSchema });

export const deviceParams = z.strictObject({ id: z.string().min(1).max(64) });

export const pairingAnswer = z.object({
  device_id: z.string(),
  code: z.string(),
  device_token: z.string(),
  expires_at: z.string(),
});

export const pairingState = z.object({
  state: z.enum(['pending', 'approved', 'expired', 'revoked']),
  device_id: z.string(),
  code: z.string(),
  terminal: z.string().nullable(),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
});

export const approvalAnswer = z.object({
  approved: z.object({
    device_id: z.string(),
    terminal: z.string(),
    label: z.string(),
    approved_by: z.string(),
    approved_at: z.string(),
    new_terminal: z.boolean(),
    seq: z.number().int(),
  }),
});

export const revocationAnswer = z.object({
  revoked: z.object({ device_id: z.string(), revoked_at: z.string(), seq: z.number().int() }),
});

export const terminalsAnswer = z.object({
  terminals: z.array(
    z.object({
      name: z.string(),
      retired_at: z.string().nullable(),
      device: z.string().nullable(),
    }),
  ),
  devices: z.array(
    z.object({
      device_id: z.string(),
      code: z.string(),
      label: z.string(),
      state: z.enum(['pending', 'active', 'revoked']),
      terminal: z.string().nullable(),
      requested_at: z.string(),
      expires_at: z.string(),
      approved_at: z.string().nullable(),
      approved_by: z.string().nullable(),
      revoked_at: z.string().nullable(),
      revoked_by: z.string().nullable(),
    }),
  ),
});
