import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { columnsOf } from './doc-shape.js';
import { decimalAvg, decimalSum, scaledToNumber, scaleOf, toScaled } from './decimal-agg.js';
import { type AggregateExpr, isExpressionField, parseExpressionField } from './field-expr.js';
import { parseJsonArg } from './filters.js';
import { type FieldMeta, fieldOf, isFloat, isNumeric, isTable } from './meta.js';
import {
  REAL_COLUMNS,
  DATETIME_COLUMNS,
  type Source,
  notPermitted,
  fieldMeta,
  knowsColumn,
  columnSql,
  isText,
  tableFieldFor,
} from './query-source.js';

// frappe.get_list `fields` as SELECT expressions: columns, child-table columns, aggregates.

export interface Selected {
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
export function aggregateSql(
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
export function selectFields(
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
