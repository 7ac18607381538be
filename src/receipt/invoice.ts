import {
  DEFAULT_ROUNDING_METHOD,
  toErpnextJson,
  type Dec,
  type Quote,
  type RoundingMethod,
} from '../core/index.js';
import { ReceiptError } from './errors.js';
import { JsonReader } from './json.js';
import type { MoneyFormat } from './money.js';

/**
 * The computed invoice a receipt prints: a `Quote` straight from the engine, or the POS Invoice
 * as ERPNext JSON (`toErpnextJson`, or what ERPNext returns) with the site's currency precision,
 * which the JSON itself does not carry.
 */
export type InvoiceSource =
  | Quote
  | {
      readonly erpnext: unknown;
      readonly currencyPrecision: number;
      /** The site's effective rounding method (core `siteSettings`); Frappe's default when absent. */
      readonly roundingMethod?: RoundingMethod;
    };

export interface InvoiceLine {
  readonly itemCode: string;
  readonly itemName: string;
  readonly qty: Dec;
  readonly uom: string;
  readonly priceListRate: Dec;
  readonly rate: Dec;
  readonly amount: Dec;
  readonly netAmount: Dec;
  readonly discountPercentage: Dec;
  readonly isFree: boolean;
  readonly ruleNames: readonly string[];
}

interface InvoiceTax {
  readonly chargeType: string;
  readonly included: boolean;
  /** The row's tax after any invoice discount: what the customer pays for it. */
  readonly amount: Dec;
  /** item_code -> [rate, tax amount] as ERPNext records it per item. */
  readonly perItem: ReadonlyMap<string, readonly [Dec, Dec]>;
}

/** The invoice fields a receipt needs, read once at the boundary into exact decimals. */
export interface InvoiceView {
  readonly money: MoneyFormat;
  readonly currency: string;
  readonly customerName: string;
  readonly isReturn: boolean;
  readonly returnAgainst: string;
  readonly lines: readonly InvoiceLine[];
  readonly taxes: readonly InvoiceTax[];
  readonly total: Dec;
  readonly discountAmount: Dec;
  readonly totalTaxes: Dec;
  readonly grandTotal: Dec;
  readonly roundingAdjustment: Dec;
  readonly roundedTotal: Dec;
  readonly payments: readonly { readonly mode: string; readonly amount: Dec }[];
  readonly changeAmount: Dec;
  readonly loyaltyPoints: Dec;
  readonly loyaltyAmount: Dec;
  readonly pointsEarned: Dec | null;
}

/** Reads either form of the invoice into one view, so the receipt has a single code path. */
export function readInvoice(source: InvoiceSource): InvoiceView {
  if ('doc' in source) {
    return fromJson(JsonReader.of(toErpnextJson(source), 'invoice'), {
      places: source.doc.precision.currency,
      method: source.doc.precision.method,
    });
  }
  return fromJson(JsonReader.of(source.erpnext, 'invoice'), {
    places: source.currencyPrecision,
    method: source.roundingMethod ?? DEFAULT_ROUNDING_METHOD,
  });
}

function fromJson(inv: JsonReader, money: MoneyFormat): InvoiceView {
  const earned = inv.obj('loyalty_points_earned');
  return {
    money,
    currency: inv.str('currency'),
    customerName: inv.str('customer_name') || inv.str('customer'),
    isReturn: inv.bool('is_return'),
    returnAgainst: inv.str('return_against'),
    lines: inv.rows('items').map((row) => ({
      itemCode: row.str('item_code'),
      itemName: row.str('item_name') || row.str('item_code'),
      qty: row.dec('qty'),
      uom: row.str('uom'),
      priceListRate: row.dec('price_list_rate'),
      rate: row.dec('rate'),
      amount: row.dec('amount'),
      netAmount: row.dec('net_amount'),
      discountPercentage: row.dec('discount_percentage'),
      isFree: row.bool('is_free_item'),
      ruleNames: ruleNames(row.str('pricing_rules')),
    })),
    taxes: inv.rows('taxes').map((row) => {
      const detail = row.jsonText('item_wise_tax_detail');
      return {
        chargeType: row.str('charge_type'),
        included: row.bool('included_in_print_rate'),
        amount: row.dec('tax_amount_after_discount_amount'),
        perItem: new Map(detail.keys().map((code) => [code, detail.pair(code)] as const)),
      };
    }),
    total: inv.dec('total'),
    discountAmount: inv.dec('discount_amount'),
    totalTaxes: inv.dec('total_taxes_and_charges'),
    grandTotal: inv.dec('grand_total'),
    roundingAdjustment: inv.dec('rounding_adjustment'),
    roundedTotal: inv.dec('rounded_total'),
    payments: inv.rows('payments').map((p) => ({
      mode: p.str('mode_of_payment'),
      amount: p.dec('amount'),
    })),
    changeAmount: inv.dec('change_amount'),
    loyaltyPoints: inv.dec('loyalty_points'),
    loyaltyAmount: inv.dec('loyalty_amount'),
    pointsEarned: earned ? earned.dec('loyalty_points') : null,
  };
}

/** ERPNext stores applied rules as a JSON list on priced rows and a bare name on free rows. */
function ruleNames(text: string): string[] {
  if (!text) return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ReceiptError('expected a JSON list of rule names', 'items.pricing_rules');
    }
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
