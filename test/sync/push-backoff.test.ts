import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuoteError } from '../../src/core/errors.js';
import {
  BACKOFF_MAX_MS,
  backoffMs,
  backoffPolicy,
  DEFAULT_BACKOFF,
} from '../../src/sync/push/backoff.js';
import { cli, query, sellArgs, cliJson } from '../pos/till-fixture.js';
import { list, pointAt, pushSuite } from './push-fixture.js';

/** The push's backoff: exponential, jittered, capped, its base set by OUTPOST_PUSH_BACKOFF_MS. */

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('backoffMs', () => {
  it('doubles from 1 s with jitter in the upper half, capped at 5 min', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 0, undefined, DEFAULT_BACKOFF))).toEqual([
      500, 1_000, 2_000, 4_000,
    ]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1, undefined, DEFAULT_BACKOFF))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(backoffMs(1, 0.5, undefined, DEFAULT_BACKOFF)).toBe(750);
    expect(backoffMs(30, 1, undefined, DEFAULT_BACKOFF)).toBe(BACKOFF_MAX_MS);
  });

  it('honours a longer Retry-After, within the cap', () => {
    expect(backoffMs(1, 0.5, 30_000, DEFAULT_BACKOFF)).toBe(30_000);
    expect(backoffMs(3, 1, 1_000, DEFAULT_BACKOFF)).toBe(4_000);
    expect(backoffMs(1, 0.5, 3_600_000, DEFAULT_BACKOFF)).toBe(BACKOFF_MAX_MS);
  });

  it('scales with the base; the cap and Retry-After do not', () => {
    const fast = { baseMs: 50 };
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 0.5, undefined, fast))).toEqual([38, 75, 150, 300]);
    expect(backoffMs(1, 0.5, 30_000, fast)).toBe(30_000);
    expect(backoffMs(40, 1, undefined, fast)).toBe(BACKOFF_MAX_MS);
  });

  it('without a policy, waits 1 s doubling: the environment is the command’s to read, not the push’s', () => {
    vi.stubEnv('OUTPOST_PUSH_BACKOFF_MS', '40');
    expect(backoffMs(2, 1)).toBe(2_000);
    vi.unstubAllEnvs();
  });
});

describe('backoffPolicy', () => {
  it('1 s unless OUTPOST_PUSH_BACKOFF_MS says otherwise', () => {
    expect(backoffPolicy({})).toEqual({ baseMs: 1_000 });
    expect(backoffPolicy({ OUTPOST_PUSH_BACKOFF_MS: '25' })).toEqual({ baseMs: 25 });
    expect(backoffPolicy({ OUTPOST_PUSH_BACKOFF_MS: '300000' })).toEqual({ baseMs: 300_000 });
  });

  it.each([
    ['', 'expected whole milliseconds, e.g. 1000'],
    ['1.5', 'expected whole milliseconds, e.g. 1000'],
    ['-5', 'expected whole milliseconds, e.g. 1000'],
    ['1s', 'expected whole milliseconds, e.g. 1000'],
    ['0', 'Too small: expected number to be >=1'],
    ['300001', 'Too big: expected number to be <=300000'],
  ])('refuses %j, naming the variable', (value, problem) => {
    let error: unknown;
    try {
      backoffPolicy({ OUTPOST_PUSH_BACKOFF_MS: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QuoteError);
    expect({ ...(error as QuoteError), message: (error as QuoteError).message }).toMatchObject({
      kind: 'InvalidInput',
      field: 'OUTPOST_PUSH_BACKOFF_MS',
      message: `environment: OUTPOST_PUSH_BACKOFF_MS: ${problem}`,
    });
  });
});

describe('outpost sync --push with a bad OUTPOST_PUSH_BACKOFF_MS', () => {
  const suite = pushSuite();

  it('is refused in the error envelope before anything is sent', async () => {
    const dir = suite.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000019:1'));
    const sim = await suite.open();
    pointAt(dir, sim, 'sales_invoice');
    vi.stubEnv('OUTPOST_PUSH_BACKOFF_MS', 'soon');
    const r = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
    expect([r.code, JSON.parse(r.out)]).toEqual([
      2,
      {
        error: {
          kind: 'InvalidInput',
          message: 'environment: OUTPOST_PUSH_BACKOFF_MS: expected whole milliseconds, e.g. 1000',
          field: 'OUTPOST_PUSH_BACKOFF_MS',
        },
      },
    ]);
    expect(list(sim, 'Sales Invoice', [['outpost_si_uuid', 'is', 'set']])).toEqual([]);
    expect(query(dir, 'SELECT state, attempts FROM push_job WHERE uuid = ?', sale['uuid'])).toEqual(
      [{ state: 'pending', attempts: 0 }],
    );
  });
});
