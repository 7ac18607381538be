import { parse } from 'fast-querystring';
import type { Caller } from './auth.js';
import type { Envelope } from './failure.js';
import { httpFailure, type HttpError } from './http-errors.js';
import { checkPart, type Route } from './routing.js';

/*
 * The routes a terminal's socket (ws.ts) answers without Fastify: the GETs declared with
 * `directRoute`, the lookup the screen makes on every scan. Through `app.inject` a scan costs
 * the node ~2.5–2.9 ms after a till's pause between scans, ~1.7–1.9 ms this way
 * (bench/idle-wake.ts): Fastify's request, its hooks and light-my-request's fake socket, run
 * on a CPU gone cold, are most of a millisecond of the scan's one frame.
 *
 * It is the HTTP route's own definition, in the HTTP pipeline's order: the shutdown refusal,
 * the session check (the preHandler's function), the query read by Fastify's own parser and
 * checked by the route's schema, the route's handler, `JSON.stringify` (Fastify's serializer for
 * a route without a response schema); a refusal is the error handler's status and envelope,
 * counted and logged the same. test/server/ws.test.ts compares its answers with HTTP's byte for
 * byte. Anything else (a path with an escape, another method, a body) goes through inject.
 */

/** Fastify's query parser (find-my-way's default), given to Fastify as its own so both agree. */
export const parseQuery = (query: string): Record<string, unknown> =>
  query.length === 0 ? {} : parse(query);

/** A route's answer: its status and its JSON body as text. */
export interface DirectAnswer {
  readonly status: number;
  readonly body: string;
}

/** The answer to `GET url` with these tokens, or undefined: not a direct route (use inject). */
export type DirectDispatch = (
  method: string,
  url: string,
  tokens: { readonly device: string; readonly session: string },
) => Promise<DirectAnswer> | undefined;

export interface DirectOptions {
  /** The session check of every `session` route (the preHandler's). */
  session(device: string, session: string): Caller;
  /** Set once shutdown begins: refused as the HTTP API refuses then. */
  shuttingDown(): HttpError | undefined;
  /** A refusal, as the error handler counts and logs it. */
  refused(status: number, envelope: Envelope, error: unknown): void;
}

export function directDispatch(routes: readonly Route[], o: DirectOptions): DirectDispatch {
  const byPath = new Map<string, Route>();
  for (const r of routes) {
    if (r.direct === undefined) continue;
    // directRoute() makes them so; a path parameter or an escape would need Fastify's router.
    if (r.method !== 'GET' || r.access !== 'session' || !/^[/A-Za-z0-9_-]+$/.test(r.url)) {
      throw new Error(`route ${r.method} ${r.url} cannot be answered directly`);
    }
    byPath.set(r.url, r);
  }
  return (method, url, tokens) => {
    if (method !== 'GET') return undefined;
    const q = url.indexOf('?');
    const route = byPath.get(q < 0 ? url : url.slice(0, q));
    if (route === undefined) return undefined;
    return answer(route, q < 0 ? '' : url.slice(q + 1), tokens);
  };

  async function answer(
    r: Route,
    query: string,
    tokens: { readonly device: string; readonly session: string },
  ): Promise<DirectAnswer> {
    try {
      const refusal = o.shuttingDown();
      if (refusal) throw refusal;
      const caller = o.session(tokens.device, tokens.session);
      const input = {
        body: undefined,
        query: r.query ? checkPart(r.query, parseQuery(query), 'query') : undefined,
        params: undefined,
        caller,
      };
      const value: unknown = await r.direct?.(input);
      return { status: 200, body: JSON.stringify(value) };
    } catch (e) {
      const { status, envelope } = httpFailure(e);
      o.refused(status, envelope, e);
      return { status, body: JSON.stringify({ error: envelope }) };
    }
  }
}
