/** Receipts from one model: plain text, ESC/POS for thermal printers, HTML and PDF. */
export { ReceiptError } from './errors.js';
export type { InvoiceSource } from './invoice.js';
export { buildReceipt } from './model.js';
export type {
  Adjustment,
  Cashier,
  Company,
  DocumentKind,
  Loyalty,
  LoyaltyInput,
  Money,
  Receipt,
  ReceiptInput,
  ReceiptLine,
  Totals,
} from './types.js';
export type { TaxLine, RateFigures } from './tax-summary.js';
export { taxFigures } from './figures.js';
export type { IssuedAt } from './time.js';
export { renderText } from './text.js';
export { renderEscPos, type Codepage, type EscPosOptions } from './escpos.js';
export { sendToPrinter, type SendOptions } from './printer.js';
export { renderHtml, escapeHtml } from './html.js';
export { renderPdf } from './pdf.js';
