import { zonedTime } from '../core/index.js';

/** `at` as a naive datetime in `zone` ("2026-11-27 08:30:00"), as Frappe stores timestamps. */
export function siteTime(at: Date, zone: string): string {
  const { date, time } = zonedTime(at, zone);
  return `${date} ${time}`;
}

/** Moves a Frappe datetime string ('YYYY-MM-DD HH:MM:SS[.ffffff]') by whole seconds. */
export function shiftSeconds(modified: string, seconds: number): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(modified);
  if (!m) return modified;
  const t = new Date(`${m[1]}T${m[2]}Z`);
  t.setUTCSeconds(t.getUTCSeconds() + seconds);
  return `${t.toISOString().slice(0, 10)} ${t.toISOString().slice(11, 19)}${m[3] ?? ''}`;
}
