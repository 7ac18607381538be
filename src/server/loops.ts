import type { HttpErpClient } from '../erpnext/client.js';
import type { PostingMode } from '../erpnext/push-invoice.js';
import {
  chainBehind,
  forcedOfflineUntil,
  noteErpAnswer,
  outboxEntry,
  recordConnectivity,
  type Terminal,
} from '../pos/index.js';
import { pushCounts, recordPushRun } from '../store/push-status.js';
import { notePushedHighWater, refreshHighWater } from '../sync/anchor.js';
import { ConnectivityMonitor, type ConnectivityChange } from '../sync/connectivity.js';
import { Puller } from '../sync/pull.js';
import { PushCycle } from '../sync/push/cycle.js';
import { PushLoop, realLoopTimers, type LoopTimers } from '../sync/push/loop.js';
import type { PushClock } from '../sync/push/types.js';
import { PullScheduler } from '../sync/scheduler.js';
import type { EventHub } from './events.js';

/** What the node's loops need of the store's configuration (config.json). */
export interface LoopConfig {
  readonly posProfile: string;
  readonly postingMode: PostingMode;
  readonly pullIntervalMinutes: number;
}

export interface LoopOptions {
  readonly term: Terminal;
  readonly erp: HttpErpClient;
  readonly config: LoopConfig;
  readonly events: EventHub;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
  /** Injected for tests that compress time; the system's by default. */
  readonly timers?: LoopTimers;
  readonly pushClock?: PushClock;
}

/** Doctypes whose change alters what a cart costs: a pull that brought any is announced. */
const PRICE_DOCTYPES = ['Item Price', 'Pricing Rule', 'Promotional Scheme', 'Item Tax Template'];

/**
 * The store node's background work, in the server's process: the connectivity monitor, the
 * pull every `pullIntervalMinutes` and the continuous push, wired as `outpost sync` wires them
 * (`src/cli/sync-loop.ts`), their progress published on the event hub. Pull and push run only
 * while ERPNext answers; coming online wakes the push and pulls at once.
 */
export class NodeLoops {
  private readonly monitor: ConnectivityMonitor;
  private readonly pull: PullScheduler;
  private readonly push: PushLoop;
  private readonly stopping = new AbortController();
  private pullInFlight: Promise<unknown> | null = null;

  constructor(private readonly o: LoopOptions) {
    const { term, erp, config, events } = o;
    const timers = o.timers ?? realLoopTimers;
    const db = term.db;
    this.monitor = new ConnectivityMonitor({
      ping: () => erp.ping(),
      timers,
      forcedUntil: () => forcedOfflineUntil(term),
      onAnswer: (at) => noteErpAnswer(term, at),
      onChange: (c) => this.changed(c),
    });
    this.pull = new PullScheduler(
      () => {
        if (!this.monitor.isOnline()) return Promise.resolve(null);
        this.pullInFlight = new Puller(db, erp, { posProfile: config.posProfile })
          .run()
          .then(async (r) => {
            const changed = PRICE_DOCTYPES.filter((d) => (r.counts[d] ?? 0) > 0);
            o.log({ snapshot: r.snapshot, deleted: r.deleted, counts: r.counts }, 'pull done');
            events.publish('pull', {
              snapshot: r.snapshot,
              prices_changed: changed.length > 0,
              changed_doctypes: changed,
            });
            await this.anchor();
            return r;
          });
        return this.pullInFlight;
      },
      config.pullIntervalMinutes * 60_000,
      timers,
      (s) => {
        if (s.state === 'idle' && s.lastError !== null && s.consecutiveFailures > 0) {
          o.log({ failures: s.consecutiveFailures, error: s.lastError }, 'pull failed');
        }
      },
    );
    const cycle = new PushCycle({
      db,
      client: erp,
      source: { entry: (uuid) => outboxEntry(term, uuid) },
      mode: config.postingMode,
      journal: { publicKeys: term.publicKeys, terminal: term.settings.terminalId },
      log: (line) => o.log({}, line),
      ...(o.pushClock ? { clock: o.pushClock } : {}),
    });
    this.push = new PushLoop(
      async () => {
        const at = new Date(timers.now()).toISOString();
        const r = await cycle.run({ queuedWaitMs: 0, signal: this.stopping.signal });
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
      timers,
      (r) => {
        if (r instanceof Error) {
          o.log({ err: r.message }, 'push stopped by a fault of this process');
          return;
        }
        const pushed = r.pushed.length + r.customers.pushed + r.customers.matched;
        const rejected = r.rejected.length + r.customers.review;
        if (pushed + rejected > 0 || r.retryError !== null) {
          o.log({ pushed, rejected, retry_error: r.retryError }, 'push cycle');
        }
        events.publish('push', {
          pushed,
          rejected,
          retry_at: r.retryAt === null ? null : new Date(r.retryAt).toISOString(),
          retry_error: r.retryError,
          pending: pushCounts(db).pending,
        });
      },
      undefined,
      () => this.monitor.isOnline(),
    );
  }

  /** Where connectivity stands (for /metrics and the sync status route). */
  connectivity(): string {
    return this.monitor.current().state;
  }

  start(): void {
    this.monitor.start();
    this.pull.start();
    this.push.start();
  }

  /** Stops the three after the request each has in flight (never half a push or pull page). */
  async stop(): Promise<void> {
    this.pull.stop();
    this.stopping.abort();
    await Promise.all([
      this.monitor.stop(),
      this.push.stop(),
      this.pullInFlight?.catch(() => undefined),
    ]);
  }

  private changed(c: ConnectivityChange): void {
    const seq = recordConnectivity(this.o.term, c);
    this.o.log({ from: c.from, to: c.to, reason: c.reason, seq }, 'connectivity');
    this.o.events.publish('connectivity', {
      from: c.from,
      to: c.to,
      reason: c.reason,
      at: new Date(c.at).toISOString(),
    });
    if (c.to !== 'online') return;
    this.push.wake();
    void this.pull.pullNow();
  }

  /** ERPNext's high-water mark of this terminal; a journal behind it stops selling (pos/chain.ts). */
  private async anchor(): Promise<void> {
    const { term } = this.o;
    try {
      await refreshHighWater(
        term.db,
        this.o.erp,
        term.settings.terminalId,
        new Date().toISOString(),
      );
      const behind = chainBehind(term);
      if (behind) {
        this.o.log(
          { erpnext_seq: behind.erpnext.seq, local_seq: behind.local.seq },
          'ERPNext holds more of this terminal than the local journal: selling is stopped until a manager acknowledges',
        );
      }
    } catch (e) {
      this.o.log(
        { err: (e as Error).message },
        "could not ask ERPNext for this terminal's high-water mark",
      );
    }
  }
}
