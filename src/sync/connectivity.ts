import type { LoopTimers } from './push/loop.js';

/*
 * Online means ERPNext answers: a ping (GET /api/method/ping) within PING_TIMEOUT_MS. One
 * answer or one failure is not trusted on a flapping link, so the state moves with hysteresis:
 *
 *   unknown ──answer──▶ online ──2 failures in a row, or 1 timeout──▶ offline
 *      │                  ▲                                            │
 *      └──failure────────▶│◀──────────── 2 answers in a row ───────────┘
 *                         │
 *   any ──manager forces offline──▶ forced_offline ──lifted──▶ the next ping decides at once
 *
 * A timeout counts more than a refused connection: a link that swallows requests blocks every
 * push and pull for the full timeout, so one is enough to stop sending.
 */

/** Answers in a row that bring an offline terminal back online. */
export const ONLINE_AFTER = 2;
/** Failures in a row (not timeouts) that take an online terminal offline. */
export const OFFLINE_AFTER = 2;
/** A ping not answered within this is a timeout. */
export const PING_TIMEOUT_MS = 3_000;
/** Ping interval while online (the push's own requests say more in between). */
export const PROBE_ONLINE_MS = 15_000;
/** Ping interval while offline, unknown or forced: the link coming back is noticed quickly. */
export const PROBE_OFFLINE_MS = 5_000;

export type ConnectivityState = 'unknown' | 'online' | 'offline' | 'forced_offline';

export interface ConnectivityChange {
  readonly from: ConnectivityState;
  readonly to: ConnectivityState;
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
}

export interface ConnectivityStatus {
  readonly state: ConnectivityState;
  /** Epoch ms of the last change (of the start before the first). */
  readonly since: number;
  readonly successes: number;
  readonly failures: number;
  /** Epoch ms ERPNext last answered; null before its first answer. */
  readonly lastAnswerAt: number | null;
}

export interface MonitorOptions {
  /** Resolves when ERPNext answers; rejects otherwise. */
  readonly ping: () => Promise<void>;
  readonly timers: Omit<LoopTimers, 'random'>;
  /** Epoch ms a manager forced the terminal offline until; null when not forced. */
  readonly forcedUntil: () => number | null;
  /** A state change: journal it (it is called before anyone is told to resume). */
  readonly onChange: (change: ConnectivityChange) => void;
  /** ERPNext answered: the till's offline boundaries count from the last answer. */
  readonly onAnswer?: (at: number) => void;
}

class PingTimeout extends Error {}

/** The connectivity state machine above, with injected timers (driven by fake time in tests). */
export class ConnectivityMonitor {
  private status: ConnectivityStatus;
  private handle: unknown = null;
  private stopped = false;
  private probing: Promise<void> | null = null;

  constructor(private readonly o: MonitorOptions) {
    this.status = {
      state: 'unknown',
      since: o.timers.now(),
      successes: 0,
      failures: 0,
      lastAnswerAt: null,
    };
  }

  current(): ConnectivityStatus {
    return this.status;
  }

  /** Pull and push run only while this is true. */
  isOnline(): boolean {
    return this.status.state === 'online';
  }

  /** Starts with a ping now. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops pinging; resolves once a ping in flight has been accounted for. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== null) this.o.timers.clearTimeout(this.handle);
    this.handle = null;
    if (this.probing) await this.probing;
  }

  /** One step: honour a forced offline, else ping and move the state. */
  async probe(): Promise<void> {
    const now = this.o.timers.now();
    const forced = this.o.forcedUntil();
    if (forced !== null && forced > now) {
      this.set({ successes: 0, failures: 0 });
      this.move(
        'forced_offline',
        `forced offline by a manager until ${new Date(forced).toISOString()}`,
      );
      return;
    }
    const lifted = this.status.state === 'forced_offline';
    try {
      await this.pingWithin(PING_TIMEOUT_MS);
    } catch (e) {
      this.failed(e, lifted);
      return;
    }
    const at = this.o.timers.now();
    this.o.onAnswer?.(at);
    const successes = this.status.successes + 1;
    this.set({ successes, failures: 0, lastAnswerAt: at });
    const s = this.status.state;
    if (s === 'unknown') this.move('online', 'ERPNext answered');
    else if (lifted) this.move('online', 'forced offline lifted; ERPNext answered');
    else if (s === 'offline' && successes >= ONLINE_AFTER) {
      this.move('online', `ERPNext answered ${successes} times in a row`);
    }
  }

  private failed(e: unknown, lifted: boolean): void {
    const failures = this.status.failures + 1;
    this.set({ failures, successes: 0 });
    const timeout = e instanceof PingTimeout;
    const why = timeout
      ? `no answer within ${PING_TIMEOUT_MS} ms`
      : e instanceof Error
        ? e.message
        : String(e);
    const s = this.status.state;
    if (s === 'offline') return;
    if (s === 'unknown' || lifted)
      this.move('offline', lifted ? `forced offline lifted; ${why}` : why);
    else if (timeout) this.move('offline', why);
    else if (failures >= OFFLINE_AFTER) {
      this.move('offline', `ping failed ${failures} times in a row: ${why}`);
    }
  }

  private move(to: ConnectivityState, reason: string): void {
    const from = this.status.state;
    if (from === to) return;
    const at = this.o.timers.now();
    this.set({ state: to, since: at });
    this.o.onChange({ from, to, reason, at });
  }

  private pingWithin(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = this.o.timers.setTimeout(() => reject(new PingTimeout()), ms);
      this.o.ping().then(
        () => {
          this.o.timers.clearTimeout(timer);
          resolve();
        },
        (e: unknown) => {
          this.o.timers.clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.handle = this.o.timers.setTimeout(() => {
      this.handle = null;
      this.probing = this.probe()
        .catch(() => undefined)
        .finally(() => {
          this.probing = null;
          this.schedule(this.isOnline() ? PROBE_ONLINE_MS : PROBE_OFFLINE_MS);
        });
    }, ms);
  }

  private set(patch: Partial<ConnectivityStatus>): void {
    this.status = { ...this.status, ...patch };
  }
}
