/**
 * `fields` entries that are SQL expressions rather than columns (`count(name) as count`):
 * Frappe v15's checks on them, in its order (frappe.desk.reportview.validate_fields, then
 * DatabaseQuery.sanitize_fields), and the aggregates the simulator evaluates.
 */
import type { SiteContext } from './context.js';
import type { FrappeError } from './errors.js';
import { internalError, throwError } from './errors.js';
import type { DocMeta } from './meta.js';
import { fieldOf } from './meta.js';

type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** `fn([distinct] arg)`, its output key, and the column (or `*`) it reads. */
export interface AggregateExpr {
  readonly fn: AggregateFn;
  readonly distinct: boolean;
  /** A column of the main doctype (backticks and a `tab{Doctype}.` prefix removed) or "*". */
  readonly column: string;
  /** The result's key: the alias, else the expression as written (MariaDB's column name). */
  readonly key: string;
}

/** frappe.model default_fields, optional_fields and child_table_fields ("standard" columns). */
const STANDARD = new Set([
  'doctype',
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
  '_user_tags',
  '_comments',
  '_assign',
  '_liked_by',
  '_seen',
  'parent',
  'parentfield',
  'parenttype',
]);

/** A `fields` entry Frappe treats as an expression (SUB_QUERY_PATTERN: any of `,();@`). */
export function isExpressionField(spec: string): boolean {
  return /[,();@]/.test(spec);
}

const KEYWORDS = new Set([
  'select',
  'distinct',
  'as',
  'from',
  'where',
  'join',
  'on',
  'and',
  'or',
  'not',
  'null',
  'is',
  'in',
  'like',
  'case',
  'when',
  'then',
  'else',
  'end',
  'group',
  'order',
  'by',
  'having',
  'limit',
  'union',
  'all',
  'asc',
  'desc',
  'interval',
  'true',
  'false',
]);

/**
 * The columns an expression reads, roughly as sql_metadata's Parser lists them (Frappe's
 * extract_fieldnames): identifiers that are not function names, keywords, aliases or tables.
 */
