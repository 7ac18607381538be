import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { toLines } from './columns.js';
import { layout } from './layout.js';
import type { Receipt } from './types.js';

/** A codepage the encoder knows, or 'auto' to switch per character as the text needs. */
type Codepage = Parameters<ReceiptPrinterEncoder['codepage']>[0];

interface EscPosOptions {
  /** Paper width in mm: 80 mm prints 48 columns, 58 mm prints 32 (Font A, 12×24 dots). */
  readonly width: 80 | 58;
  /** Default 'auto' (the encoder picks from the printer's mapping, Epson's by default). */
  readonly codepage?: Codepage;
}

const LAYOUT = {
  80: { columns: 48, qrModule: 6 },
  58: { columns: 32, qrModule: 5 },
} as const;

/**
 * ESC/POS bytes for a thermal printer: the receipt's text in Font A columns, a bold header,
 * the verification QR drawn by the printer itself (GS ( k, model 2, ECC M), then a partial cut.
 */
export function renderEscPos(receipt: Receipt, options: EscPosOptions): Uint8Array {
  const { columns, qrModule } = LAYOUT[options.width];
  const enc = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns,
    newline: '\n',
    feedBeforeCut: 4,
  });
  enc.initialize().codepage(options.codepage ?? 'auto');
  for (const line of toLines(layout(receipt), columns)) {
    if (line.kind === 'qr') {
      enc.align('center').qrcode(line.payload, { model: 2, size: qrModule, errorlevel: 'm' });
      enc.align('left');
      continue;
    }
    // Double height keeps the column count, so centred titles stay centred.
    const tall = line.style === 'title' || line.style === 'banner';
    const bold = line.style !== 'normal';
    if (tall) enc.height(2);
    if (bold) enc.bold(true);
    enc.line(line.text);
    if (bold) enc.bold(false);
    if (tall) enc.height(1);
  }
  return enc.cut('partial').encode();
}
