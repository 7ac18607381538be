import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildReceipt, renderPdf } from '../../src/receipt/index.js';
import { sampleInput } from './fixture.js';

describe('renderPdf', () => {
  it('is a one-page PDF 80 mm wide', async () => {
    const pdf = await renderPdf(buildReceipt(sampleInput({ copy: 1 })));
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(text).toMatch(/\/Count 1\b/);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
    expect(Number(box?.[1])).toBeCloseTo((80 / 25.4) * 72, 1);
    expect(Number(box?.[2])).toBeGreaterThan(Number(box?.[1]));
  });

  it('shows the invoice number and total in its content', async () => {
    const pdf = await renderPdf(buildReceipt(sampleInput()));
    const content = streams(pdf).join('\n');
    // pdfkit writes text as hex strings; search for the hex of what must be printed.
    for (const s of ['S01-T03-2026-000417', '46.47', 'RECEIPT']) {
      expect(content).toContain(Buffer.from(s, 'latin1').toString('hex'));
    }
  });

  it('is the same document for the same receipt', async () => {
    const r = buildReceipt(sampleInput());
    expect(Buffer.compare(await renderPdf(r), await renderPdf(r))).toBe(0);
  });
});

/** The page content streams, inflated. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a Flate stream
    }
  }
  return out;
}
