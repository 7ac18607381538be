import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { resolveCondition } from './filter-ops.js';
import { type Condition, parseFilters } from './filters.js';
import { isNumeric } from './meta.js';
import {
  REAL_COLUMNS,
  DATETIME_COLUMNS,
  type Source,
  notPermitted,
  fieldMeta,
  knowsColumn,
  columnSql,
  isText,
  coerce,
  tableFieldFor,
} from './query-source.js';
import type { ListArgs } from './query.js';

// frappe.get_list `filters` and `or_filters` as a WHERE clause.

const listOf = (v: unknown): unknown[] =>
  Array.isArray(v)
    ? v
    : cstr(v)
        .split(',')
        .map((s) => s.trim());

/** One condition as SQL on a source, pushing its parameters. */
function conditionSql(ctx: SiteContext, src: Source, given: Condition, params: unknown[]): string {
  if (!knowsColumn(src.meta, given.field)) throw notPermitted(given.field);
  // timespan / previous / next → between; ancestors of / descendants of → in / not in.
  const c = resolveCondition(ctx, src.meta, given);
  const col = columnSql(src, c.field);
  const f = fieldMeta(src.meta, c.field);
  const fallback = f && isNumeric(f) && !DATETIME_COLUMNS.has(c.field) ? '0' : "''";
  const safe = REAL_COLUMNS.has(c.field)
    ? col
    : `ifnull(${col}, ${fallback})${isText(src.meta, c.field) ? ' COLLATE NOCASE' : ''}`;
  switch (c.op) {
    case 'is': {
      const set = cstr(c.value).toLowerCase() === 'set';
      return set ? `ifnull(${col}, '') != ''` : `ifnull(${col}, '') = ''`;
    }
    case 'in':
    case 'not in': {
      const values = listOf(c.value).map((v) => coerce(src.meta, c.field, v));
      if (values.length === 0) values.push('');
      params.push(...values);
      return `${safe} ${c.op === 'in' ? 'IN' : 'NOT IN'} (${values.map(() => '?').join(', ')})`;
    }
    case 'between': {
      const [from, to] = listOf(c.value);
      params.push(coerce(src.meta, c.field, from), coerce(src.meta, c.field, to, true));
      return `${safe} BETWEEN ? AND ?`;
    }
    case 'like':
    case 'not like':
      params.push(cstr(c.value));
      return `${safe} ${c.op === 'like' ? 'LIKE' : 'NOT LIKE'} ?`;
    default:
      params.push(coerce(src.meta, c.field, c.value));
      return `${safe} ${c.op} ?`;
  }
}

/** A condition on a child table: EXISTS over that table's rows of this parent. */
function childConditionSql(
  ctx: SiteContext,
  main: Source,
  c: Condition,
  params: unknown[],
): string {
  const tf = tableFieldFor(ctx, main.meta, c.doctype ?? '');
  const src: Source = { alias: 'x', meta: ctx.meta.require(tf.options) };
  params.push(tf.options, main.meta.name);
  const cond = conditionSql(ctx, src, c, params);
  return `EXISTS (SELECT 1 FROM docs x WHERE x.doctype = ? AND x.parenttype = ? AND x.parent = a.name AND ${cond})`;
}

export function whereSql(
  ctx: SiteContext,
  main: Source,
  args: ListArgs,
  params: unknown[],
): string {
  const one = (c: Condition): string =>
    c.doctype === undefined
      ? conditionSql(ctx, main, c, params)
      : childConditionSql(ctx, main, c, params);
  const and = parseFilters(args.filters, main.meta.name).map(one);
  const or = parseFilters(args.orFilters, main.meta.name).map(one);
  if (or.length > 0) and.push(`(${or.join(' OR ')})`);
  return and.length > 0 ? ` AND ${and.join(' AND ')}` : '';
}
