import { internalError } from './errors.js';

/** What a list request's paging arguments become: 0 = no limit. */
interface Page {
  readonly pageLength: number;
  readonly start: number;
}

/** Largest integer MariaDB's grammar takes as a LIMIT/OFFSET literal (ULONGLONG_NUM). */
const ULONGLONG_MAX = 2n ** 64n - 1n;
/** Beyond this no table has rows; SQLite's own LIMIT stops at 2^63 - 1. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Frappe's `cint` (frappe/utils/data.py): `int(s)`, else `int(float(s))`, else 0. Python
 * integers are unbounded, so the result is a bigint: a page length of 10^20 stays 10^20.
 */
function pyCint(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v !== 'string') return 0n;
  const text = v.trim().replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?\d+$/.test(text)) return BigInt(text);
  // float() accepts what Number() does for decimal text, minus JS-only forms (hex, '').
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return 0n;
  const f = Number(text);
  return Number.isFinite(f) ? BigInt(Math.trunc(f)) : 0n;
}

/** pymysql's ProgrammingError for MariaDB's parse error (1064) at the query's LIMIT line. */
function syntaxError(near: string): Error {
  // DatabaseQuery.build_and_run puts `{limit}` on the sixth line of its SELECT.
  return internalError(
    'ProgrammingError',
    `(1064, "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '${near}' at line 6")`,
    'pymysql.err',
  );
}

/**
 * Paging as `DatabaseQuery.add_limit` (frappe/model/db_query.py) writes it into SQL:
 * `limit {cint(page_length)} offset {cint(start)}` only when the page length is non-zero, so
 * a start without a page length is ignored. MariaDB refuses a negative or wider than 64-bit
 * literal there with a syntax error, which Frappe lets escape as HTTP 500.
 */
export function pageOf(pageLength: unknown, start: unknown): Page {
  const length = pyCint(pageLength);
  if (length === 0n) return { pageLength: 0, start: 0 };
  const offset = pyCint(start);
  if (length < 0n || length > ULONGLONG_MAX) throw syntaxError(`${length} offset ${offset}`);
  if (offset < 0n || offset > ULONGLONG_MAX) throw syntaxError(`${offset}`);
  const clamp = (n: bigint): number => Number(n > SAFE ? SAFE : n);
  return { pageLength: clamp(length), start: clamp(offset) };
}
