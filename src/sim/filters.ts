import { FrappeError, internalError, throwError } from './errors.js';

/** One normalized condition: `[doctype?, field, operator, value]` in any of Frappe's shapes. */
export interface Condition {
  readonly doctype: string | undefined;
  readonly field: string;
  readonly op: string;
  readonly value: unknown;
}

/** Python's json.loads failure → HTTP 500 JSONDecodeError, as Frappe lets it escape. */
export function parseJsonArg(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    const value: unknown = JSON.parse(raw);
    return value;
  } catch (e) {
    throw internalError(
      'JSONDecodeError',
      e instanceof Error ? e.message : String(e),
      'json.decoder',
    );
  }
}

/** Frappe v15's get_filter operators, in the order its "Operator must be one of" lists them. */
const OPERATORS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'like',
  'not like',
  'in',
  'not in',
  'is',
  'between',
  'timespan',
  'previous',
  'next',
  'ancestors of',
  'descendants of',
  'not ancestors of',
  'not descendants of',
  'descendants of (inclusive)',
] as const;
const OPS: ReadonlySet<string> = new Set(OPERATORS);

/** The nested-set operators (frappe.database.utils.NestedSetHierarchy). */
export const TREE_OPS: ReadonlySet<string> = new Set(OPERATORS.slice(15));
/** The operators Frappe turns into `between` two dates. */
export const DATE_RANGE_OPS: ReadonlySet<string> = new Set(['timespan', 'previous', 'next']);

function fromList(item: unknown[], mainDoctype: string): Condition {
  if (item.length === 2)
    return { doctype: undefined, field: String(item[0]), op: '=', value: item[1] };
  const [a, b, c, d] = item;
  const [doctype, field, op, value] =
    item.length >= 4 ? [String(a), String(b), String(c), d] : [undefined, String(a), String(b), c];
  return {
    doctype: doctype === mainDoctype ? undefined : doctype,
    field,
    op: op.toLowerCase(),
    value,
  };
}

/** Normalize `filters` / `or_filters` (dict, list of lists, or their JSON) into conditions. */
export function parseFilters(raw: unknown, mainDoctype: string): Condition[] {
  const value = parseJsonArg(raw);
  if (value === null || value === undefined || value === '') return [];
  const out: Condition[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (Array.isArray(item)) out.push(fromList(item, mainDoctype));
      else if (item && typeof item === 'object') out.push(...parseFilters(item, mainDoctype));
      else throw throwError('ValidationError', `Invalid filter: ${JSON.stringify(item)}`);
    }
  } else if (typeof value === 'object') {
    for (const [field, v] of Object.entries(value)) {
      if (Array.isArray(v) && typeof v[0] === 'string' && OPS.has(v[0].toLowerCase())) {
        out.push({ doctype: undefined, field, op: v[0].toLowerCase(), value: v[1] });
      } else {
        out.push({ doctype: undefined, field, op: '=', value: v });
      }
    }
  } else {
    throw throwError('ValidationError', `Invalid filters: ${JSON.stringify(value)}`);
  }
  for (const c of out) {
    if (!OPS.has(c.op)) {
      throw new FrappeError(
        'ValidationError',
        417,
        `Operator must be one of ${[...OPS].join(', ')}`,
      );
    }
  }
  return out;
}

/**
 * A datetime filter value as Frappe's get_datetime reads it, rendered like the stored column:
 * "T" becomes a space and a trailing "Z" or UTC offset is dropped without converting (the real
 * server compared "…T06:47:19+00:00" as 06:47:19 site time); missing parts become zeros.
 */
export function normalizeDatetime(value: string, endOfDay = false): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?/.exec(
    value.trim(),
  );
  if (!m) return value;
  if (m[2] === undefined) return `${m[1]} ${endOfDay ? '23:59:59.999999' : '00:00:00.000000'}`;
  return `${m[1]} ${m[2]}:${m[3]}:${m[4] ?? '00'}.${(m[5] ?? '').padEnd(6, '0')}`;
}
