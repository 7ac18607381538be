/** Wall-clock source, injected so tests can pin time. Returns epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** ISO 8601 UTC with milliseconds, e.g. `2026-11-27T08:30:00.000Z`. */
export const isoTime = (ms: number): string => new Date(Math.floor(ms)).toISOString();
