import type { SiteContext } from './context.js';
import { internalError, throwError } from './errors.js';
import { parseAggregate, unknownColumn } from './field-expr.js';
import type { FieldMeta } from './meta.js';
import { REAL_COLUMNS, type Source, knowsColumn, columnSql, isText } from './query-source.js';
import { type Selected, aggregateSql } from './query-select.js';

// frappe.get_list `order_by` and `group_by`, with the checks of
// DatabaseQuery.validate_order_by_and_group_by (frappe/model/db_query.py).

/** Blacklisted in order_by / group_by (DatabaseQuery.validate_order_by_and_group_by). */
const ORDER_GROUP_FUNCTIONS = [
  'sleep',
  'benchmark',
  'extractvalue',
  'database',
  'user',
  'current_user',
  'version',
  'substr',
  'substring',
].map((fn) => new RegExp(`\\b${fn}\\W*\\(`));

/** Frappe's checks on an order_by / group_by string before it reaches the database. */
function validateOrderGroup(parameters: string, tables: ReadonlySet<string>): void {
  if (/[^a-z0-9\-_ ,`'".()]/.test(parameters.toLowerCase())) {
    throw throwError('ValidationError', 'Illegal SQL Query');
  }
  for (const part of parameters.split(',')) {
    const field = part.trim();
    if (field.startsWith('`tab') && field.includes('.')) {
      const table = field.slice(0, field.indexOf('.'));
      if (!tables.has(table.replaceAll('`', ''))) {
        throw throwError(
          'ValidationError',
          `Please select atleast 1 column from ${table.slice(4, -1)} to sort/group`,
        );
      }
    }
    const lower = field.toLowerCase();
    for (const fn of ORDER_GROUP_FUNCTIONS) {
      if (fn.test(lower)) {
        throw throwError('ValidationError', `Cannot use ${field} in order/group by`);
      }
    }
  }
}

/** Tables a query reads (for validateOrderGroup): the doctype's and joined child tables'. */
export function queryTables(main: Source, joins: ReadonlyMap<string, FieldMeta>): Set<string> {
  return new Set([`tab${main.meta.name}`, ...[...joins.values()].map((tf) => `tab${tf.options}`)]);
}

/** A selected entry named by an order_by / group_by term (aliases compare case-insensitively). */
function selectedNamed(sel: Selected[] | 'star', term: string): Selected | undefined {
  if (sel === 'star') return undefined;
  const want = term.replaceAll('`', '').toLowerCase();
  return sel.find(
    (s) => s.key.toLowerCase() === want || s.key.replaceAll('`', '').toLowerCase() === want,
  );
}

const sortable = (s: Selected): string => `${s.sql}${s.text ? ' COLLATE NOCASE' : ''}`;

/**
 * Parse `order_by` into SQL: columns, aliases of selected fields and aggregates; an unknown
 * column fails as MariaDB did (500 OperationalError). Without one, grouped rows come back in
 * group order (MariaDB sorts GROUP BY output), aggregate-only rows in none.
 */
export function orderSql(
  main: Source,
  orderBy: string | undefined,
  sel: Selected[] | 'star',
  group: { readonly sql: readonly string[] } | undefined,
  tables: ReadonlySet<string>,
): string {
  if (!orderBy || !orderBy.trim()) {
    if (group) return group.sql.map((g) => `${g} ASC`).join(', ');
    if (sel !== 'star' && sel.some((s) => s.convert)) return '';
    // No ORDER BY in Frappe means MariaDB's primary-key order; child rows came back in idx order.
    return main.meta.istable ? 'a.parent ASC, a.idx ASC' : 'a.name ASC';
  }
  validateOrderGroup(orderBy, tables);
  return orderBy
    .split(',')
    .map((term) => {
      const m = /^(.*?)(?:\s+(asc|desc))?$/is.exec(term.trim());
      const rawCol = (m?.[1] ?? '').trim();
      const dir = m?.[2]?.toLowerCase() === 'desc' ? 'DESC' : 'ASC';
      const col = rawCol.replaceAll('`', '').replace(`tab${main.meta.name}.`, '');
      const named = selectedNamed(sel, rawCol);
      if (named && (named.convert || !knowsColumn(main.meta, col))) {
        return `${sortable(named)} ${dir}`;
      }
      if (!knowsColumn(main.meta, col)) {
        const aggregate = parseAggregate(main.meta, rawCol, 'ORDER BY');
        if (!aggregate) throw unknownColumn(col, 'ORDER BY');
        return `${aggregateSql(main, aggregate).sql} ${dir}`;
      }
      const collate = !REAL_COLUMNS.has(col) && isText(main.meta, col) ? ' COLLATE NOCASE' : '';
      return `${columnSql(main, col)}${collate} ${dir}`;
    })
    .join(', ');
}

/**
 * Parse `group_by` into SQL expressions: columns of the doctype (or of a joined child table,
 * `tabChild.column`), else aliases of selected columns, compared case-insensitively as MariaDB's
 * collation does.
 */
export function groupBySql(
  ctx: SiteContext,
  main: Source,
  groupBy: string,
  sel: Selected[] | 'star',
  joins: ReadonlyMap<string, FieldMeta>,
): string[] {
  validateOrderGroup(groupBy, queryTables(main, joins));
  return groupBy.split(',').map((term) => {
    const raw = term.trim();
    const clean = raw.replaceAll('`', '');
    const dot = clean.lastIndexOf('.');
    let src = main;
    let col = clean;
    if (dot >= 0 && clean.startsWith('tab')) {
      const doctype = clean.slice(3, dot);
      col = clean.slice(dot + 1);
      const joined = [...joins.values()].findIndex((tf) => tf.options === doctype);
      if (doctype !== main.meta.name && joined >= 0) {
        src = { alias: `c${joined}`, meta: ctx.meta.require(doctype) };
      } else if (doctype !== main.meta.name) {
        throw unknownColumn(clean, 'GROUP BY');
      }
    }
    if (knowsColumn(src.meta, col)) {
      const text = !REAL_COLUMNS.has(col) && isText(src.meta, col);
      return `${columnSql(src, col)}${text ? ' COLLATE NOCASE' : ''}`;
    }
    const named = selectedNamed(sel, raw);
    if (named?.convert) {
      throw internalError('OperationalError', `(1056, "Can't group on '${clean}'")`, 'pymysql.err');
    }
    if (named) return sortable(named);
    throw unknownColumn(clean, 'GROUP BY');
  });
}
