import type { FastifyReply, FastifyRequest } from 'fastify';

/** What a terminal learns without polling: connectivity, push progress, prices pulled, the outbox. */
export type EventType = 'connectivity' | 'push' | 'pull' | 'outbox';

type Listener = (type: EventType, data: Record<string, unknown>) => void;

/**
 * The node's events, fanned out to every subscriber (the SSE streams of `/api/events`). A
 * listener that throws (a socket gone) is dropped, never allowed to stop the publisher: the
 * push loop publishes from its own cycle.
 */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();

  subscribe(listener: Listener, close: () => void): () => void {
    this.listeners.add(listener);
    this.closers.add(close);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(close);
    };
  }

  publish(type: EventType, data: Record<string, unknown>): void {
    for (const l of [...this.listeners]) {
      try {
        l(type, data);
      } catch {
        this.listeners.delete(l);
      }
    }
  }

  /** Subscribers now. */
  size(): number {
    return this.listeners.size;
  }

  /** Ends every stream (shutdown: an open stream must not hold the server open). */
  closeAll(): void {
    for (const c of [...this.closers]) c();
    this.listeners.clear();
    this.closers.clear();
  }
}

const HEARTBEAT_MS = 15_000;

/**
 * Streams the hub's events as server-sent events (`event: TYPE`, `data: JSON`). The reply is
 * taken over from Fastify, so the headers its onSend hooks would add are written here.
 * A first `ready` event tells the client its subscription is live. `allowed` is asked before
 * each event and heartbeat: a device revoked while its stream is open (over the API or by the
 * CLI in another process) gets its stream ended, not one more event.
 */
export function streamEvents(
  hub: EventHub,
  request: FastifyRequest,
  reply: FastifyReply,
  headers: Record<string, string>,
  hello: Record<string, unknown>,
  allowed: () => boolean = () => true,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (type: string, data: Record<string, unknown>) => {
    if (!allowed()) return end();
    res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const heartbeat = setInterval(() => {
    if (!allowed()) return end();
    res.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  function end(): void {
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
  }
  const unsubscribe = hub.subscribe(send, end);
  request.raw.on('close', end);
  send('ready', hello);
}
