import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { DEVICE_HEADER, SESSION_HEADER, type Authenticator } from './auth.js';
import type { DirectDispatch } from './direct.js';
import type { Envelope } from './failure.js';
import { HttpError, httpFailure } from './http-errors.js';
import { checkPart } from './routing.js';

/*
 * The HTTP API over one WebSocket a terminal keeps open: a request costs the browser a frame
 * on a socket instead of a fetch() (~0.8 ms against ~3 ms on loopback, bench/ui-transport.ts),
 * out of a scan's one-frame budget of 16 ms (issue 13: scan → priced line painted).
 *
 * Protocol, JSON text frames: the first message authenticates, `{"device", "session"}` (a
 * browser cannot set headers on a WebSocket, and a token in the URL would be logged); each
 * message after is one request `{"id", "method", "url", "body"?}` answered `{"id", "status",
 * "body"}` by the route itself, dispatched through `app.inject` with the socket's tokens as the
 * usual headers: auth (checked on every message, so a revoked device or an expired session is
 * refused mid-socket), validation, the envelope, the shutdown refusal and the metrics are the
 * HTTP API's, not a copy of them. The scan's lookup alone (`directRoute`) is answered without
 * inject, by the same route's handler and checks in the same order (direct.ts). A message that
 * is not a request gets the envelope (with its `id` when that much is readable) and the socket
 * stays open; a socket that does not authenticate gets the envelope and is closed.
 */

export const SOCKET_URL = '/api/ws';

/** A browser sends its tokens as soon as the socket opens: a silent socket is not a terminal. */
export const AUTH_WAIT_MS = 2000;

/** Policy violation (RFC 6455 §7.4.1): a socket that did not authenticate. */
const CLOSE_REFUSED = 1008;
/** Going away: the node shuts down. */
const CLOSE_GOING_AWAY = 1001;
/** How long a socket has, at shutdown, to answer the close before it is cut. */
const CLOSE_GRACE_MS = 1000;

const authMessage = z.strictObject({
  device: z.string().min(1),
  session: z.string().min(1),
});

const requestMessage = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.enum(['GET', 'POST', 'DELETE']),
  url: z.string().startsWith('/api/'),
  body: z.unknown().optional(),
});

/**
 * Routes a socket must not carry: this socket itself, and the event stream (an answer that
 * never ends would hold its inject forever: the screen reads it with EventSource).
 */
const NOT_OVER_A_SOCKET = new Set([SOCKET_URL, '/api/events']);

export interface SocketOptions {
  readonly auth: Authenticator;
  /** The largest message taken (the HTTP bodyLimit): a larger one closes the socket (1009). */
  readonly maxPayload: number;
  /** Each socket is pinged this often; one that has not answered the last ping is cut. */
  readonly pingMs?: number;
  /** The routes answered without inject (direct.ts); the rest go through `app.inject`. */
  readonly direct?: DirectDispatch;
}

/** Requests of one socket answered at once; one more gets 503 Busy (the screen asks 1–3). */
export const MAX_IN_FLIGHT = 32;

/** A till switched off or cut from the network leaves its socket open, unread, for hours. */
const PING_MS = 30_000;

const refusal = (e: unknown): { status: number; error: Envelope } => {
  const f = httpFailure(e);
  return { status: f.status, error: f.envelope };
};

/** The message's id when it has a usable one, for an envelope the client can match. */
function idOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  const r = requestMessage.shape.id.safeParse(value.id);
  return r.success ? r.data : undefined;
}

function parseText(data: unknown): unknown {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
  try {
    // Read as `unknown`: the first message and every request after are checked by their schemas.
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    throw new HttpError(400, 'InvalidInput', 'message: not JSON', 'message');
  }
}

/** The path and query a request names, normalised as inject will read it ('..' resolved). */
function apiPath(url: string): string {
  const u = new URL(url, 'http://node.invalid');
  if (u.host !== 'node.invalid' || !u.pathname.startsWith('/api/')) {
    throw new HttpError(400, 'InvalidInput', 'url: not a path of this node’s /api/', 'url');
  }
  if (NOT_OVER_A_SOCKET.has(u.pathname)) {
    throw new HttpError(
      400,
      'InvalidInput',
      `url: ${u.pathname} is not answered over the socket`,
      'url',
    );
  }
  return u.pathname + u.search;
}

