import type { Dec } from './money/decimal.js';
import { toDec } from './money/decimal.js';
import { invalid } from './errors.js';

/** A document as Frappe's REST API returns it: field name to JSON value. */
export type Rec = Readonly<Record<string, unknown>>;

/** Field readers that name the field and the problem when a value has the wrong type. */
export class Fields {
  constructor(
    private readonly rec: Rec,
    /** Path used in error messages, e.g. `Item[HO-APPLE]` or `items[1]`. */
    readonly path: string,
  ) {}

  has(field: string): boolean {
    const v = this.rec[field];
    return v !== undefined && v !== null;
  }

  raw(field: string): unknown {
    return this.rec[field];
  }

  /** A Data/Link/Select field; blank reads as ''. */
  str(field: string): string {
    const v = this.rec[field];
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    throw invalid(`${this.path}.${field}`, `expected text, got ${JSON.stringify(v)}`);
  }

  /** A Float/Currency/Int field as an exact decimal; blank reads as 0 like Frappe's flt. */
  dec(field: string): Dec {
    try {
      return toDec(this.rec[field], `${this.path}.${field}`);
    } catch (e) {
      throw invalid(`${this.path}.${field}`, (e as Error).message.replace(/^[^:]*: /, ''));
    }
  }

  /** A Float/Currency field that may be absent (null means "not given"). */
  optDec(field: string): Dec | null {
    return this.has(field) ? this.dec(field) : null;
  }

  /** A Check field. */
  bool(field: string): boolean {
    const v = this.rec[field];
    if (v === undefined || v === null || v === '' || v === 0 || v === '0' || v === false)
      return false;
    if (v === 1 || v === '1' || v === true) return true;
    throw invalid(`${this.path}.${field}`, `expected 0 or 1, got ${JSON.stringify(v)}`);
  }

  /** A child table: list of records. */
  table(field: string): Fields[] {
    const v = this.rec[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw invalid(`${this.path}.${field}`, 'expected a list of rows');
    return v.map((row: unknown, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw invalid(`${this.path}.${field}[${i + 1}]`, 'expected an object');
      }
      return new Fields(row as Rec, `${this.path}.${field}[${i + 1}]`);
    });
  }

  /** A date field (YYYY-MM-DD), or '' when blank. */
  date(field: string): string {
    const v = this.str(field);
    if (v === '') return '';
    const d = v.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) {
      throw invalid(
        `${this.path}.${field}`,
        `expected a date YYYY-MM-DD, got ${JSON.stringify(v)}`,
      );
    }
    return d;
  }
}
