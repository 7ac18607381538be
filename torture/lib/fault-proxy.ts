import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/**
 * An HTTP proxy between the store node and ERPNext that breaks the link on purpose, one
 * decision per request from a seeded PRNG, each counted by kind:
 *  - latency: answered, 20–400 ms late;
 *  - drop: the connection closed before anything reached ERPNext;
 *  - reset: a TCP RST before anything reached ERPNext;
 *  - half_open: accepted and never answered (the client gives up at its own timeout);
 *  - http_5xx: a burst of 1–3 requests answered 502/503/504 without reaching ERPNext;
 *  - commit_then_drop: ERPNext performs it and answers; the answer is dropped (the retry
 *    hazard: the insert is there, the store never heard);
 *  - outage: during a long outage every request is refused at once.
 * The decisions are the proxy's alone: ERPNext behind it is untouched. The connectivity
 * monitor's pings are faulted only by the outages.
 */

export const FAULT_KINDS = [
  'latency',
  'drop',
  'reset',
  'half_open',
  'http_5xx',
  'commit_then_drop',
  'outage',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultPlan {
  /** Probability that a request gets a fault (outages aside). */
  readonly rate: number;
  /** Half-open connections cost the client its whole timeout: at most this many. */
  readonly maxHalfOpen: number;
}

export class FaultProxy {
  readonly counts = new Map<FaultKind | 'passed', number>();
  /** Requests per route ("GET /api/resource/Item"), faulted or not: what sets the rate. */
  readonly routes = new Map<string, number>();
  private server: Server | null = null;
  private burst = 0;
  private outageUntil = 0;
  private readonly held = new Set<Socket>();
  private enabled = true;

  constructor(
    private readonly upstream: URL,
    private readonly rand: () => number,
    private readonly plan: FaultPlan,
  ) {}

  /** Listens on a free loopback port; resolves with its URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const a = server.address();
    if (typeof a !== 'object' || a === null) throw new Error('fault proxy: no address');
    return `http://127.0.0.1:${a.port}`;
  }

  /** Every request refused for `ms` (a long outage). */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
  }

  /** Faults off (the final sync runs on a clean link). */
  heal(): void {
    this.enabled = false;
    this.outageUntil = 0;
    this.burst = 0;
  }

  /** Faults injected so far, all kinds. */
  injected(): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k !== 'passed') n += v;
    return n;
  }

  async close(): Promise<void> {
    for (const s of this.held) s.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private count(k: FaultKind | 'passed'): void {
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  private decide(path: string): FaultKind | 'passed' {
    if (!this.enabled) return 'passed';
    if (Date.now() < this.outageUntil) return 'outage';
    // The connectivity monitor's ping meets only the outages: faulted at the push's rate it
    // would hold the store offline (and the push idle) nearly all the time.
    if (path.startsWith('/api/method/ping')) return 'passed';
    if (this.burst > 0) {
      this.burst -= 1;
      return 'http_5xx';
    }
    if (this.rand() >= this.plan.rate) return 'passed';
    const r = this.rand();
    if (r < 0.3) return 'latency';
    if (r < 0.45) return 'drop';
    if (r < 0.6) return 'reset';
    if (r < 0.75) {
      this.burst = Math.floor(this.rand() * 3);
      return 'http_5xx';
    }
    if (r < 0.95) return 'commit_then_drop';
    return (this.counts.get('half_open') ?? 0) < this.plan.maxHalfOpen ? 'half_open' : 'drop';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await collect(req).catch(() => null);
    if (body === null) return;
    const kind = this.decide(req.url ?? '');
    this.count(kind);
    const route = `${req.method ?? ''} ${routeOf(req.url ?? '')}`;
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
    const socket = req.socket;
    switch (kind) {
      case 'outage':
      case 'drop':
        socket.destroy();
        return;
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'half_open':
        this.held.add(socket);
        socket.once('close', () => this.held.delete(socket));
        return;
      case 'http_5xx': {
        const status = [502, 503, 504][Math.floor(this.rand() * 3)] ?? 503;
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end(`<html><body>${status} from the fault proxy</body></html>`);
        return;
      }
      case 'latency':
        await new Promise((r) => setTimeout(r, 20 + this.rand() * 380));
        break;
      default:
        break;
    }
    const answer = await this.forward(req, body).catch(() => null);
    if (answer === null || kind === 'commit_then_drop') {
      socket.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: this.upstream.host };
      const up = request(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (r) => {
          collect(r).then((b) => {
            const out: Record<string, string | string[]> = {};
            for (const [k, v] of Object.entries(r.headers)) {
              if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
            }
            out['content-length'] = String(b.length);
            resolve({ status: r.statusCode ?? 502, headers: out, body: b });
          }, reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  }
}

/** The path up to the doctype or method ("/api/resource/Sales Invoice"), no document name. */
function routeOf(url: string): string {
  const path = (url.split('?')[0] ?? '').split('/').slice(0, 4).join('/');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function collect(s: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}
