import type { SiteContext } from './context.js';
import type { EncodedRow, FlatValue } from './db-rows.js';
import type { Doc } from './doc.js';
import { cint, cstr, flt, rowsOf } from './doc.js';
import { setDefaults } from './doc-shape.js';
import type { DocMeta } from './meta.js';
import { isFloat, isInt, isTable } from './meta.js';

/** How a column's value is coerced (doc-shape's fixTypes, column by column). */
const KIND = { keep: 0, int: 1, float: 2, text: 3, cint: 4 } as const;

/**
 * Per doctype, computed once per bulk load: its columns, how each is typed, and new_doc's
 * defaults (they do not depend on the document), so that shaping a row is one pass over its
 * columns: the value or its default, coerced, kept when set. At a million items this is what
 * a load spends its JavaScript time on. Plain data (structured-cloneable): a seed load hands
 * its plans to the worker thread that shapes the rows.
 */
export interface RowPlan {
  readonly doctype: string;
  readonly columns: readonly string[];
  /** Each column's `"name":`, ready to concatenate. */
  readonly keys: readonly string[];
  readonly kinds: Uint8Array;
  /** Each column's new_doc default, typed, and as its `"name":value` JSON (undefined: none). */
  readonly typedDefaults: readonly unknown[];
  readonly defaultJson: readonly (string | undefined)[];
  readonly tables: readonly { readonly fieldname: string; readonly plan: RowPlan }[];
}

type Plans = Map<string, RowPlan>;

function planFor(ctx: SiteContext, meta: DocMeta, plans: Plans): RowPlan {
  const known = plans.get(meta.name);
  if (known) return known;
  const defaults: Doc = {};
  setDefaults(meta, defaults, ctx);
  const kinds = new Uint8Array(meta.columns.length);
  meta.columns.forEach((c, i) => {
    const f = meta.valueFields.find((x) => x.fieldname === c);
    kinds[i] = f
      ? isInt(f)
        ? KIND.int
        : isFloat(f)
          ? KIND.float
          : KIND.text
      : c === 'docstatus' || c === 'idx'
        ? KIND.cint
        : KIND.keep;
  });
  const tables: { fieldname: string; plan: RowPlan }[] = [];
  const keys = meta.columns.map((c) => `${JSON.stringify(c)}:`);
  const typedDefaults = meta.columns.map((c, i) => typed(kinds[i] ?? KIND.keep, defaults[c]));
  const defaultJson = typedDefaults.map((v, i) =>
    v === undefined ? undefined : `${keys[i] as string}${serialized(v)}`,
  );
  const plan: RowPlan = {
    doctype: meta.name,
    columns: [...meta.columns],
    keys,
    kinds,
    typedDefaults,
    defaultJson,
    tables,
  };
  plans.set(meta.name, plan);
  for (const f of meta.fields.filter(isTable)) {
    const childMeta = ctx.meta.get(f.options);
    if (childMeta) tables.push({ fieldname: f.fieldname, plan: planFor(ctx, childMeta, plans) });
  }
  return plan;
}

/** The shaping plan of `doctype` and its child tables, as one bulk load computes it. */
export function rowPlan(ctx: SiteContext, doctype: string): RowPlan {
  return planFor(ctx, ctx.meta.require(doctype), new Map());
}

/** The columns a row needs outside its JSON (and its children inherit). */
interface Shaped {
  readonly json: string;
  readonly name: unknown;
  readonly owner: unknown;
  readonly creation: unknown;
  readonly modified: unknown;
  readonly modified_by: unknown;
  readonly docstatus: unknown;
  readonly idx: unknown;
  readonly parent: unknown;
  readonly parentfield: unknown;
  readonly parenttype: unknown;
}

/**
 * The stored column values of `doc` (`over` first): given values (null = unset), else defaults,
 * typed, serialized straight to the JSON the row stores, key by key in column order (what
 * JSON.stringify of doc-shape's columnValues gives, without building a 100-key object).
 */
