import { z } from 'zod';
import { Dec } from '../core/index.js';
import type { ErpClient, ErpDoc } from '../erpnext/client.js';
import { readAnswer } from '../erpnext/answers.js';
import { SALE_FIELDS } from '../erpnext/custom-fields.js';
import { invoiceDoctype, type InvoiceDoctype, type PostingMode } from '../erpnext/push-invoice.js';
import { FrappeError } from '../erpnext/errors.js';
import { registeredKeys, type RegisteredKey } from './audit/keys.js';
import { checkSigned } from './audit/signed.js';
import { hashCode, type ReceiptCode } from '../journal/index.js';

type Rec = Record<string, unknown>;

/** A quantity or amount as ERPNext's JSON gives it (a number), read once as an exact decimal. */
const num = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => new Dec(v === null || v === undefined || v === '' ? 0 : String(v)));
const ItemRow = z.looseObject({ name: z.string(), item_code: z.string(), qty: num });
const PaymentRow = z.looseObject({ mode_of_payment: z.string(), amount: num });
const InvoiceDoc = z.looseObject({
  name: z.string(),
  docstatus: z.number().int(),
  is_return: z.number().int().nullish(),
  customer: z.string(),
  company: z.string(),
  change_amount: num,
  consolidated_invoice: z.string().nullish(),
  items: z.array(ItemRow),
  payments: z.array(PaymentRow).optional(),
});

/** How the original's signature was checked. */
export type SignatureCheck =
  | { readonly state: 'verified'; readonly key_id: string; readonly terminal: string }
  /** Outpost signed it, but ERPNext holds no usable key for it: only ERPNext's copy is known. */
  | { readonly state: 'key_unknown'; readonly key_id: string; readonly reason: string }
  /** Not an Outpost sale (ERPNext's own POS, or a desk invoice): nothing signed to check. */
  | { readonly state: 'unsigned' }
  /** The signature or the body does not match what ERPNext holds: the return is refused. */
  | { readonly state: 'bad'; readonly reason: string };

/** An earlier return ERPNext holds of the original (submitted: the ones its validation counts). */
export interface RemoteReturn {
  readonly name: string;
  /** Its Outpost uuid: a return of this node, then counted from the local journal. */
  readonly uuid: string | null;
  /** By the original's row index: the quantity it took back (positive). */
  readonly rows: readonly { readonly row: number; readonly qty: string }[];
  /** By mode: what it refunded (negative). */
  readonly refunded: Readonly<Record<string, string>>;
}

/** A sale ERPNext holds, made at another store (or a terminal this node does not hold). */
export interface RemoteOriginal {
  readonly doctype: InvoiceDoctype;
  readonly name: string;
  readonly uuid: string | null;
  readonly receipt_no: string | null;
  /** pos_invoice mode: the Sales Invoice it was consolidated into, null while its shift is open. */
  readonly consolidated_invoice: string | null;
  /** ERPNext's document as it answered: the lines (with their row names), rates and taxes. */
  readonly invoice: Rec;
  /** Its lines' row names, by index: the return's `pos_invoice_item` / `sales_invoice_item`. */
  readonly rows: readonly string[];
  /** What it took per mode (the cash mode net of the change given). */
  readonly paid: Readonly<Record<string, string>>;
  readonly returns: readonly RemoteReturn[];
  readonly signature: SignatureCheck;
}

export type RemoteLookup =
  | { readonly found: true; readonly original: RemoteOriginal }
  | { readonly found: false; readonly reason: string };

/**
 * Finds the sale a receipt names in ERPNext, as ERPNext will check the return against it:
 * by Outpost receipt number, Outpost uuid (the receipt QR's) or ERPNext's name, in the doctype
 * this store posts (a return is a document of its original's doctype,
 * erpnext/controllers/sales_and_purchase_return.py validate_return_against). With it: its
 * submitted returns (get_already_returned_items counts only those, by original row), and how
 * its signature checks against the keys registered in ERPNext. Read only: nothing is written.
 */
