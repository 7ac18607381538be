import { CommitQueue } from '../pos/index.js';
import { startWalCheckpointer } from '../store/wal-checkpointer.js';
import pino, { type Logger } from 'pino';
import type { HttpErpClient } from '../erpnext/client.js';
import type { StoreNode } from '../pos/node.js';
import type { LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { buildApp, type App } from './app.js';
import { NodeAuthenticator, ensureNodeDevice } from './auth.js';
import { EventHub } from './events.js';
import { nodeNotes } from './loop-notes.js';
import { StoreLoops, type LoopConfig } from './loops.js';

export interface NodeOptions {
  /** The store node (`openNode`): its terminals, devices and sessions. */
  readonly node: StoreNode;
  readonly erp: HttpErpClient;
  readonly config: LoopConfig;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** DIR/device-token: the node's own till's token (0600), written when it pairs at start. */
  readonly deviceTokenFile: string;
  readonly version: string;
  /** The store's receipt printer (`tcp://HOST:9100` or a device path). */
  readonly printer?: string;
  readonly logger?: Logger;
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
  /** The node's own till's device token; null when a manager bound another device to it. */
  readonly deviceToken: string | null;
  readonly events: EventHub;
  readonly loops: StoreLoops;
  /**
   * Graceful shutdown: stop accepting (new requests on open connections get 503 ShuttingDown),
   * end the event streams, let requests in flight finish (a sale commits or never started),
   * stop the loops after their request in flight, then `onClosed`. Idempotent.
   */
  close(): Promise<void>;
}

/** Starts the store node: the API on host:port and the pull, push and connectivity loops. */
export async function startNode(o: NodeOptions): Promise<RunningNode> {
  const logger = o.logger ?? pino({ level: 'info' });
  const token = ensureNodeDevice(o.node, o.deviceTokenFile);
  const auth = new NodeAuthenticator(o.node);
  // The store-wide work (health, metrics, the loops' connectivity records) is the first
  // terminal's: the outbox the push drains is the store's, each record read under its own
  // terminal's keys (pos/outbox.ts).
  const first = o.node.terminal();
  const events = new EventHub();
  const commits = new CommitQueue();
  // WAL checkpoints off the event loop: a sale's commit never copies pages into store.db.
  const checkpoints = startWalCheckpointer(o.node.db, {
    onError: (e) =>
      logger.warn({ err: e }, 'WAL checkpointer stopped; the node checkpoints itself'),
  });
  const loops = new StoreLoops({
    durable: () => commits.durable(),
    term: first,
    erp: o.erp,
    config: o.config,
    note: nodeNotes(logger, events),
    ...(o.timers ? { timers: o.timers } : {}),
    ...(o.pushClock ? { pushClock: o.pushClock } : {}),
  });
  let closing = false;
  const built = buildApp({
    term: first,
    node: o.node,
    auth,
    events,
    connectivity: () => loops.connectivity(),
    logger,
    version: o.version,
    ...(o.printer !== undefined ? { printer: o.printer } : {}),
    closing: () => closing,
    ...(o.webDir !== undefined ? { webDir: o.webDir } : {}),
    remote: { erp: o.erp, mode: o.config.postingMode },
    commits,
    checkpoints: checkpoints.stats,
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
          // Every sale answered was flushed; the last groups' flush may still be settling.
          await commits.durable();
        } finally {
          commits.close();
          await checkpoints.stop();
          o.onClosed?.();
          logger.info('store node: stopped');
        }
      })();
      return closed;
    },
  };
}
