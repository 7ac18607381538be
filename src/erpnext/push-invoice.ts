import { SALE_FIELDS } from './custom-fields.js';

type Rec = Record<string, unknown>;

/**
 * How a store regularizes its sales (store config `posting_mode`):
 * - `pos_invoice`: ERPNext v15's POS flow. POS Opening Entry, then POS Invoices, then a POS
 *   Closing Entry that consolidates them into Sales Invoices and posts stock and GL.
 * - `sales_invoice`: one Sales Invoice per sale (`is_pos`, `update_stock`): stock, GL and
 *   loyalty posted at once; no opening or closing is sent.
 */
export type PostingMode = 'pos_invoice' | 'sales_invoice';
export const POSTING_MODES: readonly PostingMode[] = ['pos_invoice', 'sales_invoice'];

export type InvoiceDoctype = 'POS Invoice' | 'Sales Invoice';

export const invoiceDoctype = (mode: PostingMode): InvoiceDoctype =>
  mode === 'pos_invoice' ? 'POS Invoice' : 'Sales Invoice';

/** The signed journal record behind a document, as its custom fields carry it. */
export interface SignedFacts {
  readonly terminal: string;
  readonly seq: number;
  readonly hash: string;
  readonly signature: string;
  readonly keyId: string;
  readonly uuid: string;
  /** The canonical header and body texts of the record, exactly as hashed. */
  readonly headerText: string;
  readonly bodyText: string;
}

export interface InvoiceInput {
  /** The invoice as the signed journal record holds it (ERPNext field names). */
  readonly invoice: Readonly<Rec>;
  readonly receiptNo: string | null;
  readonly signed: SignedFacts;
  readonly mode: PostingMode;
  /** ERPNext's name of the customer (a customer created at the till gets one when pushed). */
  readonly customer: string;
  /** A return: ERPNext's name of the original and the names of its item rows, in order. */
  readonly original?: { readonly name: string; readonly rows: readonly string[] };
  /** A return: for each of its items, the index of the original's row it takes back. */
  readonly returnRows?: readonly number[];
}

/** Keys of the till's invoice JSON that are not ERPNext fields, or are ERPNext's to set. */
const DROPPED = new Set([
  'doctype',
  'name',
  'docstatus',
  'outstanding_amount',
  'unsupported_pricing_rules',
  'loyalty_points_earned',
  // ERPNext builds the packing list of a bundle itself (make_packing_list in validate).
  'packed_items',
  'status',
]);

/** Child rows lose the till's row names: on insert Frappe would take them as the rows' names. */
const rowsOf = (v: unknown): Rec[] =>
  Array.isArray(v)
    ? v
        .filter((r): r is Rec => typeof r === 'object' && r !== null && !Array.isArray(r))
        .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'name')))
    : [];

/**
 * The draft ERPNext receives for a sale or return, exactly as the signed record says:
 * explicit price_list_rate, discounts and rate with `ignore_pricing_rule: 1` (the server would
 * otherwise price the sale again, recording 223/224), the till's own date and time with
 * `set_posting_time: 1` (without it the server dates it now, 162/230), taxes, payments with
 * their account and base amount and paid_amount (a draft's before_save fills them too; sent so
 * the stored invoice never depends on it, 102), change and loyalty redemption.
 *
 * Always a draft (docstatus 0): submitting is a separate PUT, because an insert with
 * docstatus 1 skips before_save (recording 059/091).
 */
export function invoiceBody(input: InvoiceInput): Rec {
  const doctype = invoiceDoctype(input.mode);
  const f = SALE_FIELDS[doctype];
  const inv = input.invoice;
  const body: Rec = {};
  for (const [k, v] of Object.entries(inv)) {
    if (DROPPED.has(k) || k.startsWith('outpost_')) continue;
    body[k] = v;
  }
  const items = rowsOf(inv['items']);
  const isReturn = Number(inv['is_return'] ?? 0) === 1;
  if (isReturn) {
    const original = input.original;
    if (!original) throw new Error('a return needs its original pushed first');
    const rowField = doctype === 'POS Invoice' ? 'pos_invoice_item' : 'sales_invoice_item';
    items.forEach((row, i) => {
      const at = input.returnRows?.[i];
      const name = at === undefined ? undefined : original.rows[at];
      // Without the original row's name ERPNext keeps the return unlinked from the sale's line
      // and says so only in a message (recording 229/235).
      if (name) row[rowField] = name;
    });
    body['return_against'] = original.name;
  }
  return {
    ...body,
    doctype,
    customer: input.customer,
    is_pos: 1,
    update_stock: 1,
    set_posting_time: 1,
    ignore_pricing_rule: 1,
    docstatus: 0,
    items,
    taxes: rowsOf(inv['taxes']),
    payments: rowsOf(inv['payments']),
    pricing_rules: rowsOf(inv['pricing_rules']),
    [f.uuid]: input.signed.uuid,
    [f.receiptNo]: input.receiptNo ?? '',
    [f.terminal]: input.signed.terminal,
    [f.seq]: input.signed.seq,
    [f.recordHash]: input.signed.hash,
    [f.signature]: input.signed.signature,
    [f.keyId]: input.signed.keyId,
    [f.signedHeader]: input.signed.headerText,
    [f.signedBody]: input.signed.bodyText,
  };
}

/** The unique field that finds a sale's document in ERPNext. */
export const uuidField = (mode: PostingMode): string => SALE_FIELDS[invoiceDoctype(mode)].uuid;
