import type { HttpErpClient } from '../erpnext/client.js';
import type { PostingMode } from '../erpnext/push-invoice.js';
import {
  chainBehind,
  chainReadsOf,
  forcedOfflineUntil,
  noteErpAnswer,
  outboxEntry,
  recordConnectivity,
  type Terminal,
} from '../pos/index.js';
import { priceFingerprint } from '../store/price-fingerprint.js';
import { pushCounts, recordPushRun } from '../store/push-status.js';
import { markedTerminals, notePushedHighWater, refreshHighWaters } from '../sync/anchor.js';
import { ConnectivityMonitor, type ConnectivityChange } from '../sync/connectivity.js';
import { Puller } from '../sync/pull.js';
import { PushCycle, type CycleResult } from '../sync/push/cycle.js';
import { PushLoop, realLoopTimers, type LoopTimers } from '../sync/push/loop.js';
import type { BackoffPolicy } from '../sync/push/backoff.js';
import type { PushClock } from '../sync/push/types.js';
import { PullScheduler } from '../sync/scheduler.js';

/** What the loops need of the store's configuration (config.json). */
export interface LoopConfig {
  readonly posProfile: string;
  readonly postingMode: PostingMode;
  readonly pullIntervalMinutes: number;
  /** The push's waits between tries (OUTPOST_PUSH_BACKOFF_MS, read by the command). */
  readonly backoff?: BackoffPolicy;
}

type PullResult = Awaited<ReturnType<Puller['run']>>;

/** What the loops report, for the caller to log (CLI lines, pino) or publish (SSE). */
export type LoopNote =
  | {
      readonly kind: 'pull';
      readonly result: PullResult;
      /** The snapshot prices carts differently (Item Prices, pricing rules, tax templates). */
      readonly pricesChanged: boolean;
    }
  | { readonly kind: 'pull_failed'; readonly failures: number; readonly error: string }
  | { readonly kind: 'push'; readonly result: CycleResult; readonly pending: number }
  | { readonly kind: 'push_fault'; readonly error: Error }
  | { readonly kind: 'push_log'; readonly line: string }
  | { readonly kind: 'connectivity'; readonly change: ConnectivityChange; readonly seq: number }
  | {
      readonly kind: 'high_water';
      readonly terminal: string;
      /** ERPNext's mark of this terminal (null: it holds nothing of it yet). */
      readonly seq: number | null;
      /** Set when the local journal is behind it: selling stops until a manager acknowledges. */
      readonly behind: { readonly erpnext: number; readonly local: number } | null;
    }
  | { readonly kind: 'high_water_failed'; readonly terminal: string; readonly error: string };

export interface LoopOptions {
  readonly term: Terminal;
  readonly erp: HttpErpClient;
  readonly config: LoopConfig;
  /** Which loops run (`outpost sync --pull` / `--push`); both by default. */
  readonly run?: { readonly pull: boolean; readonly push: boolean };
  readonly note: (n: LoopNote) => void;
  /** Injected for tests that compress time; the system's by default. */
  readonly timers?: LoopTimers;
  readonly pushClock?: PushClock;
  /**
   * Resolves once every sale committed so far is durable (the group commit's flush); the push
   * waits for it before each cycle, so nothing reaches ERPNext before it is on this disk.
   */
  readonly durable?: () => Promise<void>;
}

/**
 * The background work of a store: the connectivity monitor, the pull every
 * `pullIntervalMinutes` (PullScheduler) and the continuous push (PushLoop), as both `outpost
 * sync` and the store node (`outpost serve`) run them. Pull and push run only while the monitor
 * says ERPNext answers (and a manager has not forced the till offline); each change is
 * journaled, and coming online wakes the push and pulls at once. After each pull ERPNext's
 * high-water mark of every terminal is asked (a journal behind its own stops that terminal's
 * selling, pos/chain.ts).
 */
export class StoreLoops {
  private readonly monitor: ConnectivityMonitor;
  private readonly pull: PullScheduler | null;
  private readonly push: PushLoop | null;
  private readonly stopping = new AbortController();
  private pullInFlight: Promise<unknown> | null = null;

