import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs } from '../../src/sync/push/backoff.js';
import type { CycleResult } from '../../src/sync/push/cycle.js';
import { PUSH_POLL_MS, PushLoop, type LoopTimers } from '../../src/sync/push/loop.js';

/** Fake time: timers fire only when the test advances the clock. */
class FakeTimers implements LoopTimers {
  t = 1_000_000;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }
  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  pending(): number[] {
    return this.queue.map((q) => q.at - this.t);
  }
  /** Moves time forward by `ms`, firing what falls due, and lets the cycles' promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.t = due.at;
      due.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.t = end;
  }
}

const result = (over: Partial<CycleResult> = {}): CycleResult => ({
  customers: { pushed: 0, matched: 0, review: 0, pending: 0 },
  pushed: [],
  rejected: [],
  blocked: 0,
  queued: 0,
  retryAt: null,
  retryError: null,
  retryable: false,
  ...over,
});

// The loop's backoff reads OUTPOST_PUSH_BACKOFF_MS: the waits below are the default's.
beforeEach(() => {
  vi.stubEnv('OUTPOST_PUSH_BACKOFF_MS', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('PushLoop', () => {
  it('polls every 2 s while healthy, waits for the stream’s retryAt (Retry-After), backs off while customers fail', async () => {
    const timers = new FakeTimers();
    const starts: number[] = [];
    const script: ((now: number) => CycleResult)[] = [
      () => result(),
      // ERPNext answered 429 with Retry-After: 30 s; the worker set retryAt accordingly.
      (now) =>
        result({ retryAt: now + backoffMs(1, 0.5, 30_000), retryError: '429', retryable: true }),
      () =>
        result({ customers: { pushed: 0, matched: 0, review: 0, pending: 1 }, retryable: true }),
      () =>
        result({ customers: { pushed: 0, matched: 0, review: 0, pending: 1 }, retryable: true }),
      () => result(),
      () => result(),
    ];
    const loop = new PushLoop(() => {
      starts.push(timers.now());
      return Promise.resolve((script[starts.length - 1] ?? (() => result()))(timers.now()));
    }, timers);
    loop.start();
    expect(loop.current()).toMatchObject({ state: 'idle', nextAt: timers.t });
    await timers.advance(0);
    expect(starts).toEqual([1_000_000]);
    expect(timers.pending()).toEqual([PUSH_POLL_MS]);
    await timers.advance(PUSH_POLL_MS);
    expect(timers.pending()).toEqual([30_000]);
    expect(loop.current()).toMatchObject({ state: 'idle', failures: 1 });
    await timers.advance(30_000);
    // Customers still failing: backoffMs(2 failures, jitter 0.5) = 1500 ms, then 3000 ms.
    expect(timers.pending()).toEqual([1_500]);
    await timers.advance(1_500);
    expect(timers.pending()).toEqual([3_000]);
    await timers.advance(3_000);
    expect(loop.current()).toMatchObject({ failures: 0, cycles: 5 });
    expect(timers.pending()).toEqual([PUSH_POLL_MS]);
    expect(starts.map((t) => t - 1_000_000)).toEqual([0, 2_000, 32_000, 33_500, 36_500]);
    await loop.stop();
    expect(loop.current()).toMatchObject({ state: 'stopped', nextAt: null });
    expect(timers.pending()).toEqual([]);
  });

  it('stop() during a cycle waits for it to finish and schedules nothing after it', async () => {
    const timers = new FakeTimers();
    let finish: (r: CycleResult) => void = () => {};
    const loop = new PushLoop(() => new Promise<CycleResult>((r) => (finish = r)), timers);
    loop.start();
    await timers.advance(0);
    expect(loop.current().state).toBe('pushing');
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect([loop.current().state, stopped]).toEqual(['stopping', false]);
    finish(result());
    await stopping;
    expect([loop.current().state, stopped, timers.pending()]).toEqual(['stopped', true, []]);
  });

  it('a fault of this process is reported and retried after a backoff, not a crash', async () => {
    const timers = new FakeTimers();
    const seen: unknown[] = [];
    let n = 0;
    const loop = new PushLoop(
      () => (++n === 1 ? Promise.reject(new Error('disk I/O error')) : Promise.resolve(result())),
      timers,
      (e) => seen.push(e instanceof Error ? e.message : 'cycle'),
    );
    loop.start();
    await timers.advance(0);
    expect(seen).toEqual(['disk I/O error']);
    expect(timers.pending()).toEqual([backoffMs(1, 0.5)]);
    await timers.advance(backoffMs(1, 0.5));
    expect(seen).toEqual(['disk I/O error', 'cycle']);
    await loop.stop();
  });
});
