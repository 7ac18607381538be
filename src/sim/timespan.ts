import { internalError } from './errors.js';

/**
 * Date ranges of Frappe's `timespan`, `previous` and `next` filter operators
 * (frappe.utils.data.get_timespan_date_range and frappe.model.db_query.get_date_range), on
 * plain "YYYY-MM-DD" dates. `today` is the site's date; weeks start on System Settings'
 * `first_day_of_the_week` (Frappe's default: Sunday).
 */

/** A calendar date as UTC midnight (only the date parts are ever read). */
type Day = Date;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function parseDay(iso: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`not a date: ${iso}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

function formatDay(d: Day): string {
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

const ymd = (y: number, m0: number, d: number): Day => new Date(Date.UTC(y, m0, d));

function addDays(d: Day, days: number): Day {
  return ymd(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);
}

/** dateutil's relativedelta(months=…): the day is clamped to the target month's length. */
function addMonths(d: Day, months: number): Day {
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const last = ymd(year, month0 + 1, 0).getUTCDate();
  return ymd(year, month0, Math.min(d.getUTCDate(), last));
}

const firstDay = (d: Day): Day => ymd(d.getUTCFullYear(), d.getUTCMonth(), 1);
const lastDay = (d: Day): Day => ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
const yearStart = (d: Day): Day => ymd(d.getUTCFullYear(), 0, 1);
const yearEnding = (d: Day): Day => ymd(d.getUTCFullYear(), 11, 31);
const quarterStart = (d: Day): Day =>
  ymd(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
/** The end of the quarter holding `d` (the earliest quarter end on or after it). */
const quarterEnding = (d: Day): Day =>
  ymd(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + 3, 0);

function firstDayOfWeek(d: Day, weekStart: number): Day {
  const current = d.getUTCDay(); // Sunday = 0, as Frappe's normalized weekday index
  const offset = current >= weekStart ? current - weekStart : 7 - (weekStart - current);
  return addDays(d, -offset);
}

/** The 0-based weekday index (Sunday = 0) of System Settings' first_day_of_the_week. */
export function weekStartIndex(firstDayOfTheWeek: unknown): number {
  const i = WEEKDAYS.indexOf(typeof firstDayOfTheWeek === 'string' ? firstDayOfTheWeek : '');
  return i < 0 ? 0 : i;
}

/** get_timespan_date_range: `[from, to]` dates, or undefined for a value Frappe does not know. */
function timespanRange(
  timespan: unknown,
  todayIso: string,
  weekStart = 0,
): [string, string] | undefined {
  const today = parseDay(todayIso);
  const week = (d: Day): [Day, Day] => {
    const first = firstDayOfWeek(d, weekStart);
    return [first, addDays(first, 6)];
  };
  const range = ((): [Day, Day] | undefined => {
    switch (timespan) {
      case 'last 7 days':
        return [addDays(today, -7), today];
      case 'last 14 days':
        return [addDays(today, -14), today];
      case 'last 30 days':
        return [addDays(today, -30), today];
      case 'last 90 days':
        return [addDays(today, -90), today];
      case 'last week':
        return week(addDays(today, -7));
      case 'last month':
        return [firstDay(addMonths(today, -1)), lastDay(addMonths(today, -1))];
      case 'last quarter':
        return [quarterStart(addMonths(today, -3)), quarterEnding(addMonths(today, -3))];
      case 'last 6 months':
        return [quarterStart(addMonths(today, -6)), quarterEnding(addMonths(today, -3))];
      case 'last year':
        return [yearStart(addMonths(today, -12)), yearEnding(addMonths(today, -12))];
      case 'yesterday':
        return [addDays(today, -1), addDays(today, -1)];
      case 'today':
        return [today, today];
      case 'tomorrow':
        return [addDays(today, 1), addDays(today, 1)];
      case 'this week':
        return week(today);
      case 'this month':
        return [firstDay(today), lastDay(today)];
      case 'this quarter':
        return [quarterStart(today), quarterEnding(today)];
      case 'this year':
        return [yearStart(today), yearEnding(today)];
      case 'next 7 days':
        return [today, addDays(today, 7)];
      case 'next 14 days':
        return [today, addDays(today, 14)];
      case 'next 30 days':
        return [today, addDays(today, 30)];
      case 'next week':
        return week(addDays(today, 7));
      case 'next month':
        return [firstDay(addMonths(today, 1)), lastDay(addMonths(today, 1))];
      case 'next quarter':
        return [quarterStart(addMonths(today, 3)), quarterEnding(addMonths(today, 3))];
      case 'next 6 months':
        return [quarterStart(addMonths(today, 3)), quarterEnding(addMonths(today, 6))];
      case 'next year':
        return [yearStart(addMonths(today, 12)), yearEnding(addMonths(today, 12))];
      default:
        return undefined;
    }
  })();
  return range && [formatDay(range[0]), formatDay(range[1])];
}

/** `previous` / `next` values and the timespan each stands for (db_query.get_date_range). */
const PERIODS: ReadonlyMap<string, string> = new Map([
  ['1 week', 'week'],
  ['1 month', 'month'],
  ['3 months', 'quarter'],
  ['6 months', '6 months'],
  ['1 year', 'year'],
]);

/**
 * The `[from, to]` dates a `timespan` / `previous` / `next` filter compares with: Frappe turns
 * it into `between`, and a timespan it does not know (None) into today..today
 * (get_between_date_filter's fallback). A `previous`/`next` value outside its map is a KeyError.
 */
export function dateRange(
  op: 'timespan' | 'previous' | 'next',
  value: unknown,
  todayIso: string,
  weekStart = 0,
): [string, string] {
  let timespan = value;
  if (op !== 'timespan') {
    const key = typeof value === 'string' ? value : JSON.stringify(value);
    const period = PERIODS.get(key);
    if (period === undefined) throw internalError('KeyError', `'${key}'`, '');
    timespan = `${op === 'previous' ? 'last' : 'next'} ${period}`;
  }
  return timespanRange(timespan, todayIso, weekStart) ?? [todayIso, todayIso];
}
