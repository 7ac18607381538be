/**
 * A barcode scanner in keyboard-wedge mode types its code far faster than a person, then
 * Enter. A burst is at least MIN_LENGTH printable keys typed at MAX_MEAN_GAP_MS a key or
 * faster on average, ended by Enter: that is a scan, whatever has the focus. The mean, not
 * every gap, so one key delayed by a busy page does not lose a scan; a pause longer than
 * RESET_MS starts over. A person types 80 ms or more a key and is left alone.
 */
export const MAX_MEAN_GAP_MS = 35;
export const RESET_MS = 250;
export const MIN_LENGTH = 4;

export class BurstDetector {
  private buffer = '';
  private start = 0;
  private last = -Infinity;

  /** Feeds one key (KeyboardEvent.key) at `at` ms; returns the scanned code when Enter ends a burst. */
  feed(key: string, at: number): string | null {
    const fresh = at - this.last > RESET_MS;
    this.last = at;
    if (key === 'Enter') {
      const n = this.buffer.length;
      const fast = !fresh && n >= MIN_LENGTH && (at - this.start) / n <= MAX_MEAN_GAP_MS;
      const code = fast ? this.buffer : null;
      this.buffer = '';
      return code;
    }
    if (key.length !== 1) {
      this.buffer = '';
      return null;
    }
    if (fresh || this.buffer === '') {
      this.buffer = key;
      this.start = at;
    } else this.buffer += key;
    return null;
  }
}

/**
 * Listens on the whole window (capture phase, so no field has to have the focus) and calls
 * `onScan` for each burst. A burst typed into a text field is taken out of it again by the
 * caller (`onScan` gets the field), so a scan in the search box does not also search.
 */
export function listenForScans(
  target: Window,
  onScan: (code: string, field: HTMLInputElement | null) => void,
): () => void {
  const detector = new BurstDetector();
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    // The event's own time: when the key came, not when a busy page got round to it.
    const code = detector.feed(e.key, e.timeStamp);
    if (code === null) return;
    e.preventDefault();
    e.stopPropagation();
    const field = e.target instanceof HTMLInputElement ? e.target : null;
    onScan(code, field);
  };
  target.addEventListener('keydown', onKey, { capture: true });
  return () => target.removeEventListener('keydown', onKey, { capture: true });
}
