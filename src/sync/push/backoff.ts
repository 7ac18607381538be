import { z } from 'zod';
import { parseWith } from '../../core/schema.js';

/** The first retry waits about this long by default; each failure doubles it. */
export const BACKOFF_BASE_MS = 1_000;
/** No wait is longer than this (a Retry-After beyond it too). */
export const BACKOFF_MAX_MS = 300_000;

/** The environment variable that sets the first retry's wait (whole milliseconds). */
export const BACKOFF_ENV = 'OUTPOST_PUSH_BACKOFF_MS';

/** How long the push waits between tries of a failing document. */
export interface BackoffPolicy {
  /** The wait after the first failure (before jitter); each further failure doubles it. */
  readonly baseMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: BACKOFF_BASE_MS };

const envSchema = z.object({
  [BACKOFF_ENV]: z
    .string()
    .regex(/^\d+$/, 'expected whole milliseconds, e.g. 1000')
    .transform(Number)
    .pipe(z.number().int().min(1).max(BACKOFF_MAX_MS))
    .optional(),
});

/**
 * The backoff the push runs with: `OUTPOST_PUSH_BACKOFF_MS` when set, else 1 s. A shorter base
 * suits a till next to its ERPNext (or a test's fault scenario, which would otherwise spend
 * minutes waiting); the cap and Retry-After stay as they are. A bad value is an InvalidInput
 * error naming the variable. Parsed here and nowhere else; the CLI reads the environment.
 */
export function backoffPolicy(env: Readonly<Record<string, string | undefined>>): BackoffPolicy {
  const parsed = parseWith(envSchema, { [BACKOFF_ENV]: env[BACKOFF_ENV] }, 'environment');
  const base = parsed[BACKOFF_ENV];
  return base === undefined ? DEFAULT_BACKOFF : { baseMs: base };
}

/**
 * The wait before retry number `failures` (1 = after the first failure): exponential, capped,
 * with jitter in its upper half so many tills coming back online do not retry in step.
 * A server's Retry-After is honoured (within the cap) when it asks for longer. The policy is
 * the caller's (the CLI and the node read it once, with `backoffPolicy`, before anything is
 * sent, so a bad value is refused up front).
 */
export function backoffMs(
  failures: number,
  random: number,
  retryAfterMs?: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(BACKOFF_MAX_MS, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exp / 2 + (random * exp) / 2);
  return Math.min(BACKOFF_MAX_MS, Math.max(jittered, retryAfterMs ?? 0));
}
