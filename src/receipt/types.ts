import type { InvoiceSource } from './invoice.js';
import type { TaxLine } from './tax-summary.js';
import type { IssuedAt } from './time.js';

/** An amount as printed, at the currency's places: "46.47", "-0.75". */
export type Money = string;

/** What the document is: a sale, a return against a receipt, or a void of one. */
export type DocumentKind =
  /** `exchangeFor`: the return whose value this sale's goods replace (an exchange). */
  | { readonly kind: 'sale'; readonly exchangeFor?: string }
  | { readonly kind: 'return'; readonly against: string }
  | { readonly kind: 'void'; readonly against: string };

interface Company {
  readonly name: string;
  readonly taxId: string;
  readonly address: readonly string[];
}

interface Cashier {
  readonly id: string;
  readonly name: string;
}

/** Loyalty facts the invoice lacks (the balance) or a return must state (points reversed). */
export interface LoyaltyInput {
  /** Defaults to the invoice's `loyalty_points` when redeeming. */
  readonly pointsRedeemed?: number;
  /** Decimal text; defaults to the invoice's `loyalty_amount`. */
  readonly amountRedeemed?: string;
  /** Defaults to the points the engine computed for this invoice. */
  readonly pointsEarned?: number;
  readonly balanceAfter?: number;
}

export interface ReceiptInput {
  readonly invoice: InvoiceSource;
  readonly company: Company;
  readonly storeId: string;
  readonly terminalId: string;
  readonly cashier: Cashier;
  readonly invoiceNo: string;
  /** The journal record's gapless sequence number. */
  readonly seq: number;
  /** ISO 8601 with the store's offset, e.g. "2026-11-27T14:03:12+01:00"; printed as given. */
  readonly issuedAt: string;
  /** The signed journal header as compact ASCII text; the QR encodes exactly this. */
  readonly verification: { readonly payload: string; readonly caption?: string };
  readonly loyalty?: LoyaltyInput;
  /** 0 (default) for the original; n > 0 prints "COPY n". */
  readonly copy?: number;
  readonly training?: boolean;
  /** Defaults to a return against `return_against` when the invoice is a return, else a sale. */
  readonly document?: DocumentKind;
  /** Pricing Rule name -> its title, printed on discounted lines instead of the name. */
  readonly ruleTitles?: Readonly<Record<string, string>>;
}

export interface Adjustment {
  readonly label: string;
  /** null on a free item, whose saving ERPNext does not price. */
  readonly amount: Money | null;
}

export interface ReceiptLine {
  readonly name: string;
  readonly qty: string;
  /** Printed only for fractional quantities (weighed goods), where the unit matters. */
  readonly uom: string;
  /** The price before any discount. */
  readonly rate: Money;
  /** qty × rate before any discount. */
  readonly gross: Money;
  readonly adjustments: readonly Adjustment[];
  readonly amount: Money;
  readonly taxCode: string;
  readonly free: boolean;
}

interface Totals {
  /** The lines before discounts. */
  readonly subtotal: Money;
  /** Line discounts and the invoice discount together, negative on a sale. */
  readonly discounts: Money;
  readonly tax: Money;
  /** True when the prices include the tax (so it is not added to the total). */
  readonly taxIncluded: boolean;
  readonly grandTotal: Money;
  readonly roundingAdjustment: Money;
  /** null when rounded totals are disabled: the grand total is what is paid. */
  readonly roundedTotal: Money | null;
}

export interface Loyalty {
  readonly pointsRedeemed: number;
  readonly amountRedeemed: Money;
  readonly pointsEarned: number;
  readonly balanceAfter: number | null;
}

/** Everything a receipt prints, already formatted; renderers only lay it out. */
export interface Receipt {
  readonly document: DocumentKind;
  readonly copy: number;
  readonly training: boolean;
  readonly company: Company;
  readonly storeId: string;
  readonly terminalId: string;
  readonly cashier: Cashier;
  readonly invoiceNo: string;
  readonly seq: number;
  readonly issuedAt: IssuedAt;
  readonly customer: string;
  readonly currency: string;
  readonly lines: readonly ReceiptLine[];
  readonly taxes: readonly TaxLine[];
  readonly totals: Totals;
  readonly payments: readonly { readonly mode: string; readonly amount: Money }[];
  readonly change: Money;
  readonly loyalty: Loyalty | null;
  readonly verification: { readonly payload: string; readonly caption: string };
}
