import { doesNotExist } from './errors.js';

/** One DocField as the simulator needs it. */
export interface FieldMeta {
  readonly fieldname: string;
  readonly fieldtype: string;
  readonly label: string;
  readonly options: string;
  readonly reqd: boolean;
  readonly unique: boolean;
  readonly default: string | undefined;
  readonly allowOnSubmit: boolean;
  readonly noCopy: boolean;
  /** Frozen once the document exists (Document.validate_set_only_once). */
  readonly setOnlyOnce: boolean;
  /** "link_field.source_field": copied from the linked document when links are validated. */
  readonly fetchFrom: string | undefined;
  readonly fetchIfEmpty: boolean;
}

/** A role's rights on a doctype (DocPerm at permlevel 0). */
interface PermMeta {
  readonly role: string;
  readonly rights: ReadonlySet<string>;
}

/** Metadata of one DocType: its fields in order plus naming, sorting and permission rules. */
export interface DocMeta {
  readonly name: string;
  readonly istable: boolean;
  readonly issingle: boolean;
  readonly submittable: boolean;
  readonly autoname: string;
  readonly titleField: string | undefined;
  readonly fields: readonly FieldMeta[];
  readonly permissions: readonly PermMeta[];
  /** Derived once per meta (hot paths: every stored row): the row's columns in order … */
  readonly columns: readonly string[];
  readonly columnSet: ReadonlySet<string>;
  /** … the fields holding a value, and every field by name. */
  readonly valueFields: readonly FieldMeta[];
  readonly fieldMap: ReadonlyMap<string, FieldMeta>;
}

type BaseMeta = Omit<DocMeta, 'columns' | 'columnSet' | 'valueFields' | 'fieldMap'>;

/** Add the derived lookups to a meta. */
function indexed(m: BaseMeta): DocMeta {
  const valueFields = m.fields.filter(hasColumn);
  const columns = [
    ...STANDARD_FIELDS,
    ...valueFields.map((f) => f.fieldname),
    ...(m.istable ? CHILD_FIELDS : []),
  ];
  return {
    ...m,
    columns,
    columnSet: new Set(columns),
    valueFields,
    fieldMap: new Map(m.fields.map((f) => [f.fieldname, f])),
  };
}

/** Columns every (non-single) doctype table has, in Frappe's order. */
export const STANDARD_FIELDS = [
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
] as const;
export const CHILD_FIELDS = ['parent', 'parentfield', 'parenttype'] as const;

const NO_VALUE = new Set([
  'Section Break',
  'Column Break',
  'Tab Break',
  'HTML',
  'Button',
  'Image',
  'Fold',
  'Heading',
]);
const TABLE = new Set(['Table', 'Table MultiSelect']);
const INT = new Set(['Int', 'Check']);
const FLOAT = new Set(['Float', 'Currency', 'Percent', 'Duration', 'Rating']);

/** Does this field hold a value in the doctype's own row? */
export const hasColumn = (f: FieldMeta): boolean =>
  !NO_VALUE.has(f.fieldtype) && !TABLE.has(f.fieldtype);
export const isTable = (f: FieldMeta): boolean => TABLE.has(f.fieldtype);
export const isInt = (f: FieldMeta): boolean => INT.has(f.fieldtype);
export const isFloat = (f: FieldMeta): boolean => FLOAT.has(f.fieldtype);
export const isNumeric = (f: FieldMeta): boolean => isInt(f) || isFloat(f);

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const flag = (v: unknown): boolean => v === 1 || v === '1' || v === true;

/** Parse one DocField dict (from a DocType JSON or a Custom Field document). */
export function parseField(raw: Json): FieldMeta {
  const d = raw['default'];
  return {
    fieldname: str(raw['fieldname']),
    fieldtype: str(raw['fieldtype']) || 'Data',
    label: str(raw['label']),
    options: str(raw['options']),
    reqd: flag(raw['reqd']),
    unique: flag(raw['unique']),
    default: typeof d === 'string' || typeof d === 'number' ? String(d) || undefined : undefined,
    allowOnSubmit: flag(raw['allow_on_submit']),
    noCopy: flag(raw['no_copy']),
    setOnlyOnce: flag(raw['set_only_once']),
    fetchFrom: str(raw['fetch_from']) || undefined,
    fetchIfEmpty: flag(raw['fetch_if_empty']),
  };
}

/** Parse a DocType JSON file. */
export function parseDocType(raw: Json): DocMeta {
  const fields = Array.isArray(raw['fields']) ? (raw['fields'] as Json[]).map(parseField) : [];
  const perms = Array.isArray(raw['permissions']) ? (raw['permissions'] as Json[]) : [];
  return indexed({
    name: str(raw['name']),
    istable: flag(raw['istable']),
    issingle: flag(raw['issingle']),
    submittable: flag(raw['is_submittable']),
    autoname: str(raw['autoname']),
    titleField: str(raw['title_field']) || undefined,
    fields,
    permissions: perms
      .filter((p) => !p['permlevel'])
      .map((p) => ({
        role: str(p['role']),
        rights: new Set(
          ['read', 'write', 'create', 'submit', 'cancel', 'delete', 'amend'].filter((r) =>
            flag(p[r]),
          ),
        ),
      })),
  });
}

/**
 * All doctypes the site knows: the shipped definitions plus Custom Fields added at run time.
 * Custom fields live in the database (Custom Field documents); `setCustomFields` rebuilds the
 * merged view so a rolled-back request cannot leave a phantom field behind.
 */
export class MetaRegistry {
  private readonly base = new Map<string, DocMeta>();
  private merged = new Map<string, DocMeta>();
  /** DocTypes stored in the database (custom DocTypes; see custom-doctype.ts). */
  private runtime: readonly DocMeta[] = [];
  private custom: readonly { dt: string; field: FieldMeta; insertAfter: string }[] = [];

  constructor(doctypes: Iterable<DocMeta>) {
    for (const m of doctypes) this.base.set(m.name, m);
    this.merged = new Map(this.base);
  }

  get(doctype: string): DocMeta | undefined {
    return this.merged.get(doctype);
  }

  /** The doctype's meta, or Frappe's "DocType X not found" (404). */
  require(doctype: string): DocMeta {
    const m = this.merged.get(doctype);
    if (!m) throw doesNotExist(`DocType ${doctype} not found`);
    return m;
  }

  /** Every known doctype (custom fields merged). */
  all(): Iterable<DocMeta> {
    return this.merged.values();
  }

  /** Replace the DocTypes defined at run time; shipped definitions keep precedence. */
  setRuntimeDocTypes(doctypes: readonly DocMeta[]): void {
    this.runtime = doctypes;
    this.setCustomFields(this.custom);
  }

  /** Replace the custom fields of every doctype (custom field dicts keyed by `dt`). */
  setCustomFields(custom: readonly { dt: string; field: FieldMeta; insertAfter: string }[]): void {
    this.custom = custom;
    const merged = new Map(this.base);
    for (const m of this.runtime) if (!merged.has(m.name)) merged.set(m.name, m);
    for (const { dt, field, insertAfter } of custom) {
      const m = merged.get(dt);
      if (!m || m.fields.some((f) => f.fieldname === field.fieldname)) continue;
      const fields = [...m.fields];
      const at = fields.findIndex((f) => f.fieldname === insertAfter);
      fields.splice(at < 0 ? fields.length : at + 1, 0, field);
      merged.set(dt, indexed({ ...m, fields }));
    }
    this.merged = merged;
  }
}

/** Field lookup by name. */
export function fieldOf(meta: DocMeta, fieldname: string): FieldMeta | undefined {
  return meta.fieldMap.get(fieldname);
}
