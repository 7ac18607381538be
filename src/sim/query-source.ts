import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { FrappeError, thrownMessage } from './errors.js';
import { normalizeDatetime } from './filters.js';
import {
  type DocMeta,
  type FieldMeta,
  CHILD_FIELDS,
  fieldOf,
  isInt,
  isNumeric,
  isTable,
} from './meta.js';

// The tables and columns a frappe.get_list query reads, as SQL over the `docs` store.

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
  setOnlyOnce: false,
};
export const REAL_COLUMNS = new Set([
  'name',
  'creation',
  'modified',
  'docstatus',
  'idx',
  ...CHILD_FIELDS,
]);
export const DATETIME_COLUMNS = new Set(['creation', 'modified']);

/** A table in the query: the main doctype (alias "a") or a joined child table. */
export interface Source {
  readonly alias: string;
  readonly meta: DocMeta;
}

export const notPermitted = (field: string): FrappeError =>
  new FrappeError('DataError', 417, `Field not permitted in query: ${field}`, {
    messages: [thrownMessage(`Field not permitted in query: ${field}`)],
  });

export function fieldMeta(meta: DocMeta, column: string): FieldMeta | undefined {
  if (column === 'docstatus' || column === 'idx') return INT_COLUMN;
  return fieldOf(meta, column);
}

export function knowsColumn(meta: DocMeta, column: string): boolean {
  return meta.columnSet.has(column);
}

/**
 * The main table's doctype as an SQL literal, not a parameter: SQLite may use an index partial
 * on one doctype (db-schema.ts) only when the query names that doctype itself.
 */
export const doctypeSql = (doctype: string): string => `'${doctype.replaceAll("'", "''")}'`;

/** SQL expression of a column of a source row. */
export function columnSql(src: Source, column: string): string {
  if (REAL_COLUMNS.has(column)) return `${src.alias}.${column}`;
  return `json_extract(${src.alias}.data, '$.${column}')`;
}

/** A text column compares case-insensitively, as MariaDB's default collation does. */
export function isText(meta: DocMeta, column: string): boolean {
  const f = fieldMeta(meta, column);
  return !DATETIME_COLUMNS.has(column) && !(f && (isNumeric(f) || f.fieldtype === 'Datetime'));
}

/** Coerce a filter value to the column's stored type (Frappe casts "1" to 1 for Check). */
export function coerce(meta: DocMeta, column: string, value: unknown, endOfDay = false): unknown {
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

/** Resolve a child doctype to the parent's table field holding it. */
export function tableFieldFor(ctx: SiteContext, meta: DocMeta, childDoctype: string): FieldMeta {
  const f = meta.fields.find((x) => isTable(x) && x.options === childDoctype);
  if (!f || !ctx.meta.get(childDoctype)) throw notPermitted(childDoctype);
  return f;
}
