import { readInvoice, type InvoiceSource } from './invoice.js';
import { taxSummary, type RateFigures } from './tax-summary.js';

/**
 * Net and tax per tax rate of an invoice, exactly as its receipt prints them (the taxes add up
 * to the invoice's tax). The journal header carries these, so the QR and the receipt agree.
 */
export function taxFigures(invoice: InvoiceSource): readonly RateFigures[] {
  return taxSummary(readInvoice(invoice)).figures;
}
