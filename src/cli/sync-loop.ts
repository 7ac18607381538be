import {
  chainBehind,
  forcedOfflineUntil,
  noteErpAnswer,
  recordConnectivity,
} from '../pos/index.js';
import { notePushedHighWater, refreshHighWater } from '../sync/anchor.js';
import { ConnectivityMonitor, type ConnectivityChange } from '../sync/connectivity.js';
import { Puller } from '../sync/pull.js';
import { PushLoop, realLoopTimers } from '../sync/push/loop.js';
import type { CycleResult } from '../sync/push/cycle.js';
import { PullScheduler } from '../sync/scheduler.js';
import { recordPushRun } from '../store/push-status.js';
import type { Db } from '../store/db.js';
import type { Io } from './command.js';
import { readStoreConfig } from './config.js';
import { pushCycleOf } from './push-setup.js';
import { erpClient } from './store-context.js';
import { openTill } from './till.js';
import type { SyncWhat } from './sync-once.js';

/** How long a closing may stay queued inside one cycle (the loop polls it again anyway). */
const CLOSING_WAIT_MS = 0;

/**
 * `outpost sync` without --once: the pull every `pull_interval_minutes` (PullScheduler) and the
 * push continuously (PushLoop: every 2 s, backing off on failures) until `signal` aborts
 * (SIGINT/SIGTERM); then both stop after the request in flight, and the exit code is 0.
 *
 * Both run only while the ConnectivityMonitor says ERPNext answers (and a manager has not
 * forced the till offline); each change is journaled, and coming online wakes the push and
 * pulls at once. At start and after each pull ERPNext's high-water mark for this terminal is
 * asked (a journal behind it stops selling, `pos/chain.ts`).
 */
export async function syncLoop(
  dir: string,
  what: SyncWhat,
  io: Io,
  signal: AbortSignal,
): Promise<number> {
  const config = readStoreConfig(dir);
  const erp = erpClient(dir);
  // Always the till: connectivity changes are signed journal records.
  const till = openTill(dir);
  const db: Db = till.db;
  const say = (line: string) => io.stderr(`${new Date().toISOString()} ${line}\n`);
  const inflight: { pull: Promise<unknown> | null } = { pull: null };
  const anchor = async () => {
    try {
      const mark = await refreshHighWater(db, erp, config.terminal, new Date().toISOString());
      const behind = chainBehind(till.term);
      if (behind) {
        say(
          `ERPNext holds seq ${behind.erpnext.seq} of this terminal, the local journal ends at ${behind.local.seq}: selling is stopped until a manager runs \`outpost terminal acknowledge\``,
        );
      } else if (mark) say(`ERPNext holds this terminal up to seq ${mark.seq}`);
    } catch (e) {
      say(`could not ask ERPNext for this terminal's high-water mark: ${(e as Error).message}`);
    }
  };
  const monitor = new ConnectivityMonitor({
    ping: () => erp.ping(),
    timers: realLoopTimers,
    forcedUntil: () => forcedOfflineUntil(till.term),
    onAnswer: (at) => noteErpAnswer(till.term, at),
    onChange: (c) => changed(c),
  });
  const pull = new PullScheduler(
    () => {
      if (!monitor.isOnline()) return Promise.resolve(null);
      inflight.pull = new Puller(db, erp, { posProfile: config.pos_profile })
        .run()
        .then(async (r) => {
          say(`pull: snapshot ${r.snapshot}, ${r.deleted} deleted`);
          await anchor();
          return r;
        });
      return inflight.pull;
    },
    config.pull_interval_minutes * 60_000,
    undefined,
    (s) => {
      if (s.state === 'idle' && s.lastError !== null && s.consecutiveFailures > 0) {
        say(`pull failed (${s.consecutiveFailures} in a row): ${s.lastError}`);
      }
    },
  );
  const cycle = what.push ? pushCycleOf(dir, till, config, erp, { log: (l) => say(l) }) : null;
  const push = cycle
    ? new PushLoop(
        async () => {
          const at = new Date().toISOString();
          const r = await cycle.run({ queuedWaitMs: CLOSING_WAIT_MS, signal });
          recordPushRun(db, {
            at,
            result: r.retryable ? 'pending' : 'ok',
            pushed: r.pushed.length + r.customers.pushed + r.customers.matched,
            rejected: r.rejected.length + r.customers.review,
            error: r.retryError,
          });
          notePushedHighWater(db, r.pushed, at);
          return r;
        },
        undefined,
        (e) => report(say, e),
        undefined,
        () => monitor.isOnline(),
      )
    : null;
  function changed(c: ConnectivityChange): void {
    const seq = recordConnectivity(till.term, c);
    say(`connectivity: ${c.from} → ${c.to} (${c.reason}); journaled at seq ${seq}`);
    if (c.to !== 'online') return;
    push?.wake();
    if (what.pull) void pull.pullNow();
    else void anchor();
  }
  try {
    monitor.start();
    if (what.pull) pull.start();
    push?.start();
    say(
      `outpost sync: ${[what.push ? 'pushing' : '', what.pull ? `pulling every ${config.pull_interval_minutes} min` : ''].filter(Boolean).join(', ')} (${config.posting_mode}); Ctrl-C to stop`,
    );
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    say('outpost sync: stopping after the request in flight');
    pull.stop();
    await Promise.all([monitor.stop(), push?.stop(), inflight.pull?.catch(() => undefined)]);
    return 0;
  } finally {
    till.close();
  }
}

function report(say: (line: string) => void, e: CycleResult | Error): void {
  if (e instanceof Error) return say(`push stopped by a fault of this process: ${e.message}`);
  const moved = e.pushed.length + e.customers.pushed + e.customers.matched;
  if (moved + e.rejected.length + e.customers.review === 0 && e.retryAt === null) return;
  say(
    `push: ${e.pushed.length} document(s), ${e.customers.pushed + e.customers.matched} customer(s) sent; ${e.rejected.length + e.customers.review} to review${e.retryAt ? `; next try ${new Date(e.retryAt).toISOString()}: ${e.retryError ?? ''}` : ''}`,
  );
}
