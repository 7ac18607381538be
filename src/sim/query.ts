import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { columnsOf } from './doc-shape.js';
import { registerDecimalAggregates } from './decimal-agg.js';
import type { FieldMeta } from './meta.js';
import { parseExtracted, parseStoredDoc } from './stored-json.js';
import { type Source, doctypeSql } from './query-source.js';
import { whereSql } from './query-where.js';
import { type Selected, selectFields } from './query-select.js';
import { queryTables, orderSql, groupBySql } from './query-order.js';

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
    const sql = `SELECT a.data AS data FROM docs a${joinSql} WHERE a.doctype = ${doctypeSql(main.meta.name)}${where}${tail}${limit}`;
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
  const sql = `SELECT ${cols} FROM docs a${joinSql} WHERE a.doctype = ${doctypeSql(main.meta.name)}${where}${tail}${limit}`;
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
  const params: unknown[] = [];
  const where = whereSql(ctx, main, args, params);
  const row = ctx.db.sql
    .prepare(
      `SELECT count(*) AS n FROM docs a WHERE a.doctype = ${doctypeSql(main.meta.name)}${where}`,
    )
    .get(...params) as { n: number };
  return row.n;
}