/** One connection: waits for its tokens, then answers each request through `app`. */
function serveSocket(app: FastifyInstance, o: SocketOptions, ws: WebSocket, req: FastifyRequest) {
  let tokens: { device: string; session: string } | null = null;
  let inFlight = 0;
  const sendText = (text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text);
  };
  const send = (value: unknown) => sendText(JSON.stringify(value));
  const refuse = (e: unknown) => {
    send({ error: refusal(e).error });
    ws.close(CLOSE_REFUSED, 'not authenticated');
  };
  const waiting = setTimeout(
    () =>
      refuse(new HttpError(401, 'SessionRequired', 'send {"device", "session"} first', 'session')),
    AUTH_WAIT_MS,
  );
  let answered = true;
  ws.on('pong', () => (answered = true));
  const pinging = setInterval(() => {
    if (!answered) {
      ws.terminate();
      return;
    }
    answered = false;
    ws.ping();
  }, o.pingMs ?? PING_MS);
  ws.on('close', () => {
    clearTimeout(waiting);
    clearInterval(pinging);
  });

  /** The answer's frame: the route's JSON body is spliced in as Fastify wrote it, not re-read. */
  const answer = async (message: unknown): Promise<string> => {
    const m = checkPart(requestMessage, message, 'message');
    const url = apiPath(m.url);
    const direct = tokens && m.body === undefined ? o.direct?.(m.method, url, tokens) : undefined;
    if (direct) {
      const a = await direct;
      return `{"id":${m.id},"status":${a.status},"body":${a.body}}`;
    }
    const headers: Record<string, string> = {};
    if (tokens) {
      headers[DEVICE_HEADER] = tokens.device;
      headers[SESSION_HEADER] = tokens.session;
    }
    if (m.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.inject({
      method: m.method,
      url,
      headers,
      remoteAddress: req.ip,
      ...(m.body !== undefined ? { payload: JSON.stringify(m.body) } : {}),
    });
    const json = /^application\/json\b/.test(String(res.headers['content-type'] ?? ''));
    const body =
      res.statusCode === 204 || res.body === ''
        ? 'null'
        : json
          ? res.body
          : JSON.stringify(res.body);
    return `{"id":${m.id},"status":${res.statusCode},"body":${body}}`;
  };

  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      if (isBinary)
        throw new HttpError(400, 'InvalidInput', 'message: send text frames', 'message');
      message = parseText(data);
    } catch (e) {
      if (tokens) send({ error: refusal(e).error });
      else refuse(e);
      return;
    }
    if (tokens === null) {
      clearTimeout(waiting);
      try {
        const t = checkPart(authMessage, message, 'message');
        // Refused here (a wrong token) or on each request after (a revoked device, a session
        // logged out or idle past its timeout): the same check, the routes' own.
        o.auth.authenticate(t.device, t.session);
        tokens = t;
      } catch (e) {
        refuse(e);
      }
      return;
    }
    const id = idOf(message);
    const fail = (e: unknown) => {
      const { status, error } = refusal(e);
      send(id === undefined ? { error } : { id, status, body: { error } });
    };
    // HTTP/1.1 asks one at a time per connection; a socket must not queue without bound.
    if (inFlight >= MAX_IN_FLIGHT) {
      fail(
        new HttpError(
          503,
          'Busy',
          `more than ${MAX_IN_FLIGHT} requests waiting on this socket`,
          'id',
        ),
      );
      return;
    }
    inFlight += 1;
    answer(message)
      .then(sendText, fail)
      .finally(() => (inFlight -= 1));
  });
}

/** An upgrade to this socket: its reply is hijacked, so no onResponse hook follows it. */
export const isSocketUpgrade = (request: FastifyRequest): boolean =>
  request.method === 'GET' &&
  request.routeOptions.url === SOCKET_URL &&
  request.headers.upgrade?.toLowerCase() === 'websocket';

/**
 * Registers `GET /api/ws` on `app`. Asked without an upgrade it answers 426 in the envelope.
 * On shutdown each socket is told the node is going away (and the screen falls back to fetch).
 */
export function installSocket(app: FastifyInstance, o: SocketOptions): void {
  void app.register(websocket, {
    options: { maxPayload: o.maxPayload },
    // A client's fault (a message past the cap, a frame broken): ws has closed the socket.
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error }, 'websocket closed on a client error');
      socket.terminate();
    },
    preClose(done) {
      const clients = [...this.websocketServer.clients];
      for (const client of clients) client.close(CLOSE_GOING_AWAY);
      // A till switched off never answers the close: its socket would hold the server's close
      // for ws's own 30 s.
      setTimeout(() => {
        for (const client of clients) client.terminate();
      }, CLOSE_GRACE_MS).unref();
      done();
    },
  });
  void app.register((scope, _opts, done) => {
    scope.route({
      method: 'GET',
      url: SOCKET_URL,
      handler: () => {
        throw new HttpError(
          426,
          'UpgradeRequired',
          'open it as a WebSocket (Upgrade: websocket)',
          'upgrade',
        );
      },
      wsHandler: (ws, req) => serveSocket(app, o, ws, req),
    });
    done();
  });
}

/** `GET /api/ws` in the OpenAPI document (its routes are the HTTP API's own). */
export const socketOperation = {
  operationId: 'getApiWs',
  summary:
    'The HTTP API over a WebSocket kept open: first message {"device", "session"}; then {"id", "method", "url", "body"?} each answered {"id", "status", "body"} by the route itself',
  tags: ['Node'],
  security: [],
  parameters: [],
  responses: {
    '101': { description: 'Switching protocols: JSON text frames follow' },
    '4XX': {
      description: 'Refused (426 without an upgrade): the one error envelope',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  },
};
