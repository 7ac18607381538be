import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isUuidV7, uuidv7 } from '../../src/journal/index.js';

describe('uuidv7', () => {
  it('lays out the timestamp, version and variant as RFC 9562 says', () => {
    const id = uuidv7(0x0190_1234_5678, new Uint8Array(10).fill(0xff));
    expect(id).toBe('01901234-5678-7fff-bfff-ffffffffffff');
    expect(isUuidV7(id)).toBe(true);
  });

  it('is valid for any time and randomness, and sorts by time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 2 ** 20 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, later, r1, r2) => {
          const a = uuidv7(ms, r1);
          const b = uuidv7(ms + later, r2);
          expect(isUuidV7(a) && isUuidV7(b)).toBe(true);
          expect(a < b).toBe(true);
        },
      ),
    );
  });

  it('is random within a millisecond', () => {
    expect(uuidv7(1)).not.toBe(uuidv7(1));
  });

  it('rejects other versions', () => {
    expect(isUuidV7('6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(false);
    expect(isUuidV7('01901234-5678-7fff-3fff-ffffffffffff')).toBe(false);
  });
});
