/** An HTTP request as the in-process handler sees it (header names lower-cased). */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** Parsed JSON body, a raw string, or nothing. */
  readonly body?: unknown;
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: unknown;
}
