import { Dec, flt, toDec } from '../core/index.js';
import { ReceiptError } from './errors.js';
import { readInvoice, type InvoiceLine, type InvoiceView } from './invoice.js';
import { formatMoney, formatNumber, formatPercent } from './money.js';
import { taxSummary } from './tax-summary.js';
import { parseIssuedAt } from './time.js';
import type {
  Adjustment,
  DocumentKind,
  Loyalty,
  LoyaltyInput,
  Money,
  Receipt,
  ReceiptInput,
  ReceiptLine,
} from './types.js';

/** Builds the receipt of a computed invoice. Pure; throws ReceiptError on inconsistent input. */
export function buildReceipt(input: ReceiptInput): Receipt {
  const inv = readInvoice(input.invoice);
  const fmt = (d: Dec): Money => formatMoney(d, inv.money);
  const summary = taxSummary(inv);
  const lines = inv.lines.map((l) => receiptLine(l, inv, summary.codeOf(l.itemCode), input));
  const lineDiscounts = inv.lines.reduce(
    (a, l) => a.plus(l.amount.minus(gross(l, inv))),
    new Dec(0),
  );
  return {
    document: documentKind(input.document, inv),
    copy: copyNumber(input.copy ?? 0),
    training: input.training ?? false,
    company: input.company,
    storeId: input.storeId,
    terminalId: input.terminalId,
    cashier: input.cashier,
    invoiceNo: required(input.invoiceNo, 'invoiceNo'),
    seq: sequence(input.seq),
    issuedAt: parseIssuedAt(input.issuedAt),
    customer: inv.customerName,
    currency: inv.currency,
    lines,
    taxes: summary.lines,
    totals: {
      subtotal: fmt(inv.lines.reduce((a, l) => a.plus(gross(l, inv)), new Dec(0))),
      discounts: fmt(lineDiscounts.minus(inv.discountAmount)),
      tax: fmt(inv.totalTaxes),
      taxIncluded: inv.taxes.length > 0 && inv.taxes.every((t) => t.included),
      grandTotal: fmt(inv.grandTotal),
      roundingAdjustment: fmt(inv.roundingAdjustment),
      // ERPNext leaves rounded_total at 0 when rounding is disabled.
      roundedTotal:
        inv.roundedTotal.isZero() && !inv.grandTotal.isZero() ? null : fmt(inv.roundedTotal),
    },
    payments: inv.payments
      .filter((p) => !p.amount.isZero())
      .map((p) => ({ mode: p.mode, amount: fmt(p.amount) })),
    change: fmt(inv.changeAmount),
    loyalty: loyalty(input.loyalty, inv),
    verification: verification(input.verification),
  };
}

/** qty × price-list rate: what the line would cost before any discount. */
function gross(line: InvoiceLine, inv: InvoiceView): Dec {
  // A manual or margin rate above the list price is the price itself, not a discount.
  if (line.priceListRate.lte(line.rate)) return line.amount;
  return flt(line.qty.times(line.priceListRate), inv.money.places, inv.money);
}

function receiptLine(
  line: InvoiceLine,
  inv: InvoiceView,
  taxCode: string,
  input: ReceiptInput,
): ReceiptLine {
  const fmt = (d: Dec): Money => formatMoney(d, inv.money);
  const before = gross(line, inv);
  const titles = line.ruleNames.map((n) => input.ruleTitles?.[n] ?? n).join(', ');
  const pct = line.discountPercentage.isZero() ? '' : formatPercent(line.discountPercentage);
  const adjustments: Adjustment[] = [];
  if (line.isFree) {
    adjustments.push({ label: titles ? `Free item: ${titles}` : 'Free item', amount: null });
  } else if (!before.eq(line.amount)) {
    adjustments.push({ label: discountLabel(titles, pct), amount: fmt(line.amount.minus(before)) });
  }
  const fractional = !line.qty.isInteger();
  return {
    name: line.itemName,
    qty: formatNumber(line.qty),
    uom: fractional ? line.uom : '',
    rate: fmt(before.eq(line.amount) ? line.rate : line.priceListRate),
    gross: fmt(before),
    adjustments,
    amount: fmt(line.amount),
    taxCode,
    free: line.isFree,
  };
}

/** "Oat week -10%" with a rule, "Discount 10%" without (a cashier's manual discount). */
function discountLabel(titles: string, pct: string): string {
  if (titles) return pct ? `${titles} -${pct}` : titles;
  return pct ? `Discount ${pct}` : 'Discount';
}

function documentKind(given: DocumentKind | undefined, inv: InvoiceView): DocumentKind {
  const doc: DocumentKind =
    given ?? (inv.isReturn ? { kind: 'return', against: inv.returnAgainst } : { kind: 'sale' });
  if ((doc.kind === 'sale') === inv.isReturn) {
    throw new ReceiptError(
      `a ${doc.kind} needs ${doc.kind === 'sale' ? 'a sale' : 'a return (is_return)'} invoice`,
      'document',
    );
  }
  if (doc.kind !== 'sale' && !doc.against) {
    throw new ReceiptError('the original invoice number is required', 'document.against');
  }
  return doc;
}

function loyalty(given: LoyaltyInput | undefined, inv: InvoiceView): Loyalty | null {
  const redeemed = given?.pointsRedeemed ?? inv.loyaltyPoints.toNumber();
  const earned = given?.pointsEarned ?? inv.pointsEarned?.toNumber() ?? 0;
  if (!given && redeemed === 0 && earned === 0) return null;
  const amount =
    given?.amountRedeemed === undefined ? inv.loyaltyAmount : decimal(given.amountRedeemed);
  for (const [field, n] of [
    ['pointsRedeemed', redeemed],
    ['pointsEarned', earned],
  ] as const) {
    if (!Number.isSafeInteger(n))
      throw new ReceiptError('expected whole points', `loyalty.${field}`);
  }
  return {
    pointsRedeemed: redeemed,
    amountRedeemed: formatMoney(amount, inv.money),
    pointsEarned: earned,
    balanceAfter: given?.balanceAfter ?? null,
  };
}

function verification(v: ReceiptInput['verification']): Receipt['verification'] {
  // Printable ASCII only: the printer's native QR and the HTML/PDF encoder then carry the same
  // bytes, whatever codepage the printer is set to.
  if (!/^[\x20-\x7e]+$/.test(v.payload)) {
    throw new ReceiptError('expected non-empty printable ASCII', 'verification.payload');
  }
  return { payload: v.payload, caption: v.caption ?? '' };
}

function decimal(text: string): Dec {
  try {
    return toDec(text, 'loyalty.amountRedeemed');
  } catch (e) {
    throw new ReceiptError(e instanceof Error ? e.message : String(e));
  }
}

function copyNumber(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new ReceiptError('expected 0 or more', 'copy');
  return n;
}

function sequence(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new ReceiptError('expected 1 or more', 'seq');
  return n;
}

function required(text: string, field: string): string {
  if (!text) throw new ReceiptError('required', field);
  return text;
}
