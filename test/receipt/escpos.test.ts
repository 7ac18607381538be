import { describe, expect, it } from 'vitest';
import { buildReceipt, renderEscPos, renderText } from '../../src/receipt/index.js';
import { decodeEscPos } from './escpos-decoder.js';
import { PAYLOAD, sampleInput } from './fixture.js';

/** renderText's lines without its text stand-in for the QR (label plus payload lines). */
function textWithoutQr(text: string, width: number): string[] {
  const lines = text.trimEnd().split('\n');
  const at = lines.indexOf('Verification:');
  lines.splice(at, 1 + Math.ceil(PAYLOAD.length / width));
  return lines;
}

describe('renderEscPos', () => {
  it.each([
    [80, 48],
    [58, 32],
  ] as const)('%i mm: the decoded text lines are the %i-column receipt', (mm, width) => {
    const receipt = buildReceipt(sampleInput());
    const decoded = decodeEscPos(renderEscPos(receipt, { width: mm }));
    // The decoder keeps the encoder's feed lines before the cut; the receipt ends before them.
    const printed = decoded.lines.slice(0, decoded.lines.findLastIndex((l) => l !== '') + 1);
    expect(printed.filter((l) => l !== '')).toEqual(
      textWithoutQr(renderText(receipt, width), width).filter((l) => l !== ''),
    );
    for (const l of printed) expect(l.length).toBeLessThanOrEqual(width);
    expect(printed).toContain('Invoice' + ' '.repeat(width - 26) + 'S01-T03-2026-000417');
  });

  it('prints the verification QR natively with the payload bytes, then cuts', () => {
    const bytes = renderEscPos(buildReceipt(sampleInput()), { width: 80 });
    const decoded = decodeEscPos(bytes);
    expect(decoded.qr).toEqual([{ payload: PAYLOAD, model: 2, size: 6, ecc: 'M' }]);
    // GS ( k store (fn 0x50) carries exactly the payload; GS ( k print (fn 0x51) follows it.
    const store = [
      0x1d,
      0x28,
      0x6b,
      (PAYLOAD.length + 3) & 0xff,
      (PAYLOAD.length + 3) >> 8,
      0x31,
      0x50,
      0x30,
    ];
    const at = indexOf(bytes, [...store, ...Buffer.from(PAYLOAD, 'ascii')]);
    expect(at).toBeGreaterThan(0);
    expect(indexOf(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30])).toBeGreaterThan(at);
    expect(decoded.cuts).toBe(1);
    expect([...bytes.subarray(-5)]).toContain(0x56);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x1b, 0x40]);
  });

  it('prints the header in bold', () => {
    const decoded = decodeEscPos(renderEscPos(buildReceipt(sampleInput()), { width: 80 }));
    const bold = [...decoded.bold].map((i) => decoded.lines[i]?.trim());
    expect(bold).toEqual(expect.arrayContaining(['Corner Grocer Ltd', 'RECEIPT']));
    expect(bold).not.toContain('Seq');
  });

  it('switches codepage for characters outside ASCII (the training marking)', () => {
    const decoded = decodeEscPos(
      renderEscPos(buildReceipt(sampleInput({ training: true })), { width: 58 }),
    );
    expect(decoded.lines.filter((l) => l.includes('TRAINING')).map((l) => l.trim())).toEqual([
      'TRAINING — NOT A RECEIPT',
      'TRAINING — NOT A RECEIPT',
    ]);
  });

  it('honours a fixed codepage', () => {
    const decoded = decodeEscPos(
      renderEscPos(buildReceipt(sampleInput()), { width: 80, codepage: 'cp437' }),
    );
    expect(decoded.lines.some((l) => l.startsWith('TOTAL USD'))).toBe(true);
  });
});

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
