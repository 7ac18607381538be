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
