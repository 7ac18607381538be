/**
 * Filter operators Frappe resolves to plain ones before it builds SQL
 * (DatabaseQuery.prepare_filter_condition): the nested-set operators become `in` / `not in` a
 * list of tree nodes, and `timespan` / `previous` / `next` become `between` two dates.
 */
import type { SiteContext } from './context.js';
import { cstr } from './doc.js';
import { unknownColumn } from './field-expr.js';
import type { Condition } from './filters.js';
import { DATE_RANGE_OPS, TREE_OPS } from './filters.js';
import type { DocMeta } from './meta.js';
import { fieldOf } from './meta.js';
import { dateRange, weekStartIndex } from './timespan.js';

/** frappe.scrub: the default NestedSet parent field is `parent_{scrub(doctype)}`. */
const scrub = (doctype: string): string =>
  doctype.replaceAll(' ', '_').replaceAll('-', '_').toLowerCase();

/**
 * The nodes an `ancestors of` / `descendants of` filter stands for, in the tree `doctype`.
 *
 * Frappe reads them off the nested set (lft/rgt). The simulator does not renumber lft/rgt when a
 * tree node is inserted or moved, so it walks the parent link (`parent_item_group`, …) that the
 * nested set mirrors: the same nodes Frappe's maintained numbers give.
 */
function treeNodes(ctx: SiteContext, doctype: string, op: string, value: unknown): string[] {
  const meta = ctx.meta.get(doctype);
  if (!meta || !meta.columnSet.has('lft')) throw unknownColumn('lft', 'SELECT');
  const sql = ctx.db.sql;
  const inclusive = op === 'descendants of (inclusive)';
  const extra = inclusive ? [cstr(value)] : [];
  // Frappe looks up lft/rgt only for a truthy value; otherwise no node qualifies.
  if (!value) return extra;
  const node = sql
    .prepare<[string, string], { name: string }>(
      'SELECT name FROM docs WHERE doctype = ? AND name = ? AND parent IS NULL',
    )
    .get(doctype, cstr(value))?.name;
  if (node === undefined) return extra;
  const parentField = `parent_${scrub(doctype)}`;
  const path = `'$.${parentField}'`;
  if (!meta.columnSet.has(parentField)) return nestedSetNodes(ctx, meta, op, node, extra);
  if (op.endsWith('descendants of') || inclusive) {
    const rows = sql
      .prepare<[string, string, string], { name: string }>(
        `WITH RECURSIVE t(name) AS (
           SELECT name FROM docs WHERE doctype = ? AND json_extract(data, ${path}) = ? COLLATE NOCASE
           UNION
           SELECT d.name FROM docs d JOIN t ON json_extract(d.data, ${path}) = t.name COLLATE NOCASE
           WHERE d.doctype = ?
         ) SELECT name FROM t`,
      )
      .all(doctype, node, doctype);
    return [...rows.map((r) => r.name), ...extra];
  }
  const parentOf = sql.prepare<[string, string], { p: string | null; name: string }>(
    `SELECT json_extract(data, ${path}) AS p, name FROM docs WHERE doctype = ? AND name = ?`,
  );
  const out: string[] = [];
  const seen = new Set<string>([node.toLowerCase()]);
  for (let at = parentOf.get(doctype, node)?.p; at;) {
    const row = parentOf.get(doctype, at);
    if (!row || seen.has(row.name.toLowerCase())) break;
    seen.add(row.name.toLowerCase());
    out.push(row.name);
    at = row.p;
  }
  return out;
}

/** A tree doctype without a parent link field: read its lft/rgt as stored. */
function nestedSetNodes(
  ctx: SiteContext,
  meta: DocMeta,
  op: string,
  node: string,
  extra: string[],
): string[] {
  const num = (col: string): string => `ifnull(json_extract(data, '$.${col}'), 0)`;
  const bounds = ctx.db.sql
    .prepare<[string, string], { lft: number; rgt: number }>(
      `SELECT ${num('lft')} AS lft, ${num('rgt')} AS rgt FROM docs WHERE doctype = ? AND name = ?`,
    )
    .get(meta.name, node) ?? { lft: 0, rgt: 0 };
  const descendants = op.endsWith('descendants of') || op.endsWith('(inclusive)');
  const cond = descendants
    ? `${num('lft')} > ? AND ${num('rgt')} < ?`
    : `${num('lft')} < ? AND ${num('rgt')} > ?`;
  const rows = ctx.db.sql
    .prepare<[string, number, number], { name: string }>(
      `SELECT name FROM docs WHERE doctype = ? AND ${cond}`,
    )
    .all(meta.name, bounds.lft, bounds.rgt);
  return [...rows.map((r) => r.name), ...extra];
}

/** Resolve a condition on `meta` (the main doctype or a child table) to a plain operator. */
export function resolveCondition(ctx: SiteContext, meta: DocMeta, c: Condition): Condition {
  if (DATE_RANGE_OPS.has(c.op)) {
    const settings = ctx.db.get('System Settings', 'System Settings')?.data;
    const weekStart = weekStartIndex(settings?.['first_day_of_the_week']);
    const op = c.op as 'timespan' | 'previous' | 'next';
    return { ...c, op: 'between', value: dateRange(op, c.value, ctx.time.today(), weekStart) };
  }
  if (TREE_OPS.has(c.op)) {
    // A link field names its tree; any other field (e.g. `name`) means the doctype itself.
    const f = fieldOf(meta, c.field);
    const nodes = treeNodes(ctx, f ? f.options : meta.name, c.op, c.value);
    return { ...c, op: c.op.startsWith('not ') ? 'not in' : 'in', value: nodes };
  }
  return c;
}