  constructor(private readonly o: LoopOptions) {
    const { term, erp, config, note } = o;
    const run = o.run ?? { pull: true, push: true };
    const timers = o.timers ?? realLoopTimers;
    const db = term.db;
    this.monitor = new ConnectivityMonitor({
      ping: () => erp.ping(),
      timers,
      forcedUntil: () => forcedOfflineUntil(term),
      onAnswer: (at) => noteErpAnswer(term, at),
      onChange: (c) => this.changed(c),
    });
    this.pull = run.pull
      ? new PullScheduler(
          () => {
            if (!this.monitor.isOnline()) return Promise.resolve(null);
            const before = priceFingerprint(db);
            this.pullInFlight = new Puller(db, erp, { posProfile: config.posProfile })
              .run()
              .then(async (result) => {
                note({ kind: 'pull', result, pricesChanged: priceFingerprint(db) !== before });
                await this.anchor();
                return result;
              });
            return this.pullInFlight;
          },
          config.pullIntervalMinutes * 60_000,
          timers,
          (s) => {
            if (s.state === 'idle' && s.lastError !== null && s.consecutiveFailures > 0) {
              note({ kind: 'pull_failed', failures: s.consecutiveFailures, error: s.lastError });
            }
          },
        )
      : null;
    const cycle = run.push
      ? new PushCycle({
          db,
          client: erp,
          source: { entry: (uuid) => outboxEntry(term, uuid) },
          mode: config.postingMode,
          // The customers a store's terminals created are read under their own terminal's keys.
          journal: {
            publicKeys: term.publicKeys,
            terminal: term.settings.terminalId,
            keysOf: (name) => term.keysOf(name),
          },
          log: (line) => note({ kind: 'push_log', line }),
          ...(o.pushClock ? { clock: o.pushClock } : {}),
          ...(config.backoff ? { backoff: config.backoff } : {}),
        })
      : null;
    this.push = cycle
      ? new PushLoop(
          async () => {
            await o.durable?.();
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
          (r) =>
            note(
              r instanceof Error
                ? { kind: 'push_fault', error: r }
                : { kind: 'push', result: r, pending: pushCounts(db).pending },
            ),
          undefined,
          () => this.monitor.isOnline(),
          config.backoff,
        )
      : null;
  }

  /** Where connectivity stands (unknown, online, offline, forced_offline). */
  connectivity(): string {
    return this.monitor.current().state;
  }

  start(): void {
    this.monitor.start();
    this.pull?.start();
    this.push?.start();
  }

  /** Stops all three after the request each has in flight (never half a push or a pull page). */
  async stop(): Promise<void> {
    this.pull?.stop();
    this.stopping.abort();
    await Promise.all([
      this.monitor.stop(),
      this.push?.stop(),
      this.pullInFlight?.catch(() => undefined),
    ]);
  }

  private changed(change: ConnectivityChange): void {
    const seq = recordConnectivity(this.o.term, change);
    this.o.note({ kind: 'connectivity', change, seq });
    if (change.to !== 'online') return;
    this.push?.wake();
    if (this.pull) void this.pull.pullNow();
    else void this.anchor();
  }

  private async anchor(): Promise<void> {
    const { term } = this.o;
    const names = markedTerminals(term.db, term.settings.terminalId);
    const marks = await refreshHighWaters(
      term.db,
      this.o.erp,
      names,
      new Date().toISOString(),
      term.settings.storeId,
    );
    for (const { terminal, mark, error } of marks) {
      if (error) {
        this.o.note({ kind: 'high_water_failed', terminal, error: error.message });
        continue;
      }
      const behind = chainBehind(terminal === term.name ? term : chainReadsOf(term.db, terminal));
      this.o.note({
        kind: 'high_water',
        terminal,
        seq: mark?.seq ?? null,
        behind: behind ? { erpnext: behind.erpnext.seq, local: behind.local.seq } : null,
      });
    }
  }
}