export async function findRemoteOriginal(
  erp: ErpClient,
  mode: PostingMode,
  ref: string | ReceiptCode,
): Promise<RemoteLookup> {
  const doctype = invoiceDoctype(mode);
  const find = (dt: InvoiceDoctype) =>
    typeof ref === 'string' ? findName(erp, dt, ref) : findNameByCode(erp, dt, ref);
  const name = await find(doctype);
  if (name === null) {
    const other: InvoiceDoctype = doctype === 'POS Invoice' ? 'Sales Invoice' : 'POS Invoice';
    const elsewhere = await find(other);
    const said =
      typeof ref === 'string' ? ref : `check code ${ref.terminal}/${ref.seq}/${ref.code}`;
    return {
      found: false,
      reason: elsewhere
        ? `${said} is ${other} ${elsewhere} in ERPNext, and this store posts ${doctype}s: ERPNext takes a return only as a document of its original's doctype`
        : typeof ref === 'string'
          ? `ERPNext holds no ${doctype} with receipt number, uuid or name ${ref}`
          : `ERPNext holds no ${doctype} of terminal ${ref.terminal}, seq ${ref.seq} whose record hash gives ${ref.code}`,
    };
  }
  const raw = await erp.get(doctype, name);
  const doc = readAnswer(InvoiceDoc, raw, `${doctype} ${name}`);
  if (doc.docstatus !== 1) {
    const state = doc.docstatus === 2 ? 'cancelled' : 'not submitted';
    return { found: false, reason: `${doctype} ${name} is ${state}: nothing to return against` };
  }
  if (doc.is_return) return { found: false, reason: `${doctype} ${name} is itself a return` };
  const f = SALE_FIELDS[doctype];
  const rows = doc.items.map((r) => r.name);
  const paid: Record<string, Dec> = {};
  for (const p of doc.payments ?? []) {
    paid[p.mode_of_payment] = (paid[p.mode_of_payment] ?? new Dec(0)).plus(p.amount);
  }
  // The change left the drawer: it went back in the mode the change was given in, the
  // first Cash-type row ERPNext's POS writes (here: the largest one, which covers it).
  const change = doc.change_amount;
  if (change.gt(0)) {
    const top = Object.entries(paid).sort((a, b) => b[1].comparedTo(a[1]))[0];
    if (top) paid[top[0]] = top[1].minus(change);
  }
  return {
    found: true,
    original: {
      doctype,
      name,
      uuid: text(raw[f.uuid]),
      receipt_no: text(raw[f.receiptNo]),
      consolidated_invoice: doc.consolidated_invoice || null,
      invoice: raw,
      rows,
      paid: Object.fromEntries(Object.entries(paid).map(([m, d]) => [m, d.toFixed()])),
      returns: await returnsOf(erp, doctype, name, rows),
      signature: await checkOriginal(erp, doctype, raw, doc.items),
    },
  };
}

const decOf = (v: unknown): Dec =>
  new Dec(typeof v === 'number' || (typeof v === 'string' && v !== '') ? v : 0);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

async function findName(erp: ErpClient, doctype: InvoiceDoctype, ref: string) {
  const f = SALE_FIELDS[doctype];
  for (const field of [f.receiptNo, f.uuid, 'name']) {
    const hits = await erp.list(doctype, {
      fields: ['name'],
      filters: [[field, '=', ref]],
      limit_page_length: 2,
    });
    const first = hits[0];
    if (first) return readAnswer(z.string(), first['name'], `${doctype}: name`);
  }
  return null;
}

/**
 * The document a receipt's check code names: every store's terminal may be called T1, so the
 * terminal and seq ERPNext holds give candidates, and the record hash pushed with each (its
 * first 60 bits are the code) picks the one; none when no hash matches.
 */
async function findNameByCode(erp: ErpClient, doctype: InvoiceDoctype, code: ReceiptCode) {
  const f = SALE_FIELDS[doctype];
  const hits = await erp.list(doctype, {
    fields: ['name', f.recordHash],
    filters: [
      [f.terminal, '=', code.terminal],
      [f.seq, '=', code.seq],
    ],
    // One per store naming a terminal so, and the returns of none (a return has its own seq).
    limit_page_length: 500,
  });
  for (const hit of hits) {
    const hash = text(hit[f.recordHash]);
    if (hash !== null && /^[0-9a-f]{64}$/.test(hash) && hashCode(hash) === code.code) {
      return readAnswer(z.string(), hit['name'], `${doctype}: name`);
    }
  }
  return null;
}

