/** The first retry waits about this long; each failure doubles it. */
export const BACKOFF_BASE_MS = 1_000;
/** No wait is longer than this (a Retry-After beyond it too). */
export const BACKOFF_MAX_MS = 300_000;

/**
 * The wait before retry number `failures` (1 = after the first failure): exponential, capped,
 * with jitter in its upper half so many tills coming back online do not retry in step.
 * A server's Retry-After is honoured (within the cap) when it asks for longer.
 */
export function backoffMs(failures: number, random: number, retryAfterMs?: number): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(exp / 2 + (random * exp) / 2);
  return Math.min(BACKOFF_MAX_MS, Math.max(jittered, retryAfterMs ?? 0));
}
