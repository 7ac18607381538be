import { Fields, type Rec } from './record.js';
import { invalid, QuoteError } from './errors.js';
import { isRoundingMethod, type Precision } from './money/rounding.js';

/**
 * Master data as the engine reads it: `{"system": {...}, "<DocType>": [records as ERPNext's REST
 * API returns them]}`. Records stay in ERPNext's shape; `Master` only indexes them.
 */
export interface MasterInput {
  readonly system?: Rec;
  readonly [doctype: string]: unknown;
}

export interface System extends Precision {
  /** Global Defaults `disable_rounded_total`: POS Invoice has no field of its own for it. */
  readonly disableRoundedTotal: boolean;
}

/** Indexed master data; lookups by name return `Fields` readers or undefined. */
export class Master {
  readonly system: System;
  private readonly byType = new Map<string, Map<string, Fields>>();
  private readonly lists = new Map<string, Fields[]>();

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

  /** The names of a tree node and all its ancestors, nearest first (parent field chain). */
  ancestors(doctype: string, name: string, parentField: string): string[] {
    const out: string[] = [];
    let current = name;
    while (current && !out.includes(current)) {
      out.push(current);
      current = this.get(doctype, current)?.str(parentField) ?? '';
    }
    return out;
  }

  /** Names of a tree node and all its descendants. */
  descendants(doctype: string, name: string, parentField: string): string[] {
    const out = [name];
    for (let i = 0; i < out.length; i++) {
      for (const f of this.all(doctype)) {
        const n = f.str('name');
        if (f.str(parentField) === out[i] && !out.includes(n)) out.push(n);
      }
    }
    return out;
  }

  /** The root of a tree doctype: the group with no parent. */
  root(doctype: string, parentField: string): string | undefined {
    return this.all(doctype)
      .find((f) => f.bool('is_group') && !f.str(parentField))
      ?.str('name');
  }
}

function parseSystem(input: MasterInput): System {
  const raw = input.system ?? {};
  if (typeof raw !== 'object' || raw === null) throw invalid('system', 'expected an object');
  const f = new Fields(raw, 'system');
  const currency = f.has('currency_precision') ? f.dec('currency_precision').toNumber() : 2;
  const float = f.has('float_precision') ? f.dec('float_precision').toNumber() : 3;
  for (const [name, v] of [
    ['currency_precision', currency],
    ['float_precision', float],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 9) {
      throw invalid(`system.${name}`, `expected a whole number from 0 to 9, got ${v}`);
    }
  }
  const method = f.has('rounding_method') ? f.raw('rounding_method') : "Banker's Rounding (legacy)";
  if (!isRoundingMethod(method)) {
    throw invalid(
      'system.rounding_method',
      `unknown rounding method ${JSON.stringify(method)} (ERPNext v15 has "Banker's Rounding", "Banker's Rounding (legacy)" and "Commercial Rounding")`,
    );
  }
  let disable = f.bool('disable_rounded_total');
  const gd = Array.isArray(input['Global Defaults'])
    ? (input['Global Defaults'] as Rec[])[0]
    : undefined;
  if (gd) disable = disable || new Fields(gd, 'Global Defaults').bool('disable_rounded_total');
  return { currency, float, method, disableRoundedTotal: disable };
}
