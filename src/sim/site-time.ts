import type { Clock } from './clock.js';

/** Calendar parts of an instant as seen in the site's time zone. */
interface SiteParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}

/**
 * Frappe stores `creation`/`modified` as naive datetime(6) strings in the site time zone
 * ("2026-11-27 01:51:14.112605"). `stamp()` is strictly increasing: a keyset cursor on
 * (modified, name) must never see two writes share a timestamp, even when the clock stalls or
 * steps back.
 */
export class SiteTime {
  private lastMicros = 0;
  private readonly fmt: Intl.DateTimeFormat;

  constructor(
    private readonly clock: Clock,
    readonly timeZone: string,
  ) {
    this.fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** The site's clock, in epoch milliseconds (what the HTTP `Date` header states). */
  nowMs(): number {
    return this.clock.now();
  }

  /** A fresh datetime(6) string, later than every earlier one from this instance. */
  stamp(): string {
    let micros = Math.floor(this.clock.now() * 1000);
    if (micros <= this.lastMicros) micros = this.lastMicros + 1;
    this.lastMicros = micros;
    return this.format(micros);
  }

  /** The current site time as a stamp, without reserving it (reads only). */
  peek(): string {
    return this.format(Math.floor(this.clock.now() * 1000));
  }

  /**
   * Never stamp at or before `stamp` (a stored modified/creation): after a restart, or past rows
   * bulk-loaded with later times, the next write still sorts after everything already stored.
   */
  observe(stamp: string): void {
    const micros = this.parse(stamp);
    if (micros !== undefined && micros > this.lastMicros) this.lastMicros = micros;
  }

  /** Today's date (YYYY-MM-DD) in the site time zone. */
  today(): string {
    const p = this.parts(this.clock.now());
    return `${p.year}-${p.month}-${p.day}`;
  }

  /** Current calendar parts, for naming series (YYYY, MM, DD). */
  parts(ms: number = this.clock.now()): SiteParts {
    const out: Record<string, string> = {};
    for (const part of this.fmt.formatToParts(new Date(Math.floor(ms))))
      out[part.type] = part.value;
    return {
      year: out['year'] ?? '0000',
      month: out['month'] ?? '00',
      day: out['day'] ?? '00',
      hour: out['hour'] ?? '00',
      minute: out['minute'] ?? '00',
      second: out['second'] ?? '00',
    };
  }

  /** Epoch microseconds of a naive site-time datetime string (inverse of `format`). */
  private parse(stamp: string): number | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(stamp);
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s, frac = ''] = m;
    const wall = Date.UTC(+(y ?? 0), +(mo ?? 1) - 1, +(d ?? 1), +(h ?? 0), +(mi ?? 0), +(s ?? 0));
    // The zone's offset at that wall time: format a guess, see how far off it reads, correct.
    let utc = wall;
    for (let i = 0; i < 2; i++) {
      const p = this.parts(utc);
      const seen = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
      utc += wall - seen;
    }
    return utc * 1000 + Number(frac.padEnd(6, '0'));
  }

  private format(micros: number): string {
    const p = this.parts(Math.floor(micros / 1000));
    const frac = String(micros % 1_000_000).padStart(6, '0');
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${frac}`;
  }
}
