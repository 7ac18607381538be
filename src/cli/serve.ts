import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { RunningNode } from '../server/node.js';
import type { LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { readStoreConfig } from './config.js';
import { erpClient } from './store-context.js';
import { openTill } from './till.js';

const help = `Usage: outpost serve --data DIR [--port 7070] [--host 127.0.0.1]

Runs the store node: the HTTP API the store's terminals use (JSON; the OpenAPI document at
/api/openapi.json), and in the same process the pull every pull_interval_minutes, the push
(continuous) and the connectivity monitor, as \`outpost sync\` runs them. Sales go on with
ERPNext out of reach; what they queue drains by itself once it answers again.

  --port N     the TCP port (default 7070; 0 = any free port, printed at start)
  --host ADDR  the address to listen on (default 127.0.0.1; 0.0.0.0 for the shop's LAN)

On first start it writes DIR/device-token (mode 0600): the token a terminal sends in the
X-Outpost-Device header. A cashier then logs in with POST /api/session {cashier, pin} and
sends the session token in X-Outpost-Session. /healthz and /metrics (Prometheus) need no token.

Logs are JSON lines (pino) on stdout. SIGTERM or SIGINT stops it gracefully: no new requests,
the ones in flight (a sale) finish, the loops stop after their request in flight, the database
closes; exit 0.
`;

/** The package's version, for the OpenAPI document. */
const VERSION = '0.1.0';

/** The built cashier's screen: `dist/web` of the package this file belongs to (src or dist). */
export function webDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  const web = join(dir, 'dist', 'web');
  return existsSync(join(web, 'index.html')) ? web : undefined;
}

/** The store node over DIR as `outpost serve` runs it (also `outpost demo`'s). */
export async function startStoreNode(
  dir: string,
  host: string,
  port: number,
  o: { logger?: Logger; timers?: LoopTimers & PushClock } = {},
): Promise<RunningNode> {
  const config = readStoreConfig(dir);
  const erp = erpClient(dir);
  const till = openTill(dir);
  // Loaded here, not at the top: Fastify and pino would slow every other command's start.
  const { startNode } = await import('../server/node.js');
  const web = webDir();
  try {
    return await startNode({
      term: till.term,
      erp,
      config: {
        posProfile: config.pos_profile,
        postingMode: config.posting_mode,
        pullIntervalMinutes: config.pull_interval_minutes,
      },
      host,
      port,
      deviceTokenFile: join(dir, 'device-token'),
      version: VERSION,
      onClosed: () => till.close(),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.timers ? { timers: o.timers, pushClock: o.timers } : {}),
      ...(web !== undefined ? { webDir: web } : {}),
    });
  } catch (e) {
    till.close();
    throw e;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: "run the store node: the terminals' HTTP API and the pull/push loops",
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const port = values.port === undefined ? 7070 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port: expected 0 to 65535; got ${values.port}`, '--port');
    }
    const host = values.host ?? '127.0.0.1';
    const node = await startStoreNode(dir, host, port);
    io.stderr(
      `outpost serve: listening on ${node.url}; device token in ${join(dir, 'device-token')}\n`,
    );
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await new Promise<void>((resolve) => {
        if (stop.signal.aborted) return resolve();
        stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await node.close();
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
