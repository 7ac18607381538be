import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { QuoteError } from '../core/index.js';
import { schemaError } from '../core/schema.js';
import type { Caller } from './auth.js';

/** Who may call a route: a logged-in cashier, any paired device (login), or anyone (health). */
export type Access = 'session' | 'device' | 'public';

/** A route's checked input and caller: all a `direct` route's handler reads. */
export interface PlainInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  /** Set on `session` routes (the preHandler has checked the caller). */
  readonly caller: Caller | undefined;
}

export interface RouteInput<B, Q, P> extends PlainInput<B, Q, P> {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** One API route as registered and as the OpenAPI document describes it. */
export interface Route<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify's syntax (`/api/holds/:name`). */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /**
   * A public route that reads the device token itself (a device asking its pairing state,
   * whatever that state): documented with the device scheme, checked by its handler.
   */
  readonly readsDevice?: boolean;
  readonly body?: B;
  readonly query?: Q;
  readonly params?: P;
  /** The JSON answer's schema (for the document); none: `produces` says what comes back. */
  readonly response?: z.ZodType;
  /** Content types other than JSON this route answers with. */
  readonly produces?: readonly string[];
  /** It creates something: answers 201 (else 200), as the document says. */
  readonly created?: boolean;
  handler(input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>): unknown;
  /**
   * The handler again, typed to need no Fastify request or reply: set by `directRoute` alone,
   * for the terminal's socket to answer the route without Fastify (direct.ts).
   */
  direct?(input: PlainInput<z.output<B>, z.output<Q>, z.output<P>>): unknown;
}

/** Declares a route with its types inferred from its schemas. */
export const route = <B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  r: Route<B, Q, P> & { readonly direct?: never },
): Route => r;

/**
 * Declares a GET of a logged-in cashier whose handler reads only its query and caller, so the
 * terminal's socket may answer it without Fastify (direct.ts): the lookup of every scan.
 */
export function directRoute<Q extends z.ZodType>(
  r: Omit<Route<z.ZodType, Q>, 'method' | 'access' | 'body' | 'params' | 'handler' | 'direct'> & {
    handler(input: PlainInput<unknown, z.output<Q>, unknown>): unknown;
  },
): Route {
  const declared: Route<z.ZodType, Q> = {
    ...r,
    method: 'GET',
    access: 'session',
    handler: (input) => r.handler(input),
    direct: (input) => r.handler(input),
  };
  return declared;
}

/**
 * Checks one part of a request against its schema. A key the schema does not know is refused
 * naming that key (a misspelt `qty` must not sell 1 silently); otherwise the field is the path
 * zod reports, as everywhere else (`core/schema.ts`).
 */
export function checkPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const key = issue.keys[0] ?? '';
    const field = `${at}.${key}`.replace(/^\./, '');
    throw schemaErrorAt(where, field, `unknown field (expected one of the documented fields)`);
  }
  throw schemaError(r.error, where);
}

const schemaErrorAt = (where: string, field: string, problem: string): QuoteError =>
  new QuoteError('InvalidInput', `${where}: ${field}: ${problem}`, field);

/** Registers `routes` on `app`; `session` routes get `caller` from `authenticate`. */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly Route[],
  auth: {
    readonly session: (request: FastifyRequest) => Caller;
    readonly device: (request: FastifyRequest) => void;
  },
): void {
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      // The one auth seam: every route but the public ones passes here before its input is read.
      ...(r.access !== 'public'
        ? {
            preHandler: (request: FastifyRequest): Promise<void> => {
              try {
                if (r.access === 'device') auth.device(request);
                else
                  (request as FastifyRequest & { caller?: Caller }).caller = auth.session(request);
                return Promise.resolve();
              } catch (e) {
                return Promise.reject(e instanceof Error ? e : new Error(String(e)));
              }
            },
          }
        : {}),
      handler: async (request, reply) => {
        const body = r.body ? checkPart(r.body, request.body ?? {}, 'body') : undefined;
        const query = r.query ? checkPart(r.query, request.query ?? {}, 'query') : undefined;
        const params = r.params ? checkPart(r.params, request.params ?? {}, 'path') : undefined;
        const caller = (request as FastifyRequest & { caller?: Caller }).caller;
        // A refusal's status is the error handler's; this one stands only for a success.
        if (r.created) void reply.code(201);
        return r.handler({ body, query, params, caller, request, reply });
      },
    });
  }
}
