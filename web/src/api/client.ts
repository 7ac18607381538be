import type { z } from 'zod';
import { errorEnvelope } from './schemas';

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
}

/** The node could not be reached at all (not an answer): the screen says so and keeps the cart. */
export const UNREACHABLE = 'NodeUnreachable';

/** JSON over fetch to the node this page came from; every answer parsed by its schema. */
export class Api {
  constructor(private readonly creds: Credentials) {}

  async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.parse(await this.send('GET', path), schema, path);
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
    let e: ApiError;
    try {
      const env = errorEnvelope.parse(JSON.parse(text));
      e = new ApiError(res.status, env.error.kind, env.error.message, env.error.field ?? null);
    } catch {
      e = new ApiError(res.status, 'HttpError', `the node answered ${res.status}`, null);
    }
    if (res.status === 401 || res.status === 403) this.creds.onRefused(e.kind);
    throw e;
  }

  private async parse<S extends z.ZodType>(
    res: Response,
    schema: S,
    where: string,
  ): Promise<z.output<S>> {
    const r = schema.safeParse(await res.json());
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ApiError(
      res.status,
      'BadAnswer',
      `${where}: ${field}: ${issue?.message ?? 'unexpected answer'}`,
      field,
    );
  }
}