function columnData(plan: RowPlan, doc: Doc, over?: Doc): Shaped {
  const { columns, keys, kinds, typedDefaults, defaultJson } = plan;
  const picked: Record<string, unknown> = {};
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as string;
    let v = over?.[c];
    if (v === undefined || v === null) v = doc[c];
    if (v === undefined || v === null) {
      // Most of a seeded row's ~100 columns hold their default: serialized once per load.
      const fragment = defaultJson[i];
      if (fragment === undefined) continue;
      if (PICKED.has(c)) picked[c] = typedDefaults[i];
      parts.push(fragment);
      continue;
    }
    v = typed(kinds[i] ?? KIND.keep, v);
    if (v === undefined) continue;
    if (PICKED.has(c)) picked[c] = v;
    parts.push(`${keys[i] as string}${serialized(v)}`);
  }
  // Joined, the JSON is one flat string: concatenated, it would be a rope of ~100 pieces that
  // lives on (and burdens the collector) while its batch waits to be written.
  return { ...(picked as Omit<Shaped, 'json'>), json: `{${parts.join(',')}}` };
}

/** doc-shape's fixTypes for one column. */
function typed(kind: number, v: unknown): unknown {
  switch (kind) {
    case KIND.int:
      return cint(v === true ? 1 : v);
    case KIND.float:
      return flt(v);
    case KIND.text:
      return typeof v === 'number' ? String(v) : v;
    case KIND.cint:
      return cint(v);
    default:
      return v;
  }
}

const serialized = (v: unknown): string =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : JSON.stringify(v);

const PICKED = new Set([
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
  'parent',
  'parentfield',
  'parenttype',
]);

const encoded = (doctype: string, row: Shaped): EncodedRow => ({
  doctype,
  name: cstr(row.name),
  parent: typeof row.parent === 'string' ? row.parent : null,
  parentfield: typeof row.parentfield === 'string' ? row.parentfield : null,
  parenttype: typeof row.parenttype === 'string' ? row.parenttype : null,
  idx: cint(row.idx),
  docstatus: cint(row.docstatus),
  creation: cstr(row.creation),
  modified: cstr(row.modified),
  json: row.json,
});

/** One REST-shaped document (child tables inline) as stored rows, with defaults and types. */
function shape(plan: RowPlan, doc: Doc, emit: (doctype: string, row: Shaped) => void): void {
  const parent = columnData(plan, doc);
  emit(plan.doctype, parent);
  for (const { fieldname, plan: child } of plan.tables) {
    const rows = rowsOf(doc, fieldname);
    for (let i = 0; i < rows.length; i++) {
      // The parent's stamps and docstatus unless the row has its own; the link always.
      const inherited: Doc = {
        owner: parent.owner,
        creation: parent.creation,
        modified: parent.modified,
        modified_by: parent.modified_by,
        docstatus: parent.docstatus,
        idx: i + 1,
      };
      const row = rows[i] as Doc;
      const data = columnData(child, inherited, {
        ...row,
        parent: parent.name,
        parentfield: fieldname,
        parenttype: plan.doctype,
      });
      emit(child.doctype, data);
    }
  }
}

/**
 * Shape `doc` (typed with `plan`, its doctype's plan) into stored rows appended to `out`,
 * `FLAT_ROW_WIDTH` values each, as `SimDb.bulkInsertFlat` takes them (the same rows
 * `bulkInsertDocs` stores): a flat array of strings and numbers is what crosses from the seed
 * worker to the writing thread cheaply. Returns the rows added.
 */
export function appendRows(plan: RowPlan, doc: Doc, out: FlatValue[]): number {
  let n = 0;
  shape(plan, doc, (doctype, row) => {
    // encoded(), without the object.
    out.push(
      doctype,
      cstr(row.name),
      typeof row.parent === 'string' ? row.parent : null,
      typeof row.parentfield === 'string' ? row.parentfield : null,
      typeof row.parenttype === 'string' ? row.parenttype : null,
      cint(row.idx),
      cint(row.docstatus),
      cstr(row.creation),
      cstr(row.modified),
      row.json,
    );
    n++;
  });
  return n;
}

/**
 * Load documents shaped as the REST API returns them (`doctype`, `name`, `modified` … set,
 * child tables inline) straight into the store: defaults and types applied, no validation, no
 * naming, no hooks. For seeds and benchmarks; runs in `batchSize`-row transactions.
 */
export function bulkInsertDocs(ctx: SiteContext, docs: Iterable<Doc>, batchSize = 50_000): number {
  let count = 0;
  const plans: Plans = new Map();
  function* all(): Generator<EncodedRow> {
    const rows: EncodedRow[] = [];
    for (const doc of docs) {
      count++;
      const plan = planFor(ctx, ctx.meta.require(cstr(doc['doctype'])), plans);
      shape(plan, doc, (doctype, row) => rows.push(encoded(doctype, row)));
      yield* rows;
      rows.length = 0;
    }
  }
  ctx.db.bulkInsert(all(), batchSize);
  return count;
}
