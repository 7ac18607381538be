import { Fields, type Rec } from './record.js';
import { invalid, QuoteError } from './errors.js';
import { siteSettings, withOverrides, type SiteSettings } from './site-settings.js';

/**
 * Master data as the engine reads it: `{"system": {...}, "<DocType>": [records as ERPNext's REST
 * API returns them]}`. Records stay in ERPNext's shape; `Master` only indexes them. The site
 * settings come from the `System Settings` and `Global Defaults` records; `system` (optional)
 * gives effective values that replace the derived ones.
 */
export interface MasterInput {
  readonly system?: Rec;
  readonly [doctype: string]: unknown;
}

/** Indexed master data; lookups by name return `Fields` readers or undefined. */
export class Master {
  /** The site settings in force for a quote (see `siteSettings`). */
  readonly system: SiteSettings;
  private readonly byType = new Map<string, Map<string, Fields>>();
  private readonly lists = new Map<string, Fields[]>();
  private readonly trees = new Map<string, readonly string[]>();
  private readonly indexes = new Map<string, Map<string, Fields[]>>();

  constructor(input: MasterInput) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw invalid('master', 'expected an object of doctype lists');
    }
    this.system = parseSystem(input);
    for (const [doctype, value] of Object.entries(input)) {
      if (doctype === 'system') continue;
      if (!Array.isArray(value)) throw invalid(doctype, 'expected a list of records');
      const index = new Map<string, Fields>();
      const list: Fields[] = [];
      value.forEach((rec: unknown, i) => {
        if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
          throw invalid(`${doctype}[${i + 1}]`, 'expected an object');
        }
        const r = rec as Rec;
        const name = typeof r['name'] === 'string' ? r['name'] : '';
        const f = new Fields(r, name ? `${doctype}[${name}]` : `${doctype}[${i + 1}]`);
        list.push(f);
        if (name) index.set(name, f);
      });
      this.byType.set(doctype, index);
      this.lists.set(doctype, list);
    }
  }

  get(doctype: string, name: string): Fields | undefined {
    return name ? this.byType.get(doctype)?.get(name) : undefined;
  }

  /** Like `get`, but a missing record is ERPNext's LinkValidationError. */
  link(doctype: string, name: string, field: string): Fields {
    const f = this.get(doctype, name);
    if (!f) {
      throw new QuoteError('LinkValidationError', `Could not find ${field}: ${name}`, field);
    }
    return f;
  }

  all(doctype: string): readonly Fields[] {
    return this.lists.get(doctype) ?? [];
  }

  /**
   * The records of a doctype whose `field` reads `value`, in list order: an index built on the
   * first call per field, as a store's SQL would use one, instead of a scan per line.
   */
  where(doctype: string, field: string, value: string): readonly Fields[] {
    const key = `${doctype}\u0000${field}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const f of this.all(doctype)) {
        const v = f.str(field);
        const list = index.get(v);
        if (list) list.push(f);
        else index.set(v, [f]);
      }
      this.indexes.set(key, index);
    }
    return index.get(value) ?? [];
  }

  /** The names of a tree node and all its ancestors, nearest first (parent field chain). */
  ancestors(doctype: string, name: string, parentField: string): string[] {
    return this.memo(`ancestors\u0000${doctype}\u0000${name}\u0000${parentField}`, () => {
      const out: string[] = [];
      let current = name;
      while (current && !out.includes(current)) {
        out.push(current);
        current = this.get(doctype, current)?.str(parentField) ?? '';
      }
      return out;
    });
  }

  /** Names of a tree node and all its descendants. */
  descendants(doctype: string, name: string, parentField: string): string[] {
    return this.memo(`descendants\u0000${doctype}\u0000${name}\u0000${parentField}`, () => {
      const out = [name];
      for (let i = 0; i < out.length; i++) {
        for (const f of this.all(doctype)) {
          const n = f.str('name');
          if (f.str(parentField) === out[i] && !out.includes(n)) out.push(n);
        }
      }
      return out;
    });
  }

  /** The root of a tree doctype: the group with no parent. */
  root(doctype: string, parentField: string): string | undefined {
    return this.memo(`root\u0000${doctype}\u0000${parentField}`, () => {
      const root = this.all(doctype)
        .find((f) => f.bool('is_group') && !f.str(parentField))
        ?.str('name');
      return root === undefined ? [] : [root];
    })[0];
  }

  /**
   * A tree walk's answer, computed once: the records never change after construction, and a
   * cart asks the same walk for every line. Callers get their own copy to extend.
   */
  private memo(key: string, walk: () => string[]): string[] {
    let known = this.trees.get(key);
    if (known === undefined) {
      known = walk();
      this.trees.set(key, known);
    }
    return known.slice();
  }
}

/**
 * The site settings: derived from the master's System Settings and Global Defaults records
 * (`siteSettings`), then any effective value given in `system` on top.
 */
function parseSystem(input: MasterInput): SiteSettings {
  const raw = input.system ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid('system', 'expected an object');
  }
  const single = (doctype: string): Rec | undefined => {
    const list = input[doctype];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) throw invalid(doctype, 'expected a list of records');
    const first: unknown = list[0];
    if (first === undefined) return undefined;
    if (typeof first !== 'object' || first === null || Array.isArray(first)) {
      throw invalid(`${doctype}[1]`, 'expected an object');
    }
    return first as Rec;
  };
  const base = siteSettings({
    systemSettings: single('System Settings'),
    globalDefaults: single('Global Defaults'),
  });
  return withOverrides(base, raw);
}
