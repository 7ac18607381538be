import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonWith, parseWith, QuoteError } from '../../src/core/index.js';

const S = z.object({ pos: z.object({ lockout: z.object({ minutes: z.number().int() }) }) });

describe('parseWith', () => {
  it('returns the typed value when the shape is right', () => {
    expect(parseWith(S, { pos: { lockout: { minutes: 5 } } }, 'config.json')).toEqual({
      pos: { lockout: { minutes: 5 } },
    });
  });

  it('names the field path and the source on a wrong shape', () => {
    let caught: unknown;
    try {
      parseWith(S, { pos: { lockout: { minutes: 'x' } } }, 'config.json');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QuoteError);
    const e = caught as QuoteError;
    expect(e.kind).toBe('InvalidInput');
    expect(e.field).toBe('pos.lockout.minutes');
    expect(e.message).toMatch(/^config\.json: pos\.lockout\.minutes: /);
  });

  it('names list positions with brackets', () => {
    const L = z.object({ items: z.array(z.object({ qty: z.number() })) });
    expect(() => parseWith(L, { items: [{ qty: 1 }, { qty: null }] }, 'body')).toThrow(
      expect.objectContaining({ field: 'items[1].qty' }) as Error,
    );
  });

  it('refuses text that is not JSON, naming the source', () => {
    expect(() => parseJsonWith(S, '{"pos":', 'config.json')).toThrow(
      expect.objectContaining({ kind: 'InvalidInput', field: 'config.json' }) as Error,
    );
    expect(() => parseJsonWith(S, 'null', 'config.json')).toThrow(
      expect.objectContaining({ field: 'config.json' }) as Error,
    );
  });
});
