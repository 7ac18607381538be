import pino, { type Logger } from 'pino';
import type { HttpErpClient } from '../erpnext/client.js';
import type { Terminal } from '../pos/index.js';
import type { LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { buildApp, type App } from './app.js';
import { DirAuthenticator, ensureDeviceToken, type Authenticator } from './auth.js';
import { EventHub } from './events.js';
import { nodeNotes } from './loop-notes.js';
import { StoreLoops, type LoopConfig } from './loops.js';

export interface NodeOptions {
  readonly term: Terminal;
  readonly erp: HttpErpClient;
  readonly config: LoopConfig;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** DIR/device-token: written (0600) on first start. */
  readonly deviceTokenFile: string;
  readonly version: string;
  readonly logger?: Logger;
  /** A cashier's session ends after this long without a request (default 15 minutes). */
  readonly sessionIdleMs?: number;
  /** Another Authenticator (the pairing of issue 12 part A); default: DirAuthenticator. */
  readonly auth?: Authenticator;
  readonly timers?: LoopTimers;
  readonly pushClock?: PushClock;
  /** Called last on shutdown, after the loops stopped (closes the database). */
  readonly onClosed?: () => void;
  /** The built cashier's screen, served at `/` (`AppOptions.webDir`). */
  readonly webDir?: string;
}

export interface RunningNode extends App {
  readonly url: string;
  readonly port: number;
  readonly deviceToken: string;
  readonly events: EventHub;
  readonly loops: StoreLoops;
  /**
   * Graceful shutdown: stop accepting (new requests on open connections get 503 ShuttingDown),
   * end the event streams, let requests in flight finish (a sale commits or never started),
   * stop the loops after their request in flight, then `onClosed`. Idempotent.
   */
  close(): Promise<void>;
}

const SESSION_IDLE_MS = 15 * 60_000;

/** Starts the store node: the API on host:port and the pull, push and connectivity loops. */
export async function startNode(o: NodeOptions): Promise<RunningNode> {
  const logger = o.logger ?? pino({ level: 'info' });
  const token = ensureDeviceToken(o.term, o.deviceTokenFile);
  const auth = o.auth ?? new DirAuthenticator(o.term, o.sessionIdleMs ?? SESSION_IDLE_MS);
  const events = new EventHub();
  const loops = new StoreLoops({
    term: o.term,
    erp: o.erp,
    config: o.config,
    note: nodeNotes(logger, events),
    ...(o.timers ? { timers: o.timers } : {}),
    ...(o.pushClock ? { pushClock: o.pushClock } : {}),
  });
  let closing = false;
  const built = buildApp({
    term: o.term,
    auth,
    events,
    connectivity: () => loops.connectivity(),
    logger,
    version: o.version,
    closing: () => closing,
    ...(o.webDir !== undefined ? { webDir: o.webDir } : {}),
  });
  const { app } = built;
  app.addHook('preClose', (done) => {
    events.closeAll();
    done();
  });
  await app.listen({ host: o.host, port: o.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  loops.start();
  let closed: Promise<void> | null = null;
  return {
    ...built,
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    port,
    deviceToken: token,
    events,
    loops,
    close: () => {
      closed ??= (async () => {
        closing = true;
        logger.info('store node: stopping (requests in flight finish first)');
        try {
          await app.close();
          await loops.stop();
        } finally {
          o.onClosed?.();
          logger.info('store node: stopped');
        }
      })();
      return closed;
    },
  };
}
