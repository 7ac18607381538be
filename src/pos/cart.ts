import { Dec, QuoteError, quote, type Master, type Quote } from '../core/index.js';
import { checkMagnitude } from './bounds.js';
import { PosError, invalid } from './errors.js';
import type { Terminal } from './terminal.js';
import { str } from './fields.js';

type Rec = Record<string, unknown>;

/** One line as the cashier entered it: an item code or a raw scan, and a quantity. */
export interface CartLine {
  readonly item_code?: string;
  readonly barcode?: string;
  /** Decimal text; defaults to 1 (or the weight a weighed-item barcode carries). */
  readonly qty?: string;
  /** A price override (decimal text): needs the profile's allow_rate_change or a manager. */
  readonly rate?: string;
}

export interface Cart {
  readonly lines: readonly CartLine[];
  readonly customer?: string;
  readonly redeemPoints?: number;
  /** Invoice discount in percent (decimal text). */
  readonly discountPercent?: string;
}

/** A draft line resolved against the store: what the engine receives. */
interface DraftLine extends Rec {
  item_code: string;
  qty: string;
  uom?: string;
  barcode?: string;
  rate?: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Resolves scans and codes to draft item rows (NotFound naming the line when unknown). */
export function draftLines(term: Terminal, lines: readonly CartLine[]): DraftLine[] {
  if (lines.length === 0) throw invalid('items', 'a sale needs at least one item');
  return lines.map((line, i) => {
    const field = line.barcode !== undefined ? `barcode[${i + 1}]` : `items[${i + 1}]`;
    if (line.qty !== undefined && (!DECIMAL.test(line.qty) || new Dec(line.qty).isZero())) {
      throw invalid(`${field}.qty`, `${line.qty} is not a quantity above 0`);
    }
    if (line.qty !== undefined) checkMagnitude(`${field}.qty`, new Dec(line.qty));
    if (line.rate !== undefined && !DECIMAL.test(line.rate)) {
      throw invalid(`${field}.rate`, `${line.rate} is not a price ≥ 0`);
    }
    if (line.rate !== undefined) checkMagnitude(`${field}.rate`, new Dec(line.rate));
    const extra = line.rate !== undefined ? { rate: line.rate } : {};
    if (line.barcode !== undefined) {
      let hit;
      try {
        hit = term.lookup.scan(line.barcode);
      } catch (e) {
        // A variable-measure code whose check digit is wrong: a misread, never a guess.
        if (e instanceof RangeError) throw invalid(field, e.message);
        throw e;
      }
      if (!hit)
        throw new PosError('NotFound', `${field}: no item has barcode ${line.barcode}`, field);
      if (line.qty === undefined && (hit.qty?.isZero() || hit.amount?.isZero())) {
        // A label printed with nothing on the scale (or a zero price) sells nothing.
        const what = hit.qty ? 'weight' : 'price';
        throw invalid(`${field}.qty`, `the label ${line.barcode} carries a ${what} of 0`);
      }
      let qty = line.qty ?? hit.qty?.toFixed() ?? '1';
      if (hit.amount && line.qty === undefined) {
        // A price-embedded label: the quantity that costs the printed amount (Odoo's approach).
        const profile = term.profile();
        const priced = term.lookup.scanWithPrice(
          line.barcode,
          priceList(term),
          str(profile['warehouse']),
          term.localTime().date,
        );
        const price = priced?.price_list_rate ? new Dec(priced.price_list_rate) : null;
        if (!price || price.isZero()) {
          throw new PosError(
            'NotFound',
            `${field}: ${hit.item.item_code} has no price to weigh ${line.barcode} by`,
            field,
          );
        }
        qty = hit.amount.div(price).toDecimalPlaces(3).toFixed();
      }
      return {
        item_code: hit.item.item_code,
        qty,
        ...(hit.uom ? { uom: hit.uom } : {}),
        barcode: hit.scan,
        ...extra,
      };
    }
    const code = line.item_code ?? '';
    const item = term.lookup.byCode(code);
    if (!item) throw new PosError('NotFound', `${field}: no enabled item ${code}`, field);
    return { item_code: item.item_code, qty: line.qty ?? '1', ...extra };
  });
}

/**
 * Refuses a price override (`rates`: item code → price) for an item no line of the cart sells by
 * code: it would otherwise be dropped without a word and the item sold at its list price.
 */
export function refuseStrayRates(
  rates: ReadonlyMap<string, string>,
  lines: readonly CartLine[],
  field: string,
): void {
  const codes = new Set(lines.map((l) => l.item_code));
  for (const code of rates.keys()) {
    if (!codes.has(code)) throw invalid(field, `${code} is not an item of this cart`);
  }
}

const priceList = (term: Terminal): string => str(term.profile()['selling_price_list']);

/** The customer to sell to: the given one (enabled), else the profile's walk-in customer. */
export function resolveCustomer(term: Terminal, name: string | undefined): Rec {
  const wanted = name ?? str(term.profile()['customer']);
  if (!wanted) throw invalid('customer', 'required: this POS Profile has no default customer');
  const doc = term.doc('Customer', wanted);
  if (!doc) throw new PosError('NotFound', `customer: no customer ${wanted}`, 'customer');
  if (Number(doc['disabled']) === 1) {
    throw new PosError('NotFound', `customer: ${wanted} is disabled`, 'customer');
  }
  return doc;
}

/** Runs the engine; its refusals become InvoiceRefused with ERPNext's message and field. */
export function runQuote(
  term: Terminal,
  draft: Rec,
  today: string,
): { quote: Quote; snapshot: number; master: Master } {
  const items = (draft['items'] as DraftLine[]).map((l) => l.item_code);
  const { master, snapshot } = term.master.forCart(items, str(draft['customer']));
  try {
    return { quote: quote(master, draft, { today }), snapshot, master };
  } catch (e) {
    if (e instanceof QuoteError) {
      const err = new PosError('InvoiceRefused', `${e.kind}: ${e.message}`, e.field);
      throw err;
    }
    throw e;
  }
}

/**
 * The header every draft POS Invoice of this till carries: a POS invoice that moves stock,
 * posted at the till's local time (set_posting_time, or ERPNext would re-date it on receipt).
 */
export function draftHeader(
  term: Terminal,
  fields: { company: unknown; customer: unknown; posProfile?: unknown },
  local: { date: string; time: string },
): Rec {
  return {
    doctype: 'POS Invoice',
    company: fields.company,
    pos_profile: fields.posProfile ?? term.posProfile,
    customer: fields.customer,
    posting_date: local.date,
    posting_time: local.time,
    set_posting_time: 1,
    is_pos: 1,
    update_stock: 1,
  };
}

/**
 * A POS Invoice draft (as a client would POST it) priced on the store's current snapshot, as
 * ERPNext would: what `outpost quote --data DIR --invoice D.json` prints.
 */
export function quoteDraft(term: Terminal, draft: unknown): { quote: Quote; snapshot: number } {
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) {
    throw invalid('invoice', 'expected a POS Invoice object');
  }
  // The till's date when the draft gives none, as a sale would be dated.
  const today = term.localTime().date;
  const d: Rec = { posting_date: today, ...(draft as Rec) };
  const items = d['items'];
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'object' || i === null)) {
    throw invalid('invoice.items', 'expected a list of item rows');
  }
  return runQuote(term, d, str(d['posting_date']) || today);
}
