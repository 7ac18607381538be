import { createRequire } from 'node:module';
import type * as QrCodeGenerator from 'qrcode-generator';

// The package types itself as `export =` (CommonJS) in an ambient declaration, which this
// project's ESM settings (no esModuleInterop) cannot default-import; load the CommonJS build.
const qrcode = createRequire(import.meta.url)('qrcode-generator') as typeof QrCodeGenerator;

/** A QR code as a square of modules, `dark[row][col]`, without the quiet zone. */
interface QrMatrix {
  readonly size: number;
  readonly dark: readonly (readonly boolean[])[];
}

/**
 * Encodes an ASCII payload at ECC level M (as the printer's native QR does), choosing the
 * smallest version that holds it. The payload is checked ASCII by the model, so the library's
 * byte mode (one byte per character) carries exactly the printer's bytes.
 */
export function qrMatrix(payload: string): QrMatrix {
  const qr = qrcode(0, 'M');
  qr.addData(payload, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const dark = Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => qr.isDark(r, c)),
  );
  return { size, dark };
}

/** The matrix as one SVG path in module units, with the 4-module quiet zone QR requires. */
export function qrSvg(m: QrMatrix, sizeCss: string): string {
  const quiet = 4;
  // One rectangle per horizontal run of dark modules keeps the path a few KB.
  const runs: string[] = [];
  m.dark.forEach((cols, r) => {
    for (let c = 0; c < cols.length; c++) {
      if (!cols[c]) continue;
      const start = c;
      while (cols[c + 1]) c++;
      const len = c - start + 1;
      runs.push(`M${start + quiet} ${r + quiet}h${len}v1h-${len}z`);
    }
  });
  const view = m.size + 2 * quiet;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${view} ${view}" width="${sizeCss}" ` +
    `height="${sizeCss}" shape-rendering="crispEdges" role="img" aria-label="Verification QR code">` +
    `<rect width="${view}" height="${view}" fill="#fff"/><path d="${runs.join('')}" fill="#000"/></svg>`
  );
}
