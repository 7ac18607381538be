import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { columnsOf } from './doc-shape.js';
import {
  decimalAvg,
  decimalSum,
  registerDecimalAggregates,
  scaledToNumber,
  scaleOf,
  toScaled,
} from './decimal-agg.js';
import { FrappeError, internalError, throwError, thrownMessage } from './errors.js';
import type { AggregateExpr } from './field-expr.js';
import {
  isExpressionField,
  parseAggregate,
  parseExpressionField,
  unknownColumn,
} from './field-expr.js';
import { resolveCondition } from './filter-ops.js';
import type { Condition } from './filters.js';
import { normalizeDatetime, parseFilters, parseJsonArg } from './filters.js';
import type { DocMeta, FieldMeta } from './meta.js';
import { CHILD_FIELDS, fieldOf, isFloat, isInt, isNumeric, isTable } from './meta.js';
import { parseExtracted, parseStoredDoc } from './stored-json.js';

/** frappe.get_list arguments after the HTTP layer decoded them. */
export interface ListArgs {
  readonly doctype: string;
  readonly fields?: unknown;
  readonly filters?: unknown;
  readonly orFilters?: unknown;
  readonly orderBy?: string | undefined;
  /** `group_by`: columns (of the doctype or a selected child table) or select aliases. */
  readonly groupBy?: string | undefined;
  readonly start?: number;
  /** 0 = no limit. */
  readonly pageLength?: number;
}

const INT_COLUMN: FieldMeta = {
  fieldname: 'docstatus',
  fieldtype: 'Int',
  label: '',
  options: '',
  reqd: false,
  unique: false,
  default: undefined,
  allowOnSubmit: false,
  noCopy: false,
  fetchFrom: undefined,
  fetchIfEmpty: false,
};
const REAL_COLUMNS = new Set(['name', 'creation', 'modified', 'docstatus', 'idx', ...CHILD_FIELDS]);
const DATETIME_COLUMNS = new Set(['creation', 'modified']);

/** A table in the query: the main doctype (alias "a") or a joined child table. */
interface Source {
  readonly alias: string;
  readonly meta: DocMeta;
}

const notPermitted = (field: string): FrappeError =>
  new FrappeError('DataError', 417, `Field not permitted in query: ${field}`, {
    messages: [thrownMessage(`Field not permitted in query: ${field}`)],
  });

function fieldMeta(meta: DocMeta, column: string): FieldMeta | undefined {
  if (column === 'docstatus' || column === 'idx') return INT_COLUMN;
  return fieldOf(meta, column);
}

function knowsColumn(meta: DocMeta, column: string): boolean {
  return meta.columnSet.has(column);
}

/** SQL expression of a column of a source row. */
function columnSql(src: Source, column: string): string {
  if (REAL_COLUMNS.has(column)) return `${src.alias}.${column}`;
  return `json_extract(${src.alias}.data, '$.${column}')`;
}

/** A text column compares case-insensitively, as MariaDB's default collation does. */
function isText(meta: DocMeta, column: string): boolean {
  const f = fieldMeta(meta, column);
  return !DATETIME_COLUMNS.has(column) && !(f && (isNumeric(f) || f.fieldtype === 'Datetime'));
}

/** Coerce a filter value to the column's stored type (Frappe casts "1" to 1 for Check). */
function coerce(meta: DocMeta, column: string, value: unknown, endOfDay = false): unknown {
  const f = fieldMeta(meta, column);
  const isDatetime = DATETIME_COLUMNS.has(column) || f?.fieldtype === 'Datetime';
  if (value === null || value === undefined) return isDatetime || !f || !isNumeric(f) ? '' : 0;
  if (isDatetime && typeof value === 'string') return normalizeDatetime(value, endOfDay);
  if (f && isNumeric(f)) {
    const n = Number(value);
    return Number.isFinite(n) ? (isInt(f) ? Math.trunc(n) : n) : 0;
  }
  return typeof value === 'string' ? value : cstr(value);
}

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

