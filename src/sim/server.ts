import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SimApp } from './app.js';
import type { SimResponse } from './http-types.js';

/**
 * What to do with one request, decided before it runs (src/sim/faults.ts makes these). `pass`
 * answers normally; `fail` answers 502/503 without running it; `timeout` never answers;
 * `reset`/`down` drop the socket first; `commit-then-drop` runs and commits, then drops the
 * answer (the retry hazard a client must survive).
 */
export type FaultDecision =
  | { readonly kind: 'pass'; readonly delayMs: number }
  | { readonly kind: 'fail'; readonly status: number; readonly delayMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'commit-then-drop'; readonly delayMs: number }
  | { readonly kind: 'down' };

export interface ListenOptions {
  /** 0 = any free port. */
  readonly port: number;
  readonly decide?: (req: { readonly path: string; readonly method: string }) => FaultDecision;
}

/** Read a request body fully (the simulator replies synchronously once it has it). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

function run(app: SimApp, req: IncomingMessage, raw: string): SimResponse {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers[k] = v;
    else if (Array.isArray(v)) headers[k] = v.join(', ');
  }
  return app.handle({
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: raw,
  });
}

/** The answer, with the `Date` header of the site's clock (a test may set that clock). */
function send(app: SimApp, res: ServerResponse, reply: SimResponse): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    date: new Date(app.time.nowMs()).toUTCString(),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function serve(app: SimApp, opts: ListenOptions, req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const decision = opts.decide?.({ path, method: req.method ?? 'GET' }) ?? {
    kind: 'pass',
    delayMs: 0,
  };
  if (decision.kind === 'down' || decision.kind === 'reset') return void req.socket.destroy();
  const raw = await readBody(req);
  if (decision.kind === 'timeout') return;
  if (decision.kind === 'fail') {
    await sleep(decision.delayMs);
    const text = decision.status === 502 ? 'Bad Gateway' : 'Service Unavailable';
    return send(app, res, {
      status: decision.status,
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
  }
  const reply = run(app, req, raw);
  await sleep(decision.delayMs);
  if (decision.kind === 'commit-then-drop') return void req.socket.destroy();
  send(app, res, reply);
}

/** The port could not be bound; `kind` says why, for the operator rather than a stack trace. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly kind: 'PortInUse' | 'PortDenied' | 'ListenFailed',
    message: string,
    readonly port: number,
  ) {
    super(message);
  }
}

function listenError(e: NodeJS.ErrnoException, port: number): ListenError {
  const where = `127.0.0.1:${port}`;
  if (e.code === 'EADDRINUSE') {
    return new ListenError(
      'PortInUse',
      `port ${port} on 127.0.0.1 is already in use (another simulator or server?)`,
      port,
    );
  }
  if (e.code === 'EACCES') {
    return new ListenError('PortDenied', `not allowed to listen on ${where}: ${e.message}`, port);
  }
  return new ListenError('ListenFailed', `cannot listen on ${where}: ${e.message}`, port);
}

/** Serve a simulator over HTTP on 127.0.0.1 only; a port that cannot be bound rejects (ListenError). */
export async function listen(
  app: SimApp,
  opts: ListenOptions | number,
): Promise<{ server: Server; port: number }> {
  const options = typeof opts === 'number' ? { port: opts } : opts;
  const server = createServer((req, res) => {
    serve(app, options, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, options.port)));
    server.listen(options.port, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : options.port };
}
