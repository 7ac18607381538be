/** Wall-clock source, injected so tests can pin time. Returns epoch milliseconds (may be fractional). */
export interface Clock {
  now(): number;
}

/** The real clock, with sub-millisecond resolution where the platform offers it. */
export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