/** Resolve a child doctype to the parent's table field holding it. */
function tableFieldFor(ctx: SiteContext, meta: DocMeta, childDoctype: string): FieldMeta {
  const f = meta.fields.find((x) => isTable(x) && x.options === childDoctype);
  if (!f || !ctx.meta.get(childDoctype)) throw notPermitted(childDoctype);
  return f;
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

interface Selected {
  readonly key: string;
  readonly sql: string;
  /** Set for a column read out of a source's JSON document (not a real column). */
  readonly json?: { readonly alias: string; readonly column: string };
  /** Sorts and groups case-insensitively (a text column, as under MariaDB's collation). */
  readonly text?: boolean;
  /** Set for an aggregate: its SQL value → the value Frappe returns. */
  readonly convert?: (v: unknown) => unknown;
}

/** A selected column, with where its JSON value comes from when it is not a real column. */
function selected(key: string, src: Source, column: string): Selected {
  const text = !REAL_COLUMNS.has(column) && isText(src.meta, column);
  return REAL_COLUMNS.has(column)
    ? { key, sql: columnSql(src, column) }
    : { key, sql: columnSql(src, column), json: { alias: src.alias, column }, text };
}

const same = (v: unknown): unknown => v ?? null;

/**
 * An aggregate over a main-doctype column, typed as MariaDB hands it to Frappe: count → int;
 * sum / avg of a numeric column → its exact decimal as a float (sums of decimal(21,9) columns are
 * exact, not float sums); min / max → the column's own type. Numeric columns are NOT NULL
 * DEFAULT 0 in Frappe, so a value missing from a stored document counts as 0.
 */
function aggregateSql(
  main: Source,
  a: AggregateExpr,
): { sql: string; convert: (v: unknown) => unknown } {
  const distinct = a.distinct ? 'DISTINCT ' : '';
  if (a.column === '*') return { sql: `count(${distinct}*)`, convert: (v) => Number(v) };
  const f = fieldMeta(main.meta, a.column);
  const numeric = !!f && isNumeric(f) && !DATETIME_COLUMNS.has(a.column);
  const col = columnSql(main, a.column);
  const arg = REAL_COLUMNS.has(a.column)
    ? col
    : numeric
      ? `ifnull(${col}, 0)`
      : isText(main.meta, a.column)
        ? `${col} COLLATE NOCASE`
        : col;
  const scale = numeric && f ? scaleOf(f.fieldtype) : undefined;
  switch (a.fn) {
    case 'count':
      return { sql: `count(${distinct}${arg})`, convert: (v) => Number(v) };
    case 'sum':
    case 'avg': {
      if (scale === undefined) return { sql: `${a.fn}(${distinct}${arg})`, convert: same };
      const fn = a.fn === 'sum' ? decimalSum(scale) : decimalAvg(scale);
      return { sql: `${fn}(${distinct}${arg})`, convert: same };
    }
    default: {
      const decimal = f && isFloat(f) && scale !== undefined ? scale : undefined;
      const convert =
        decimal === undefined
          ? same
          : (v: unknown): unknown => {
              const scaled = toScaled(v, decimal);
              return scaled === undefined ? null : scaledToNumber(scaled, decimal);
            };
      return { sql: `${a.fn}(${distinct}${arg})`, convert };
    }
  }
}

/** Parse `fields` into output keys and SQL expressions, registering child-table joins. */
function selectFields(
  ctx: SiteContext,
  main: Source,
  rawFields: unknown,
  joins: Map<string, FieldMeta>,
): Selected[] | 'star' {
  const parsed = parseJsonArg(rawFields);
  const list = (Array.isArray(parsed) ? parsed : parsed ? [parsed] : ['name']).map((x) => cstr(x));
  if (list.length === 1 && list[0] === '*') return 'star';
  const out: Selected[] = [];
  for (const spec of list) {
    if (isExpressionField(spec)) {
      const a = parseExpressionField(ctx, main.meta, spec);
      out.push({ key: a.key, ...aggregateSql(main, a) });
      continue;
    }
    const [expr = '', alias] = spec.split(/\s+as\s+/i).map((s) => s.trim());
    const clean = expr.replaceAll('`', '');
    if (clean === '*') {
      for (const c of columnsOf(main.meta)) out.push(selected(c, main, c));
      continue;
    }
    const dot = clean.lastIndexOf('.');
    if (dot < 0) {
      if (!knowsColumn(main.meta, clean)) throw notPermitted(clean);
      out.push(selected(alias ?? clean, main, clean));
      continue;
    }
    const table = clean.slice(0, dot);
    const column = clean.slice(dot + 1);
    if (table === `tab${main.meta.name}`) {
      if (!knowsColumn(main.meta, column)) throw notPermitted(clean);
      out.push(selected(alias ?? column, main, column));
      continue;
    }
    const tf = table.startsWith('tab')
      ? tableFieldFor(ctx, main.meta, table.slice(3))
      : fieldOf(main.meta, table);
    if (!tf || !isTable(tf)) throw notPermitted(clean);
    if (!joins.has(tf.fieldname)) joins.set(tf.fieldname, tf);
    const alias2 = `c${[...joins.keys()].indexOf(tf.fieldname)}`;
    const childMeta = ctx.meta.require(tf.options);
    if (!knowsColumn(childMeta, column)) throw notPermitted(clean);
    out.push(selected(alias ?? column, { alias: alias2, meta: childMeta }, column));
  }
  return out;
}

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
function queryTables(main: Source, joins: ReadonlyMap<string, FieldMeta>): Set<string> {
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
function orderSql(
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
function groupBySql(
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

function whereSql(ctx: SiteContext, main: Source, args: ListArgs, params: unknown[]): string {
  const one = (c: Condition): string =>
    c.doctype === undefined
      ? conditionSql(ctx, main, c, params)
      : childConditionSql(ctx, main, c, params);
  const and = parseFilters(args.filters, main.meta.name).map(one);
  const or = parseFilters(args.orFilters, main.meta.name).map(one);
  if (or.length > 0) and.push(`(${or.join(' OR ')})`);
  return and.length > 0 ? ` AND ${and.join(' AND ')}` : '';
}

/**
 * frappe.get_list over the store: fields (aggregates too), filters, or_filters, child fields,
 * group_by, order, paging.
 */
export function getList(ctx: SiteContext, args: ListArgs): Record<string, unknown>[] {
  registerDecimalAggregates(ctx.db.sql); // once per connection; fields or order_by may use them
  const main: Source = { alias: 'a', meta: ctx.meta.require(args.doctype) };
  const joins = new Map<string, FieldMeta>();
  const selected = selectFields(ctx, main, args.fields, joins);
  const params: unknown[] = [];
  const joinSql = [...joins.values()]
    .map((tf, i) => {
      params.push(tf.options, main.meta.name, tf.fieldname);
      return ` LEFT JOIN docs c${i} ON c${i}.doctype = ? AND c${i}.parent = a.name AND c${i}.parenttype = ? AND c${i}.parentfield = ?`;
    })
    .join('');
  params.push(main.meta.name);
  const where = whereSql(ctx, main, args, params);
  const groupTerms = args.groupBy?.trim()
    ? groupBySql(ctx, main, args.groupBy, selected, joins)
    : undefined;
  const order = orderSql(
    main,
    args.orderBy,
    selected,
    groupTerms && { sql: groupTerms },
    queryTables(main, joins),
  );
  const tail = `${groupTerms ? ` GROUP BY ${groupTerms.join(', ')}` : ''}${order ? ` ORDER BY ${order}` : ''}`;
  const limit = args.pageLength
    ? ` LIMIT ${Math.trunc(args.pageLength)} OFFSET ${Math.trunc(args.start ?? 0)}`
    : args.start
      ? ` LIMIT -1 OFFSET ${Math.trunc(args.start)}`
      : '';
  if (selected === 'star') {
    const sql = `SELECT a.data AS data FROM docs a${joinSql} WHERE a.doctype = ?${where}${tail}${limit}`;
    const rows = ctx.db.sql.prepare(sql).all(...params) as Record<string, unknown>[];
    const columns = columnsOf(main.meta);
    return rows.map((r) => {
      const data = parseStoredDoc(cstr(r['data']), `docs: ${main.meta.name}`);
      return Object.fromEntries(columns.map((c) => [c, data[c] ?? null]));
    });
  }
  // Several columns of one document come out of one json_extract (a JSON array of the values):
  // SQLite then parses each stored document once per row instead of once per column.
  const byAlias = new Map<string, Selected[]>();
  for (const s of selected) {
    if (s.json) byAlias.set(s.json.alias, [...(byAlias.get(s.json.alias) ?? []), s]);
  }
  const grouped = new Map<Selected, { group: number; index: number }>();
  const groupSql: string[] = [];
  for (const [alias, list] of byAlias) {
    if (list.length < 2) continue;
    list.forEach((s, index) => grouped.set(s, { group: groupSql.length, index }));
    groupSql.push(
      `json_extract(${alias}.data, ${list.map((s) => `'$.${s.json?.column ?? ''}'`).join(', ')}) AS g${groupSql.length}`,
    );
  }
  const cols = [
    ...selected.flatMap((s, i) => (grouped.has(s) ? [] : [`${s.sql} AS f${i}`])),
    ...groupSql,
  ].join(', ');
  const sql = `SELECT ${cols} FROM docs a${joinSql} WHERE a.doctype = ?${where}${tail}${limit}`;
  const rows = ctx.db.sql.prepare(sql).all(...params) as Record<string, unknown>[];
  return rows.map((r) => {
    const groups = groupSql.map((_, g) => {
      const text = r[`g${g}`];
      return typeof text === 'string' ? parseExtracted(text, `docs: ${main.meta.name}`) : null;
    });
    const out: Record<string, unknown> = {};
    selected.forEach((s, i) => {
      const at = grouped.get(s);
      const value = at ? sqlValue(groups[at.group]?.[at.index]) : (r[`f${i}`] ?? null);
      out[s.key] = s.convert ? s.convert(value) : value;
    });
    return out;
  });
}

/** A value out of a JSON array, as a single-path json_extract would have returned it. */
function sqlValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** frappe.client.get_count. */
export function getCount(ctx: SiteContext, args: ListArgs): number {
  const main: Source = { alias: 'a', meta: ctx.meta.require(args.doctype) };
  const params: unknown[] = [main.meta.name];
  const where = whereSql(ctx, main, args, params);
  const row = ctx.db.sql
    .prepare(`SELECT count(*) AS n FROM docs a WHERE a.doctype = ?${where}`)
    .get(...params) as { n: number };
  return row.n;
}
