/** ERPNext answered with an error: its HTTP status, Frappe exception class and message. */
export class FrappeError extends Error {
  override readonly name = 'FrappeError';
  constructor(
    readonly status: number,
    readonly excType: string,
    message: string,
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

/**
 * Frappe's `_server_messages` is a JSON string holding a list of JSON strings, each an object
 * with a `message` (HTML allowed). Decode twice and strip tags.
 */
export function serverMessages(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const raw = (body as Record<string, unknown>)['_server_messages'];
  if (typeof raw !== 'string') return [];
  try {
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list.map((entry: unknown) => {
      const obj: unknown = typeof entry === 'string' ? JSON.parse(entry) : entry;
      const msg =
        typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)['message'] : obj;
      return typeof msg === 'string' ? msg.replace(/<[^>]+>/g, '') : JSON.stringify(msg);
    });
  } catch {
    return [raw];
  }
}
