import { z } from 'zod';

/*
 * The node's API over one WebSocket kept open (src/server/ws.ts): a request is a frame on it,
 * ~0.8 ms on loopback where a fetch() costs ~3 ms (bench/ui-transport.ts), most of a scan's one
 * frame. Only a convenience: `ask` answers null whenever the socket cannot answer (not open yet,
 * refused by a proxy, dropped before the answer, silent too long), and the caller asks by
 * fetch instead. So only requests that may be sent twice go this way (GETs): a write that went
 * out on a socket that then dropped may or may not have been done.
 */

/** The route's status and JSON answer, as fetch would have given them. */
export interface SocketAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface SocketTokens {
  readonly device: string;
  readonly session: string;
}

const answerSchema = z.object({ id: z.number(), status: z.number(), body: z.unknown() });

/** Waits before reconnecting, by failures in a row; the last repeats. */
const BACKOFF_MS = [250, 1000, 3000, 10_000, 30_000] as const;
/** An answer later than this: the socket is taken for dead (a half-open TCP) and reopened. */
const ANSWER_WAIT_MS = 5000;

interface Pending {
  readonly done: (a: SocketAnswer | null) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class SocketTransport {
  private ws: WebSocket | null = null;
  /** The tokens were sent on `ws`: requests may follow (the node reads them in order). */
  private open = false;
  private tokens: SocketTokens | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly connectTo: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  /** Keeps a socket open for these tokens (reopened when they change); null: none. */
  use(tokens: SocketTokens | null): void {
    const same = tokens?.device === this.tokens?.device && tokens?.session === this.tokens?.session;
    if (same) return;
    this.tokens = tokens;
    this.failures = 0;
    this.close();
    if (tokens) this.connect();
  }

  /** The answer over the socket; null when it cannot give one (ask by fetch then). */
  ask(method: 'GET', url: string): Promise<SocketAnswer | null> {
    const ws = this.ws;
    if (!this.open || ws === null) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.drop(ws), ANSWER_WAIT_MS);
      this.pending.set(id, { done: resolve, timer });
      ws.send(JSON.stringify({ id, method, url }));
    });
  }

  private connect(): void {
    const tokens = this.tokens;
    if (tokens === null) return;
    let ws: WebSocket;
    try {
      ws = this.connectTo(this.url);
    } catch {
      this.reconnectLater();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify(tokens));
      this.open = true;
    };
    ws.onmessage = (e: MessageEvent) => {
      let answer: z.output<typeof answerSchema>;
      try {
        answer = answerSchema.parse(JSON.parse(String(e.data)));
      } catch {
        // The tokens refused (the envelope alone, then closed): fetch says so to the screen.
        return;
      }
      const p = this.pending.get(answer.id);
      if (p === undefined) return;
      this.pending.delete(answer.id);
      clearTimeout(p.timer);
      this.failures = 0;
      p.done({ status: answer.status, body: answer.body });
    };
    ws.onclose = () => this.drop(ws);
  }

  /** `ws` is gone: what waited on it is asked by fetch, and a new one opened after a pause. */
  private drop(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.close();
    this.failures += 1;
    this.reconnectLater();
  }

  private reconnectLater(): void {
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, wait);
  }

  private close(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const ws = this.ws;
    this.ws = null;
    this.open = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close();
    }
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.done(null);
    }
    this.pending.clear();
  }
}

/** The socket of the node this page came from. */
export const nodeSocketUrl = (at: { readonly protocol: string; readonly host: string }): string =>
  `${at.protocol === 'https:' ? 'wss:' : 'ws:'}//${at.host}/api/ws`;
