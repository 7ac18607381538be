import type { z } from 'zod';
import { errorEnvelope } from './schemas';
import { nodeSocketUrl, SocketTransport, type SocketAnswer, type SocketTokens } from './socket';

/** What the node refused, in its one envelope (`{"error": {kind, message, field}}`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

/** Where the credentials come from: the auth module, the one place that knows them. */
export interface Credentials {
  headers(): Record<string, string>;
  /** The node refused who calls (401/403: the session is over, or the device unknown). */
  onRefused(kind: string): void;
  /** Told when the credentials change; given, the Api keeps a socket open while logged in. */
  subscribe?(listener: () => void): () => void;
}

/** The node's header names (src/server/auth.ts): the socket sends the same tokens. */
const DEVICE = 'x-outpost-device';
const SESSION = 'x-outpost-session';

function tokensOf(headers: Record<string, string>): SocketTokens | null {
  const device = headers[DEVICE];
  const session = headers[SESSION];
  return device !== undefined && session !== undefined ? { device, session } : null;
}

/** The node could not be reached at all (not an answer): the screen says so and keeps the cart. */
export const UNREACHABLE = 'NodeUnreachable';

/**
 * JSON to the node this page came from, every answer parsed by its schema: GETs over the
 * socket kept open while a cashier is logged in (socket.ts), by fetch when it cannot answer;
 * writes always by fetch.
 */
export class Api {
  private readonly socket: SocketTransport | null = null;

  constructor(private readonly creds: Credentials) {
    if (creds.subscribe === undefined || typeof WebSocket !== 'function') return;
    // `?socket=off`: every request by fetch (the benchmark's control, a proxy's workaround).
    if (new URLSearchParams(location.search).get('socket') === 'off') return;
    const socket = new SocketTransport(nodeSocketUrl(location));
    this.socket = socket;
    const follow = () => socket.use(tokensOf(creds.headers()));
    creds.subscribe(follow);
    follow();
  }

  /**
   * A GET; `measure` names a performance measure of its round trip (sent → answer read), by
   * whichever transport carried it (the scan's, read by bench/ui-scan.ts).
   */
  async get<S extends z.ZodType>(path: string, schema: S, measure?: string): Promise<z.output<S>> {
    const start = performance.now();
    const answer = (await this.socket?.ask('GET', path)) ?? (await this.fetchJson('GET', path));
    if (measure !== undefined) performance.measure(measure, { start });
    if (answer.status < 200 || answer.status > 299) throw this.refused(answer.status, answer.body);
    return this.check(answer, schema, path);
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return this.parse(await this.send('POST', path, body), schema, path);
  }

  /** A POST answered with text (a receipt's HTML). */
  async postText(path: string, body: unknown): Promise<string> {
    return (await this.send('POST', path, body)).text();
  }

  async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { ...this.creds.headers() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, UNREACHABLE, 'the store node does not answer', null);
    }
    if (res.ok) return res;
    const text = await res.text();
    let answer: unknown = null;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not the envelope: `refused` says the status alone.
    }
    throw this.refused(res.status, answer);
  }

  /** A refusal's envelope as an ApiError; 401/403 told to the credentials first. */
  private refused(status: number, body: unknown): ApiError {
    const env = errorEnvelope.safeParse(body);
    const e = env.success
      ? new ApiError(
          status,
          env.data.error.kind,
          env.data.error.message,
          env.data.error.field ?? null,
        )
      : new ApiError(status, 'HttpError', `the node answered ${status}`, null);
    if (status === 401 || status === 403) this.creds.onRefused(e.kind);
    return e;
  }

  private async fetchJson(method: string, path: string): Promise<SocketAnswer> {
    const res = await this.send(method, path);
    return { status: res.status, body: await res.json() };
  }

  private async parse<S extends z.ZodType>(
    res: Response,
    schema: S,
    where: string,
  ): Promise<z.output<S>> {
    return this.check({ status: res.status, body: await res.json() }, schema, where);
  }

  private check<S extends z.ZodType>(answer: SocketAnswer, schema: S, where: string): z.output<S> {
    const r = schema.safeParse(answer.body);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ApiError(
      answer.status,
      'BadAnswer',
      `${where}: ${field}: ${issue?.message ?? 'unexpected answer'}`,
      field,
    );
  }
}
