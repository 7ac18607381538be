import { z } from 'zod';

/*
 * The node's answers as the screen reads them (src/server, OpenAPI at /api/openapi.json). Each
 * answer is parsed here, never cast: a node of another version fails naming the field.
 * Money stays as the node sent it: a decimal string, or a JSON number the node has already
 * rounded at ERPNext's precision. The screen formats it and never computes with it.
 */

const amount = z.union([z.number(), z.string()]);

export const errorEnvelope = z.object({
  error: z.object({ kind: z.string(), message: z.string(), field: z.string().nullish() }),
});

export const sessionSchema = z.object({
  session_token: z.string().min(1),
  cashier: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  idle_timeout_seconds: z.number(),
});
export type Session = z.output<typeof sessionSchema>;

export const tillSchema = z.object({
  cashier: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  store_id: z.string(),
  terminal_id: z.string(),
  pos_profile: z.string(),
  company: z.string(),
  currency: z.string().length(3),
  currency_precision: z.number().int(),
  modes: z.array(z.object({ mode_of_payment: z.string(), type: z.string(), default: z.boolean() })),
  shift: z
    .object({
      opened_at: z.string(),
      opened_by: z.string(),
      float: z.record(z.string(), z.string()),
    })
    .nullable(),
});
export type Till = z.output<typeof tillSchema>;

export const itemSchema = z.object({
  item_code: z.string(),
  item_name: z.string(),
  item_group: z.string().nullish(),
  brand: z.string().nullish(),
  stock_uom: z.string(),
  uom: z.string(),
  qty: z.string(),
  price: z.object({ rate: amount.nullable(), price_list_rate: amount.nullable() }).nullish(),
  barcode: z.string().optional(),
  barcode_rule: z.string().nullish(),
  barcode_amount: z.string().nullish(),
});
export type Item = z.output<typeof itemSchema>;
export const itemsSchema = z.object({ items: z.array(itemSchema) });

const quoteItem = z.object({
  idx: z.number(),
  item_code: z.string(),
  item_name: z.string(),
  qty: z.number(),
  uom: z.string(),
  price_list_rate: z.number(),
  discount_percentage: z.number().nullish(),
  discount_amount: z.number().nullish(),
  rate: z.number(),
  amount: z.number(),
  is_free_item: z.number(),
  pricing_rules: z.string(),
});
export type QuoteItem = z.output<typeof quoteItem>;

/** The customer's points as the node priced this cart (src/server/price-loyalty.ts). */
const loyaltySchema = z.object({
  loyalty_program: z.string(),
  conversion_factor: z.string(),
  points_balance: z.number().int(),
  points_redeemed: z.number().int(),
  loyalty_amount: z.string(),
  points_earned: z.number().int(),
  points_after: z.number().int(),
  max_redeem_points: z.number().int(),
});
export type Loyalty = z.output<typeof loyaltySchema>;

export const quoteSchema = z.object({
  currency: z.string(),
  customer: z.string(),
  customer_name: z.string(),
  total_qty: z.number(),
  total: z.number(),
  net_total: z.number(),
  total_taxes_and_charges: z.number(),
  discount_amount: z.number(),
  grand_total: z.number(),
  rounding_adjustment: z.number(),
  rounded_total: z.number(),
  paid_amount: z.number(),
  change_amount: z.number(),
  items: z.array(quoteItem),
  taxes: z.array(z.object({ description: z.string(), tax_amount: z.number() })),
  payments: z.array(z.object({ mode_of_payment: z.string(), amount: z.number() })),
  /** What the customer still pays once loyalty points are counted (a decimal string). */
  amount_due: z.string().optional(),
  loyalty: loyaltySchema.nullish(),
});
export type Quote = z.output<typeof quoteSchema>;

export const saleSchema = z.object({
  invoice_no: z.string(),
  kind: z.string(),
  grand_total: z.string(),
  paid_amount: z.string(),
  change_amount: z.string(),
  loyalty_points_redeemed: z.number().int().optional(),
  loyalty_amount: z.string().optional(),
  loyalty_points_earned: z.number().int().optional(),
});
export type Sale = z.output<typeof saleSchema>;

export const syncStatusSchema = z.object({
  connectivity: z.string(),
  last_pull_ok_at: z.string().nullish(),
  push: z.object({ pending: z.number(), in_review: z.number() }),
  last_push: z.object({
    run: z.object({ at: z.string(), result: z.string() }).nullish(),
    last_document_at: z.string().nullish(),
  }),
});
export type SyncStatus = z.output<typeof syncStatusSchema>;

export const readyEvent = z.object({ connectivity: z.string(), pending: z.number() });
export const connectivityEvent = z.object({ to: z.string(), at: z.string() });
export const outboxEvent = z.object({ pending: z.number().optional() });
export const pushEvent = z.object({ pending: z.number(), rejected: z.number() });

const perMode = z.record(z.string(), z.string());
const tally = z.object({ count: z.number(), grand_total: z.string() });

