import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashCode, parseReceiptCode, receiptCode } from '../../src/journal/index.js';

// sha256("outpost") = 7daf48f924f246f…; its first 15 hex digits 0x7daf48f924f246f are, in
// base 32 digits, 15 25 26 20 17 30 9 4 30 9 3 15 (worked with BigInt#toString(32):
// "fmnkhu94u93f"), which Crockford's alphabet writes FPQMHY94Y93F.
const HASH = createHash('sha256').update('outpost').digest('hex');

describe('the receipt’s compact check code', () => {
  it('is the first 60 bits of the record hash in Crockford base 32', () => {
    expect(HASH.slice(0, 15)).toBe('7daf48f924f246f');
    expect(hashCode(HASH)).toBe('FPQMHY94Y93F');
    expect(hashCode('0'.repeat(64))).toBe('000000000000');
    expect(hashCode('f'.repeat(64))).toBe('ZZZZZZZZZZZZ');
    expect(() => hashCode('xyz')).toThrow('expected a SHA-256 hex digest');
  });

  it('puts terminal, chain seq and code in the QR, and groups the code for people', () => {
    expect(receiptCode('T1', 9, HASH)).toEqual({
      payload: 'OUTPOST/T1/9/FPQMHY94Y93F',
      human: 'T1/9/FPQM-HY94-Y93F',
    });
  });

  it('reads the QR back, and the printed code as typed (case, dashes, O for 0, I or L for 1)', () => {
    const want = { terminal: 'T1', seq: 9, code: 'FPQMHY94Y93F' };
    expect(parseReceiptCode('OUTPOST/T1/9/FPQMHY94Y93F')).toEqual(want);
    expect(parseReceiptCode(' T1/9/fpqm-hy94-y93f ')).toEqual(want);
    expect(parseReceiptCode('outpost/till_2/12/0000 1111 2222')).toEqual({
      terminal: 'till_2',
      seq: 12,
      code: '000011112222',
    });
    expect(parseReceiptCode('T1/9/OOOO-IIII-LLLL')).toEqual({
      terminal: 'T1',
      seq: 9,
      code: '000011111111',
    });
  });

  it('is not a receipt number, a short code, a U, or a seq of 0', () => {
    expect(parseReceiptCode('STORE-NORTH-T1-2026-000001')).toBeNull();
    expect(parseReceiptCode('T1/9/FPQM-HY94-Y93')).toBeNull();
    expect(parseReceiptCode('T1/9/FPQM-HY94-Y93U')).toBeNull();
    expect(parseReceiptCode('T1/0/FPQM-HY94-Y93F')).toBeNull();
    expect(parseReceiptCode('{"invoice_no":"X"}.c2ln')).toBeNull();
  });
});
