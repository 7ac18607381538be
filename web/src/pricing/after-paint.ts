/** At most this long before `afterPaint` runs its callback anyway (a hidden tab has no frames). */
export const AFTER_PAINT_LIMIT_MS = 100;

/** The part of the page's window `afterPaint` uses (the window itself in the screen). */
export interface Frames {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(handle: number): void;
}

/**
 * Runs `fn` once the next frame is painted (a task after its animation frame), or after
 * AFTER_PAINT_LIMIT_MS when no frame comes; returns the cancel. The scan's work that the
 * cashier does not see (asking the node for its price: the request's body, fetch's own setup,
 * the node's pricing on the same few cores) would otherwise run before the frame that shows
 * the priced line.
 */
export function afterPaint(fn: () => void, frames: Frames): () => void {
  let done = false;
  let task: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  const frame = frames.requestAnimationFrame(() => {
    task = setTimeout(run, 0);
  });
  const limit = setTimeout(run, AFTER_PAINT_LIMIT_MS);
  return () => {
    done = true;
    frames.cancelAnimationFrame(frame);
    clearTimeout(task);
    clearTimeout(limit);
  };
}
