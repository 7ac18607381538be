import { createRequire } from 'node:module';
import type * as PdfKit from 'pdfkit';
import { toLines, type PrintLine } from './columns.js';
import { layout } from './layout.js';
import type { Receipt } from './types.js';
import { qrMatrix } from './qr.js';

// Typed as `export =` in an ambient declaration, which ESM without esModuleInterop cannot
// default-import; load the CommonJS build the types describe.
const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof PdfKit;

const MM = 72 / 25.4;
const WIDTH = 80 * MM;
const MARGIN = 4 * MM;
const COLUMNS = 48;
/** Courier's advance is 0.6 em: 48 columns fill the 72 mm between the margins, as on paper. */
const FONT_SIZE = (WIDTH - 2 * MARGIN) / COLUMNS / 0.6;
const LINE = FONT_SIZE * 1.3;
const QR_SIZE = 36 * MM;

/**
 * The receipt as a one-page PDF 80 mm wide and as tall as its content, in the thermal
 * printer's 48-column layout (Courier, a PDF standard font, so nothing is embedded).
 */
export function renderPdf(receipt: Receipt): Promise<Buffer> {
  const lines = toLines(layout(receipt), COLUMNS);
  const height = 2 * MARGIN + lines.reduce((h, l) => h + lineHeight(l), 0);
  const doc = new PDFDocument({
    size: [WIDTH, height],
    margin: 0,
    info: {
      Title: `${receipt.company.name} ${receipt.invoiceNo}`,
      Producer: 'Outpost',
      // The issue time, not the render time: the same receipt always gives the same document.
      CreationDate: new Date(receipt.issuedAt.iso),
    },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let y = MARGIN;
  for (const l of lines) {
    if (l.kind === 'qr') drawQr(doc, l.payload, y + LINE);
    else {
      doc
        .font(l.style === 'normal' ? 'Courier' : 'Courier-Bold')
        .fontSize(FONT_SIZE)
        .text(winAnsi(l.text), MARGIN, y, { lineBreak: false });
    }
    y += lineHeight(l);
  }
  doc.end();
  return done;
}

/** A QR gets a line of white above and below: its quiet zone. */
const lineHeight = (l: PrintLine): number => (l.kind === 'qr' ? QR_SIZE + 2 * LINE : LINE);

function drawQr(doc: InstanceType<typeof PDFDocument>, payload: string, y: number): void {
  const m = qrMatrix(payload);
  const cell = QR_SIZE / m.size;
  const x0 = (WIDTH - QR_SIZE) / 2;
  m.dark.forEach((cols, r) =>
    cols.forEach((d, c) => {
      if (d) doc.rect(x0 + c * cell, y + r * cell, cell, cell);
    }),
  );
  doc.fill('#000');
}

/** Characters a standard PDF font can show (WinAnsi); anything else prints as "?". */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const winAnsi = (s: string): string =>
  [...s]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      const ok = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff);
      return ok || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
    })
    .join('');
