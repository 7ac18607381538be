import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AFTER_PAINT_LIMIT_MS,
  afterPaint,
  type Frames,
} from '../../web/src/pricing/after-paint.js';

// The node's price is asked after the frame that shows the page's: in the task after the next
// animation frame, or after the limit when no frame comes (a hidden tab), and never once
// cancelled (the cart changed before the frame).

type Frame = (time: number) => void;
let frames: Map<number, Frame>;
let window: Frames;

beforeEach(() => {
  vi.useFakeTimers();
  frames = new Map();
  let next = 1;
  window = {
    requestAnimationFrame: (cb: Frame) => {
      frames.set(next, cb);
      return next++;
    },
    cancelAnimationFrame: (id: number) => frames.delete(id),
  };
});

afterEach(() => {
  vi.useRealTimers();
});

const paintFrame = () => {
  const due = [...frames.values()];
  frames.clear();
  for (const cb of due) cb(performance.now());
};

describe('afterPaint', () => {
  it('runs in the task after the next frame, once', () => {
    const fn = vi.fn();
    afterPaint(fn, window);
    vi.advanceTimersByTime(AFTER_PAINT_LIMIT_MS - 1);
    expect(fn).toHaveBeenCalledTimes(0);
    paintFrame();
    expect(fn).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(AFTER_PAINT_LIMIT_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('runs after the limit when no frame comes, once', () => {
    const fn = vi.fn();
    afterPaint(fn, window);
    vi.advanceTimersByTime(AFTER_PAINT_LIMIT_MS);
    expect(fn).toHaveBeenCalledTimes(1);
    paintFrame();
    vi.advanceTimersByTime(AFTER_PAINT_LIMIT_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled, before or after the frame', () => {
    const before = vi.fn();
    afterPaint(before, window)();
    const after = vi.fn();
    const cancel = afterPaint(after, window);
    paintFrame();
    cancel();
    vi.advanceTimersByTime(AFTER_PAINT_LIMIT_MS);
    expect([before.mock.calls.length, after.mock.calls.length, frames.size]).toEqual([0, 0, 0]);
  });
});
