import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { CycleResult } from './cycle.js';

/** Timers and randomness, injected: tests drive the loop with fake time (STYLE habit 10). */
export interface LoopTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  random(): number;
}

export const realLoopTimers: LoopTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** How often the outbox is looked at while nothing is failing: a sale reaches ERPNext within it. */
export const PUSH_POLL_MS = 2_000;

export type LoopState = 'idle' | 'pushing' | 'offline' | 'stopping' | 'stopped';

export interface LoopStatus {
  readonly state: LoopState;
  /** When the next cycle starts (epoch ms); null while one runs or once stopped. */
  readonly nextAt: number | null;
  /** Cycles in a row that left retryable work behind (the backoff's exponent). */
  readonly failures: number;
  readonly cycles: number;
}

/**
 * The continuous push (`outpost sync` without --once) as a state machine:
 *
 *   idle ──timer──▶ pushing ──cycle ends──▶ idle   next cycle in:
 *     │                │                             • the stream's own backoff (retryAt,
 *     │                │                               Retry-After honoured) when it stopped;
 *     │                │                             • backoffMs(failures) when customers
 *     │                │                               are still pending or the cycle threw;
 *     │                │                             • PUSH_POLL_MS otherwise.
 *     └──stop()──▶ stopped      pushing ──stop()──▶ stopping ──cycle ends──▶ stopped
 *
 *   idle ──timer, `online()` false──▶ offline ──wake()──▶ idle (a cycle now)
 *
 * One cycle at a time; stop() never interrupts the request in flight: it resolves once the
 * cycle running (if any) has recorded its answer.
 */
export class PushLoop {
  private status: LoopStatus = { state: 'idle', nextAt: null, failures: 0, cycles: 0 };
  private handle: unknown = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly cycle: () => Promise<CycleResult>,
    private readonly timers: LoopTimers = realLoopTimers,
    private readonly report: (event: CycleResult | Error) => void = () => {},
    private readonly pollMs = PUSH_POLL_MS,
    /** Whether ERPNext is reachable (the ConnectivityMonitor): no cycle runs while it is not. */
    private readonly online: () => boolean = () => true,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** ERPNext is back: an offline loop runs a cycle now (a sleeping or running one is left be). */
  wake(): void {
    if (this.status.state === 'offline') this.schedule(0);
  }

  current(): LoopStatus {
    return this.status;
  }

  /** Starts with a cycle now. */
  start(): void {
    if (this.status.state !== 'idle' || this.handle !== null || this.running) return;
    this.schedule(0);
  }

  /** Stops the loop; resolves when the cycle in flight, if any, has finished. */
  async stop(): Promise<void> {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    if (this.running) {
      this.set({ state: 'stopping', nextAt: null });
      await this.running;
    }
    this.set({ state: 'stopped', nextAt: null });
  }

  private schedule(ms: number): void {
    this.set({ state: 'idle', nextAt: this.timers.now() + ms });
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      if (!this.online()) {
        this.set({ state: 'offline', nextAt: null });
        return;
      }
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    this.set({ state: 'pushing', nextAt: null });
    let delay: number;
    try {
      const r = await this.cycle();
      this.report(r);
      delay = this.after(r);
    } catch (e) {
      // A fault of this process (the database, a defect): logged, tried again later.
      const failures = this.status.failures + 1;
      this.report(e instanceof Error ? e : new Error(String(e)));
      this.set({ failures });
      delay = backoffMs(failures, this.timers.random(), undefined, this.backoff);
    }
    this.set({ cycles: this.status.cycles + 1 });
    if (this.status.state === 'stopping') return;
    this.schedule(delay);
  }

  /** The wait before the next cycle, from what this one left. */
  private after(r: CycleResult): number {
    const now = this.timers.now();
    if (r.retryAt !== null) {
      this.set({ failures: this.status.failures + 1 });
      return Math.max(0, r.retryAt - now);
    }
    if (
      r.customers.pending > 0 &&
      r.pushed.length + r.customers.pushed + r.customers.matched === 0
    ) {
      const failures = this.status.failures + 1;
      this.set({ failures });
      return backoffMs(failures, this.timers.random(), undefined, this.backoff);
    }
    this.set({ failures: 0 });
    return this.pollMs;
  }

  private set(patch: Partial<LoopStatus>): void {
    this.status = { ...this.status, ...patch };
  }
}
