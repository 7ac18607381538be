import { UnreachableError } from '../erpnext/errors.js';

/** Timers injected so tests drive the loop with fake time. */
interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

type Connectivity = 'unknown' | 'online' | 'offline';

interface SchedulerStatus {
  readonly state: 'idle' | 'pulling' | 'stopped';
  readonly connectivity: Connectivity;
  readonly lastOkAt: number | null;
  readonly lastError: string | null;
  readonly nextAt: number | null;
  readonly consecutiveFailures: number;
}

/** Backoff after failures: 5 s, 10 s, 20 s … capped at 2 minutes, then the normal interval. */
export const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 120_000;

/**
 * The pull loop as a small state machine:
 *
 *   idle --(timer | pullNow)--> pulling --ok--> idle (next in intervalMs), online
 *                                       --unreachable--> idle (next in backoff), offline
 *                                       --other error--> idle (next in backoff), online
 *
 * Only one pull runs at a time; a pullNow() during a pull runs another right after it.
 */
export class PullScheduler {
  private status: SchedulerStatus = {
    state: 'idle',
    connectivity: 'unknown',
    lastOkAt: null,
    lastError: null,
    nextAt: null,
    consecutiveFailures: 0,
  };
  private handle: unknown = null;
  private again = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly pull: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly timers: Timers = realTimers,
    private readonly onChange: (s: SchedulerStatus) => void = () => {},
  ) {}

  /** Starts the loop with an immediate pull. */
  start(): void {
    this.status = { ...this.status, state: 'idle' };
    this.schedule(0);
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.set({ state: 'stopped', nextAt: null });
  }

  /** Pulls now (e.g. `outpost sync --pull` through the store node); resolves when it ran. */
  async pullNow(): Promise<SchedulerStatus> {
    if (this.running !== null) {
      this.again = true;
      await this.running;
      // The follow-up pull started when the first one ended; wait for it too.
      const followUp: Promise<void> | null = this.running;
      if (followUp !== null) await followUp;
      return this.status;
    }
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    await this.tick();
    return this.status;
  }

  current(): SchedulerStatus {
    return this.status;
  }

  private schedule(ms: number): void {
    if (this.status.state === 'stopped') return;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.set({ nextAt: this.timers.now() + ms });
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      void this.tick();
    }, ms);
  }

  private tick(): Promise<void> {
    this.set({ state: 'pulling', nextAt: null });
    this.running = this.pull().then(
      () => {
        this.set({
          state: 'idle',
          connectivity: 'online',
          lastOkAt: this.timers.now(),
          lastError: null,
          consecutiveFailures: 0,
        });
      },
      (e: unknown) => {
        const failures = this.status.consecutiveFailures + 1;
        this.set({
          state: 'idle',
          connectivity: e instanceof UnreachableError ? 'offline' : 'online',
          lastError: e instanceof Error ? e.message : String(e),
          consecutiveFailures: failures,
        });
      },
    );
    return this.running.then((): Promise<void> | undefined => {
      this.running = null;
      if (this.status.state === 'stopped') return undefined;
      if (this.again) {
        this.again = false;
        return this.tick();
      }
      const f = this.status.consecutiveFailures;
      this.schedule(
        f === 0
          ? this.intervalMs
          : Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (f - 1), this.intervalMs),
      );
      return undefined;
    });
  }

  private set(patch: Partial<SchedulerStatus>): void {
    if (this.status.state === 'stopped' && patch.state !== undefined && patch.state !== 'stopped') {
      this.status = { ...this.status, ...patch, state: 'stopped' };
    } else {
      this.status = { ...this.status, ...patch };
    }
    this.onChange(this.status);
  }
}