/** The submitted returns against `name`, each row placed on the original row it names. */
async function returnsOf(
  erp: ErpClient,
  doctype: InvoiceDoctype,
  name: string,
  rows: readonly string[],
): Promise<RemoteReturn[]> {
  const f = SALE_FIELDS[doctype];
  const link = doctype === 'POS Invoice' ? 'pos_invoice_item' : 'sales_invoice_item';
  const list = await erp.list(doctype, {
    fields: ['name'],
    filters: [
      ['is_return', '=', 1],
      ['return_against', '=', name],
      ['docstatus', '=', 1],
    ],
    // A sale is returned a few times at most; ERPNext's own check reads them all alike.
    limit_page_length: 500,
  });
  const out: RemoteReturn[] = [];
  for (const hit of list) {
    const returnName = readAnswer(z.string(), hit['name'], `${doctype}: name`);
    const raw = await erp.get(doctype, returnName);
    const doc = readAnswer(InvoiceDoc, raw, `${doctype} ${returnName}`);
    const taken: { row: number; qty: string }[] = [];
    for (const item of doc.items) {
      // Only a row naming the original's row counts against it (get_already_returned_items
      // groups by item_code and that link).
      const row = rows.indexOf(text((item as Rec)[link]) ?? '');
      if (row >= 0) taken.push({ row, qty: item.qty.abs().toFixed() });
    }
    const refunded: Record<string, string> = {};
    for (const p of doc.payments ?? []) {
      refunded[p.mode_of_payment] = new Dec(refunded[p.mode_of_payment] ?? 0)
        .plus(p.amount)
        .toFixed();
    }
    out.push({ name: returnName, uuid: text(raw[f.uuid]), rows: taken, refunded });
  }
  return out;
}

/** The keys ERPNext registered; none on a site `outpost erpnext-setup` has not set up. */
async function keysIn(erp: ErpClient) {
  try {
    return await registeredKeys(erp);
  } catch (e) {
    if (e instanceof FrappeError && e.status === 404) return new Map<string, RegisteredKey>();
    throw e;
  }
}

/**
 * The original's signed record checked under the key ERPNext registered for its terminal
 * (`outpost terminal key`, the Outpost Terminal Key doctype), and its signed lines against
 * ERPNext's: a record edited in ERPNext after the push is not refunded from.
 */
async function checkOriginal(
  erp: ErpClient,
  doctype: InvoiceDoctype,
  raw: ErpDoc,
  items: readonly z.output<typeof ItemRow>[],
): Promise<SignatureCheck> {
  const f = SALE_FIELDS[doctype];
  const headerText = text(raw[f.signedHeader]);
  const signature = text(raw[f.signature]);
  if (headerText === null || signature === null) return { state: 'unsigned' };
  const keyId = text(raw[f.keyId]) ?? '';
  const checked = checkSigned(
    {
      headerText,
      bodyText: text(raw[f.signedBody]),
      hash: text(raw[f.recordHash]) ?? '',
      signature,
      keyId,
    },
    await keysIn(erp),
  );
  if (!checked.ok) {
    if (checked.kind === 'unknown_key') {
      return { state: 'key_unknown', key_id: keyId, reason: checked.message };
    }
    return { state: 'bad', reason: checked.message };
  }
  const signedItems = z
    .looseObject({ invoice: z.looseObject({ items: z.array(z.looseObject({})) }) })
    .safeParse(checked.body);
  if (!signedItems.success)
    return { state: 'bad', reason: 'the signed body holds no invoice lines' };
  const lines = signedItems.data.invoice.items;
  const same =
    lines.length === items.length &&
    lines.every((l, i) => {
      const e = items[i];
      return (
        e !== undefined &&
        l['item_code'] === e.item_code &&
        decOf(l['qty']).eq(e.qty) &&
        decOf(l['rate']).eq(decOf(e['rate']))
      );
    });
  if (!same) {
    return { state: 'bad', reason: "ERPNext's lines differ from the lines the till signed" };
  }
  return { state: 'verified', key_id: checked.header.key_id, terminal: checked.header.terminal };
}
