/** Receipts from one model: plain text, ESC/POS for thermal printers, HTML and PDF. */
export { ReceiptError } from './errors.js';
export { buildReceipt } from './model.js';
export type { Receipt, ReceiptInput } from './types.js';
export { taxFigures } from './figures.js';
export { renderText } from './text.js';
export { renderEscPos } from './escpos.js';
export { sendToPrinter } from './printer.js';
export { renderHtml, escapeHtml } from './html.js';
export { renderPdf } from './pdf.js';