function expressionColumns(spec: string): string[] {
  const text = spec.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, ' ');
  const ident = /(`[^`]+`|[A-Za-z_][\w$]*)(?:\s*\.\s*(`[^`]+`|[A-Za-z_][\w$]*|\*))?/g;
  const out: string[] = [];
  let previous = '';
  for (let m = ident.exec(text); m; m = ident.exec(text)) {
    const word = (m[1] ?? '').toLowerCase();
    const before = text.slice(0, m.index).trimEnd();
    const after = text.slice(m.index + m[0].length).trimStart();
    const skip =
      after.startsWith('(') ||
      (KEYWORDS.has(word) && !m[2]) ||
      ['as', 'from', 'join'].includes(previous) ||
      (before.endsWith(')') && !m[2]) ||
      text.slice(0, m.index).endsWith('@'); // @@version: a variable, not a column
    previous = word;
    if (skip) continue;
    const strip = (s: string): string => s.replaceAll('`', '');
    out.push(m[2] ? `${strip(m[1] ?? '')}.${strip(m[2])}` : strip(m[1] ?? ''));
  }
  if (out.length === 0) {
    const lower = spec.toLowerCase();
    if (/count\(|sum\(|avg\(/.test(lower) && lower.includes('*')) return ['*'];
  }
  return out;
}

const notPermitted = (field: string): FrappeError =>
  throwError('DataError', `Field not permitted in query: ${field}`);

/** reportview.validate_fields on an expression: its first column must be a field Frappe knows. */
function validateField(ctx: SiteContext, main: DocMeta, spec: string): void {
  const first = expressionColumns(spec)[0];
  if (first === undefined) throw internalError('IndexError', 'list index out of range', '');
  const dot = first.indexOf('.');
  if (STANDARD.has(dot < 0 ? first : first.slice(dot + 1))) return;
  let meta: DocMeta | undefined = main;
  let column = first;
  if (dot >= 0) {
    const table = first.slice(0, dot);
    column = first.slice(dot + 1);
    const df = fieldOf(main, table);
    if (!df && !table.startsWith('tab')) {
      throw internalError('AttributeError', "'NoneType' object has no attribute 'options'", '');
    }
    meta = ctx.meta.get(df ? df.options : table.slice(3));
  }
  if (!meta || !fieldOf(meta, column)) throw notPermitted(first);
}

const BLACKLISTED_KEYWORDS = [
  'select',
  'create',
  'insert',
  'delete',
  'drop',
  'update',
  'case',
  'show',
];
const BLACKLISTED_FUNCTIONS = new Set([
  'concat',
  'concat_ws',
  'if',
  'ifnull',
  'nullif',
  'coalesce',
  'connection_id',
  'current_user',
  'database',
  'last_insert_id',
  'session_user',
  'system_user',
  'user',
  'version',
  'global',
]);

/** DatabaseQuery.sanitize_fields (the non-strict part: client.get_list passes strict=None). */
function sanitizeField(spec: string): void {
  const restricted = (): FrappeError =>
    throwError('DataError', 'Use of sub-query or function is restricted');
  const lower = spec.toLowerCase().trim();
  if (/[,();@]/.test(spec)) {
    const open = lower.indexOf('(');
    if (open >= 0) {
      const token = (
        lower
          .slice(open + 1)
          .trimStart()
          .split(' ')[0] ?? ''
      ).trim();
      if (BLACKLISTED_KEYWORDS.some((k) => token.includes(k))) throw restricted();
    }
    const fn = (lower.split('(')[0] ?? '').trimEnd();
    if (BLACKLISTED_FUNCTIONS.has(fn)) {
      throw throwError('DataError', `Use of function ${fn} in field is restricted`);
    }
    if (lower.includes('@')) throw restricted();
  }
  if (/^[0-9a-zA-Z]+\s*'/.test(spec)) throw restricted();
  if (/^[0-9a-zA-Z_]+\s*,/.test(spec)) throw restricted();
  if (/^(select|delete|update|drop|create)\s/.test(spec)) throw restricted();
  if (/^\s*[0-9a-zA-z]*\s*( from | group by | order by | where | join )/.test(spec)) {
    throw restricted();
  }
}

/** Functions MariaDB has that the simulator does not evaluate (a 500 saying so, not a 1305). */
const MARIADB_FUNCTIONS = new Set([
  'abs',
  'ceil',
  'ceiling',
  'char_length',
  'date',
  'date_format',
  'datediff',
  'day',
  'dayofyear',
  'extract',
  'floor',
  'format',
  'group_concat',
  'hour',
  'length',
  'locate',
  'lower',
  'lcase',
  'ltrim',
  'month',
  'now',
  'quarter',
  'replace',
  'round',
  'rtrim',
  'substring',
  'substr',
  'timestamp',
  'trim',
  'truncate',
  'upper',
  'ucase',
  'week',
  'year',
]);

const AGGREGATE =
  /^(count|sum|avg|min|max)\(\s*(?:(distinct)(?:\s+|(?=\()))?([^()]+?|\(\s*[^()]+?\s*\))\s*\)$/i;
const ALIAS = /^(.*\))\s+(?:as\s+)?(`[^`]+`|'[^']*'|"[^"]*"|[A-Za-z_][\w$]*)$/is;

/**
 * The aggregate `spec` is (`count(name)`, `sum(distinct qty) as q`), or undefined when it is
 * something else; an argument that is not a column of `main` fails as MariaDB does in `clause`.
 */
export function parseAggregate(
  main: DocMeta,
  rawSpec: string,
  clause: string,
): AggregateExpr | undefined {
  const spec = rawSpec.trim();
  const aliased = ALIAS.exec(spec);
  const expr = aliased?.[1]?.trim() ?? spec;
  const alias = aliased?.[2]?.replace(/^[`'"]|[`'"]$/g, '');
  const m = AGGREGATE.exec(expr);
  if (!m) return undefined;
  const arg = (m[3] ?? '').replace(/^\(\s*|\s*\)$/g, '').replaceAll('`', '');
  const column = arg.startsWith(`tab${main.name}.`) ? arg.slice(main.name.length + 4) : arg;
  const fn = (m[1] ?? '').toLowerCase() as AggregateFn;
  if (column === '*' ? fn !== 'count' || m[2] : !main.columnSet.has(column)) {
    throw unknownColumn(arg, clause);
  }
  return { fn, distinct: m[2] !== undefined, column, key: alias ?? spec };
}

/**
 * Check an expression entry of `fields` as Frappe does and parse it into the aggregate the
 * simulator runs; other SQL fails as MariaDB would (unknown function) or as unsupported.
 */
export function parseExpressionField(ctx: SiteContext, main: DocMeta, spec: string): AggregateExpr {
  validateField(ctx, main, spec);
  sanitizeField(spec);
  const aggregate = parseAggregate(main, spec, 'SELECT');
  if (aggregate) return aggregate;
  const fn = /^\s*([A-Za-z_][\w$]*)\(/.exec(spec)?.[1];
  const known = (name: string): boolean =>
    MARIADB_FUNCTIONS.has(name.toLowerCase()) || AGGREGATE_NAMES.has(name.toLowerCase());
  if (fn && !known(fn)) {
    throw internalError(
      'OperationalError',
      `(1305, "FUNCTION ${SIM_DATABASE}.${fn} does not exist")`,
      'pymysql.err',
    );
  }
  throw internalError(
    'NotImplementedError',
    `outpost sim evaluates count/sum/avg/min/max of one column only, not: ${spec.trim()}`,
    '',
  );
}

const AGGREGATE_NAMES = new Set(['count', 'sum', 'avg', 'min', 'max']);

/** The database name MariaDB puts in "FUNCTION db.fn does not exist" (a stand-in). */
const SIM_DATABASE = '_outpost_sim';

/** MariaDB's "Unknown column" (pymysql OperationalError 1054) for a clause. */
export function unknownColumn(column: string, clause: string): FrappeError {
  return internalError(
    'OperationalError',
    `(1054, "Unknown column '${column}' in '${clause}'")`,
    'pymysql.err',
  );
}