/** The open shift's figures (X report); the Z report adds the count and the difference. */
const shiftReport = z.object({
  opened_at: z.string(),
  opened_by: z.string(),
  sales: tally,
  returns: tally,
  voids: tally,
  per_mode: perMode,
  float: perMode,
  expected: perMode,
  grand_total: z.string(),
});
export type ShiftReport = z.output<typeof shiftReport>;
export const xReportSchema = z.object({ x_report: shiftReport });
export const zReportSchema = z.object({
  z_report: shiftReport.extend({ counted: perMode, difference: perMode, z_seq: z.number() }),
});
export type ZReport = z.output<typeof zReportSchema>['z_report'];
export const shiftOpenedSchema = z.object({ shift: z.object({ opened_at: z.string() }) });

export const customerSchema = z.object({
  name: z.string(),
  customer_name: z.string(),
  mobile_no: z.string().nullish(),
  email_id: z.string().nullish(),
  loyalty_program: z.string().nullish(),
});
export type Customer = z.output<typeof customerSchema>;
export const customersSchema = z.object({ customers: z.array(customerSchema) });

const heldLine = z.object({
  item_code: z.string().optional(),
  barcode: z.string().optional(),
  qty: z.string().optional(),
  rate: z.string().optional(),
});
export const heldCart = z.object({ items: z.array(heldLine), customer: z.string().optional() });
export const holdsSchema = z.object({
  holds: z.array(
    z.object({
      name: z.string(),
      cashier_id: z.string(),
      note: z.string(),
      created_at: z.string(),
      cart: heldCart,
    }),
  ),
});
export type Hold = z.output<typeof holdsSchema>['holds'][number];
export const heldSchema = z.object({ name: z.string() });
export const recalledSchema = z.object({ name: z.string(), cart: heldCart });

export const returnSchema = z.object({
  kind: z.string(),
  invoice_no: z.string().nullable(),
  return_against: z.string(),
  grand_total: z.string(),
  refunds: z.array(z.object({ mode: z.string(), amount: z.string() })),
});
export type ReturnResult = z.output<typeof returnSchema>;

export const reviewSchema = z.object({
  review: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      doctype: z.string(),
      invoice_no: z.string().nullable(),
      reason: z.string(),
      message: z.string(),
      since: z.string().nullable(),
      attempts: z.number(),
      actions: z.array(z.enum(['retry', 'resolve'])),
    }),
  ),
});
export type ReviewItem = z.output<typeof reviewSchema>['review'][number];
export const conflictsSchema = z.object({
  conflicts: z.array(
    z.object({
      invoice_no: z.string(),
      posted_at: z.string(),
      kind: z.string(),
      item_code: z.string().nullable(),
      doctype: z.string(),
      name: z.string(),
      at_sale: z.string().nullable(),
      now: z.string(),
      message: z.string(),
    }),
  ),
});
export type Conflict = z.output<typeof conflictsSchema>['conflicts'][number];
export const decidedSchema = z.unknown();

/** POST /api/pairing: the code a manager approves and this device's token (shown once). */
export const pairingRequested = z.object({
  device_id: z.string(),
  code: z.string(),
  device_token: z.string().min(16),
  expires_at: z.string(),
});
export type PairingRequested = z.output<typeof pairingRequested>;

/** GET /api/pairing with the device's token: where its request stands. */
export const pairingStateSchema = z.object({
  state: z.enum(['pending', 'approved', 'expired', 'revoked']),
  device_id: z.string(),
  code: z.string(),
  terminal: z.string().nullable(),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
});
export type PairingState = z.output<typeof pairingStateSchema>;

/** POST /api/pairing/approve: the device bound to a terminal. */
export const approvalSchema = z.object({
  approved: z.object({
    device_id: z.string(),
    terminal: z.string(),
    label: z.string(),
    approved_by: z.string(),
    approved_at: z.string(),
    new_terminal: z.boolean(),
  }),
});
export type Approval = z.output<typeof approvalSchema>['approved'];

/** GET /api/uoms: whole units only, or the decimals a quantity in the unit may have. */
export const uomsSchema = z.object({
  uoms: z.array(
    z.object({
      uom: z.string(),
      must_be_whole_number: z.boolean(),
      precision: z.number().int().min(0).max(9),
    }),
  ),
});

/**
 * GET /api/loyalty: a customer's points as the node counts them before any cart — the entries
 * last pulled from ERPNext plus this store's sales not yet confirmed by it.
 */
export const memberPointsSchema = z.object({
  customer: z.string(),
  customer_name: z.string(),
  loyalty_program: z.string().nullable(),
  conversion_factor: z.string().nullable(),
  points: z.number().int(),
  points_value: z.string(),
  pulled_points: z.number().int(),
  unpushed_points: z.number().int(),
  as_of: z.string(),
});
export type MemberPoints = z.output<typeof memberPointsSchema>;
