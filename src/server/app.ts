import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { CommitQueue, type Terminal } from '../pos/index.js';
import type { StoreNode } from '../pos/node.js';
import { ensureHoldTable } from '../store/holds.js';
import { DEVICE_HEADER, SESSION_HEADER, type Authenticator } from './auth.js';
import type { RouteContext } from './context.js';
import type { EventHub } from './events.js';
import { directDispatch, parseQuery } from './direct.js';
import {
  installErrorHandlers,
  logRefusal,
  shuttingDown,
  urlRefusalHandler,
} from './http-errors.js';
import { ErrorCounts, renderMetrics } from './metrics.js';
import type { CheckpointStats } from '../store/wal-checkpointer.js';
import { openApiDocument } from './openapi.js';
import { route, registerRoutes, type Route } from './routing.js';
import { noQuery } from './schemas.js';
import { installSecurityHeaders } from './security.js';
import { pairingRoutes } from './routes-pairing.js';
import { storeRoutes } from './routes-store.js';
import { syncRoutes } from './routes-sync.js';
import { tillRoutes } from './routes-till.js';
import { uiRoutes } from './routes-ui.js';
import { installWeb, loadWeb } from './web.js';
import { installSocket, isSocketUpgrade, SOCKET_URL, socketOperation } from './ws.js';

export interface AppOptions {
  /** The terminal whose store the public routes (health, metrics) read. */
  readonly term: Terminal;
  /** The store node: pairing and the managers' device routes. */
  readonly node: StoreNode;
  readonly auth: Authenticator;
  readonly events: EventHub;
  readonly connectivity: () => string;
  readonly logger: Logger;
  readonly version: string;
  readonly now?: () => number;
  /** The store's receipt printer (`tcp://HOST:9100` or a device path). */
  readonly printer?: string;
  /** Set once shutdown begins: new requests get 503 ShuttingDown in the envelope. */
  readonly closing?: () => boolean;
  /** The built cashier's screen (`dist/web`), served at `/`; none: the API alone. */
  readonly webDir?: string;
  /** ERPNext, asked for another store's receipt at a return. */
  readonly remote?: RouteContext['remote'];
  /** The sales' group commit; the node shares it with its push (which waits for durability). */
  readonly commits?: CommitQueue;
  /** The WAL checkpointer's figures, for /metrics (the node's; none in tests of the API alone). */
  readonly checkpoints?: CheckpointStats;
}

export interface App {
  readonly app: FastifyInstance;
  /** Every route declared, as the OpenAPI document lists them. */
  readonly routes: readonly Route[];
  /** What Fastify registered (its onRoute hook; HEAD twins of GET routes left out). */
  readonly registered: readonly { readonly method: string; readonly url: string }[];
  /** Requests being answered now. */
  inFlight(): number;
}

/** An answer slower than this is logged at info (every one is at debug). */
const SLOW_MS = 1000;

const header = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/** The store node's HTTP API on Fastify: routes, the auth seam, errors, headers, metrics. */
export function buildApp(o: AppOptions): App {
  const now = o.now ?? Date.now;
  const bodyLimit = 1_048_576;
  ensureHoldTable(o.term.db);
  // pino's Logger is Fastify's logger; the cast only drops pino's extra generics.
  const errors = new ErrorCounts();
  const app: FastifyInstance = Fastify({
    loggerInstance: o.logger as unknown as FastifyBaseLogger,
    frameworkErrors: urlRefusalHandler((_status, e) => errors.note(e.kind)),
    bodyLimit,
    // Fastify's own 503 while closing is not the envelope: the onRequest hook below answers it.
    return503OnClosing: false,
    // Its two lines per request (incoming, completed) cost the event loop more than a barcode
    // look-up's own work; one line per answer is logged below instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Its default, named: the socket's direct routes read their query with the same function.
    routerOptions: { querystringParser: parseQuery },
  });
  // A JSON API: a text body is refused with 415, not read as a string the schemas then refuse.
  app.removeContentTypeParser('text/plain');
  const ctx: RouteContext = {
    node: o.node,
    auth: o.auth,
    events: o.events,
    connectivity: o.connectivity,
    now,
    printer: o.printer,
    ...(o.remote ? { remote: o.remote } : {}),
    commits: o.commits ?? new CommitQueue(),
  };
  const { commits } = ctx;
  const routes: Route[] = [
    route({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness: the node answers and its database reads',
      tag: 'Node',
      access: 'public',
      query: noQuery,
      handler: () => {
        o.term.db.prepare('SELECT 1').get();
        return { status: 'ok', connectivity: o.connectivity() };
      },
    }),
    route({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics (text format 0.0.4)',
      tag: 'Node',
      access: 'public',
      query: noQuery,
      produces: ['text/plain'],
      handler: ({ reply }) => {
        void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
        return renderMetrics(o.term.db, {
          now: now(),
          connectivity: o.connectivity(),
          errors,
          writes: { flushes: commits.flushes, checkpoints: o.checkpoints },
        });
      },
    }),
    route({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tag: 'Node',
      access: 'public',
      query: noQuery,
      handler: () => openApiDocument(routes, o.version, { [SOCKET_URL]: { get: socketOperation } }),
    }),
    ...syncRoutes(ctx),
    ...tillRoutes(ctx),
    ...storeRoutes(ctx),
    ...pairingRoutes(ctx),
    ...uiRoutes(),
  ];
  installSecurityHeaders(app);
  if (o.webDir !== undefined) installWeb(app, loadWeb(o.webDir));
  installErrorHandlers(app, (_status, e) => errors.note(e.kind));
  let inFlight = 0;
  // A socket's upgrade is hijacked: no onResponse ever comes for it (its requests count each).
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (!isSocketUpgrade(request)) {
      counted.add(request);
      inFlight += 1;
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (counted.delete(request)) inFlight -= 1;
    // Every answer at debug; at info only a slow one (refusals are logged by the error handler).
    const ms = reply.elapsedTime;
    const level = ms >= SLOW_MS ? 'info' : 'debug';
    if (o.logger.isLevelEnabled(level)) {
      request.log[level](
        { method: request.method, url: request.url, status: reply.statusCode, ms },
        'request completed',
      );
    }
    done();
  });
  // An answer sent while shutting down closes its connection: a keep-alive socket left open
  // would hold the server's close() until the client dropped it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (o.closing?.()) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (o.closing?.()) {
      void reply.header('connection', 'close');
      done(shuttingDown());
      return;
    }
    done();
  });
  // Its plugin's hooks must see the socket's route: registered before it, in its own scope.
  const direct = directDispatch(routes, {
    session: (device, session) => o.auth.authenticate(device, session),
    shuttingDown: () => (o.closing?.() ? shuttingDown() : undefined),
    refused: (status, body, error) => {
      errors.note(body.kind);
      logRefusal(o.logger, status, body, error);
    },
  });
  installSocket(app, {
    auth: o.auth,
    maxPayload: bodyLimit,
    direct: (method, url, tokens) => {
      const answer = direct(method, url, tokens);
      if (answer === undefined) return undefined;
      inFlight += 1;
      return answer.finally(() => (inFlight -= 1));
    },
  });
  const registered: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') registered.push({ method, url: r.url });
    }
  });
  registerRoutes(app, routes, {
    session: (request: FastifyRequest) =>
      o.auth.authenticate(
        header(request.headers[DEVICE_HEADER]),
        header(request.headers[SESSION_HEADER]),
      ),
    device: (request: FastifyRequest) => {
      o.auth.device(header(request.headers[DEVICE_HEADER]));
    },
  });
  return { app, routes, registered, inFlight: () => inFlight };
}
