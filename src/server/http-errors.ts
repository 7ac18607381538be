import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { AuthError } from './auth.js';
import { envelope, failureOf, oneLine, type Envelope, type FailureClass } from './failure.js';
import { securityHeaders } from './security.js';

/** An error raised at the HTTP edge itself (a route that does not exist, a method not allowed). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The status of an envelope's kind where the class alone does not say it. */
const STATUS_OF_KIND: Readonly<Record<string, number>> = {
  AuthenticationFailed: 401,
  LockedOut: 423,
  NotPermitted: 403,
  ApprovalRequired: 403,
  NotFound: 404,
  ShiftState: 409,
  PairingUsed: 409,
  PairingExpired: 410,
  RateLimited: 429,
  ChainBehind: 409,
  NotReady: 409,
  InvoiceRefused: 422,
  PaymentRefused: 422,
  OfflineLimit: 422,
  ReturnRefused: 422,
  JournalTampered: 500,
  // Mostly a printer that did not take the job: a device the node talks to failed, not the node.
  ReceiptError: 502,
  Busy: 503,
  DiskFull: 507,
};

const STATUS_OF_CLASS: Readonly<Record<FailureClass, number>> = {
  bad_input: 400,
  refused: 500,
  setup: 500,
  offline: 503,
};

/** Any error as the status and the one envelope (never a stack). */
export function httpFailure(e: unknown): { status: number; envelope: Envelope } {
  if (e instanceof HttpError)
    return { status: e.status, envelope: envelope(e.kind, e.message, e.field) };
  if (e instanceof AuthError)
    return {
      status: e.kind === 'DeviceRevoked' || e.kind === 'PairingPending' ? 403 : 401,
      envelope: envelope(e.kind, e.message, e.field),
    };
  const fastify = fastifyClientError(e);
  if (fastify) return fastify;
  const f = failureOf(e);
  const status = STATUS_OF_KIND[f.envelope.kind] ?? STATUS_OF_CLASS[f.class];
  return { status, envelope: f.envelope };
}

/** Fastify's own 4xx (a body that is not JSON, too large, a content type it does not read). */
function fastifyClientError(e: unknown): { status: number; envelope: Envelope } | undefined {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string') return undefined;
  if (!e.code.startsWith('FST_')) return undefined;
  const status = (e as FastifyError).statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  const kind =
    status === 413 ? 'PayloadTooLarge' : status === 415 ? 'UnsupportedMediaType' : 'InvalidInput';
  return { status, envelope: envelope(kind, `body: ${oneLine(e.message)}`, 'body') };
}

/** How a refusal is logged: a fault of the node's (5xx) with its error, the caller's briefly. */
export function logRefusal(
  log: Pick<FastifyBaseLogger, 'error' | 'info'>,
  status: number,
  body: Envelope,
  error: unknown,
): void {
  if (status >= 500) log.error({ err: error, kind: body.kind }, body.message);
  else log.info({ kind: body.kind, field: body.field }, body.message);
}

/** 503 in the envelope once the node shuts down (a request over HTTP or a socket). */
export const shuttingDown = (): HttpError =>
  new HttpError(503, 'ShuttingDown', 'the store node is shutting down: try again shortly');

/** Installs the one error handler and the not-found handler on `app`. */
export function installErrorHandlers(
  app: FastifyInstance,
  onError: (status: number, e: Envelope) => void,
): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, envelope: body } = httpFailure(error);
    onError(status, body);
    logRefusal(request.log, status, body, error);
    void reply.code(status).type('application/json; charset=utf-8').send({ error: body });
  });
  app.setNotFoundHandler((request, reply) => {
    const body = envelope(
      'NotFound',
      `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    );
    onError(404, body);
    void reply.code(404).type('application/json; charset=utf-8').send({ error: body });
  });
}

/**
 * Fastify's router refuses some URLs before any hook or error handler runs (a `%` that is no
 * escape, a path parameter past `maxParamLength`) and answers with its own body, not the
 * envelope, unless the app is built with this as `frameworkErrors`.
 */
export function urlRefusalHandler(
  onError: (status: number, e: Envelope) => void,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, _request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
    const body = envelope('InvalidInput', `path: ${oneLine(error.message)}`, 'path');
    onError(status, body);
    // This reply skips the app's hooks: the security headers are set here.
    void reply
      .code(status)
      .headers(securityHeaders)
      .type('application/json; charset=utf-8')
      .send({ error: body });
  };
}
