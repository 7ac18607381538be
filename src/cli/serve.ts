import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { openNode } from '../pos/node.js';
import type { RunningNode } from '../server/node.js';
import { backoffPolicy } from '../sync/push/backoff.js';
import type { LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { readStoreConfig } from './config.js';
import { erpClient } from './store-context.js';

const help = `Usage: outpost serve --data DIR [--port 7070] [--host 127.0.0.1] [--printer TARGET]

Runs the store node: the HTTP API the store's terminals use (JSON; the OpenAPI document at
/api/openapi.json), and in the same process the pull every pull_interval_minutes, the push
(continuous) and the connectivity monitor, as \`outpost sync\` runs them. Sales go on with
ERPNext out of reach; what they queue drains by itself once it answers again.

  --port N     the TCP port (default 7070; 0 = any free port, printed at start)
  --host ADDR  the address to listen on (default 127.0.0.1; 0.0.0.0 for the shop's LAN)
  --printer TARGET  the receipt printer: tcp://HOST:9100 (a network printer) or a device
               path such as /dev/usb/lp0; POST /api/receipts/{invoice_no}/print prints there.
               Default: config.json's "printer" (the flag overrides it); none: printing is
               refused

Every terminal of the store is served: each device sends its token in X-Outpost-Device and
acts at the terminal it is bound to. A new device asks with POST /api/pairing (its code and
token); a manager approves the code (\`outpost terminal approve CODE\`, or POST
/api/pairing/approve from a paired device). The node's own till: when no device is bound to
the first terminal (config.json's \`terminal\`), start-up pairs one for it, approved by the
node operator (journaled as such, no manager named), and writes its token to DIR/device-token
(mode 0600). A cashier then logs in with POST /api/session {cashier, pin} and sends the session
token in X-Outpost-Session (idle timeout pos.session_idle_minutes). /healthz and /metrics
(Prometheus) need no token.

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
  o: { logger?: Logger; timers?: LoopTimers & PushClock; printer?: string } = {},
): Promise<RunningNode> {
  const config = readStoreConfig(dir);
  // The flag (a one-off, a test) overrides the store's configured printer.
  const printer = o.printer ?? config.printer;
  const erp = erpClient(dir);
  const storeNode = openNode(dir);
  // Loaded here, not at the top: Fastify and pino would slow every other command's start.
  const { startNode } = await import('../server/node.js');
  const web = webDir();
  try {
    return await startNode({
      node: storeNode,
      erp,
      config: {
        posProfile: config.pos_profile,
        postingMode: config.posting_mode,
        pullIntervalMinutes: config.pull_interval_minutes,
        backoff: backoffPolicy(process.env),
      },
      host,
      port,
      deviceTokenFile: join(dir, 'device-token'),
      version: VERSION,
      onClosed: () => storeNode.close(),
      ...(printer !== undefined ? { printer } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.timers ? { timers: o.timers, pushClock: o.timers } : {}),
      ...(web !== undefined ? { webDir: web } : {}),
    });
  } catch (e) {
    storeNode.close();
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
      printer: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const port = values.port === undefined ? 7070 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port: expected 0 to 65535; got ${values.port}`, '--port');
    }
    const host = values.host ?? '127.0.0.1';
    const node = await startStoreNode(dir, host, port, {
      ...(values.printer !== undefined ? { printer: values.printer } : {}),
    });
    io.stderr(
      `outpost serve: listening on ${node.url}; ${
        node.deviceToken === null
          ? 'the first terminal is held by a paired device (no DIR/device-token)'
          : `this till's device token in ${join(dir, 'device-token')}`
      }\n`,
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
