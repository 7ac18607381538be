/**
 * ERPNext answered with an error: its HTTP status, Frappe exception class and message. An
 * answer of the wrong shape is `InvalidResponse`, with `field` naming the part at fault.
 */
export class FrappeError extends Error {
  override readonly name = 'FrappeError';
  constructor(
    readonly status: number,
    readonly excType: string,
    message: string,
    readonly field?: string,
    /** What a 429/503 asked for in Retry-After, in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** ERPNext could not be reached (refused, reset, DNS, timeout): the store is offline. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ERPNext at ${url}: ${reason}`);
  }
}
