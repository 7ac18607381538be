/** Wall-clock date and time in an IANA time zone, as ERPNext stores them (naive, site-local). */
interface ZonedTime {
  /** "2026-11-27" */
  readonly date: string;
  /** "08:30:00" */
  readonly time: string;
  /** The zone's UTC offset at that instant: "-05:00", "+00:00". */
  readonly offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The instant `at` (epoch ms or Date) on the wall clocks of `zone`. */
export function zonedTime(at: number | Date, zone: string): ZonedTime {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const name = parts['timeZoneName'] ?? 'GMT';
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}`,
    offset: name === 'GMT' ? '+00:00' : name.replace('GMT', ''),
  };
}
