import { describe, expect, it, vi, afterEach } from 'vitest';
import { PullScheduler, BACKOFF_BASE_MS } from '../../src/sync/scheduler.js';
import { UnreachableError } from '../../src/erpnext/errors.js';

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

afterEach(() => {
  vi.useRealTimers();
});

describe('pull scheduler', () => {
  it('pulls at once, then every interval', async () => {
    vi.useFakeTimers();
    let pulls = 0;
    const s = new PullScheduler(() => Promise.resolve(void (pulls += 1)), 5 * 60_000, timers);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls).toBe(1);
    expect(s.current().connectivity).toBe('online');
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(pulls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pulls).toBe(2);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(pulls).toBe(4);
    s.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(pulls).toBe(4);
  });

  it('goes offline when ERPNext is unreachable, backs off, and comes back online by itself', async () => {
    vi.useFakeTimers();
    let down = true;
    let pulls = 0;
    const s = new PullScheduler(
      () => {
        pulls += 1;
        return down
          ? Promise.reject(new UnreachableError('http://x', 'ECONNREFUSED'))
          : Promise.resolve();
      },
      5 * 60_000,
      timers,
    );
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.current()).toMatchObject({ connectivity: 'offline', consecutiveFailures: 1 });
    await vi.advanceTimersByTimeAsync(BACKOFF_BASE_MS);
    expect(pulls).toBe(2);
    await vi.advanceTimersByTimeAsync(BACKOFF_BASE_MS * 2);
    expect(pulls).toBe(3);
    down = false;
    await vi.advanceTimersByTimeAsync(BACKOFF_BASE_MS * 4);
    expect(pulls).toBe(4);
    expect(s.current()).toMatchObject({
      connectivity: 'online',
      consecutiveFailures: 0,
      lastError: null,
    });
    s.stop();
  });

  it('pullNow during a pull runs one more right after, never two at once', async () => {
    vi.useFakeTimers();
    let active = 0;
    let maxActive = 0;
    let pulls = 0;
    const s = new PullScheduler(
      () =>
        new Promise<void>((resolve) => {
          active += 1;
          pulls += 1;
          maxActive = Math.max(maxActive, active);
          setTimeout(() => {
            active -= 1;
            resolve();
          }, 1000);
        }),
      60_000,
      timers,
    );
    s.start();
    await vi.advanceTimersByTimeAsync(10);
    const done = s.pullNow();
    await vi.advanceTimersByTimeAsync(3000);
    await done;
    expect(pulls).toBe(2);
    expect(maxActive).toBe(1);
    s.stop();
  });
});
