/** Builders for documents shaped as Frappe's REST API returns them. */

type Scalar = string | number | null;

/** A document or child row: ERPNext field names to JSON values, child tables inline. */
export interface SeedDoc {
  readonly name: string;
  readonly doctype: string;
  readonly [field: string]: Scalar | readonly SeedDoc[];
}

export type Fields = Readonly<Record<string, Scalar>>;

/** A child table: its row doctype and the rows' own fields. */
type Table = readonly [childDoctype: string, rows: readonly Fields[]];

/**
 * A document with Frappe's standard fields. Child rows get `parent`/`parentfield`/`parenttype`
 * and a name derived from the parent's, which keeps them unique and stable across runs where
 * Frappe would use a random hash.
 */
export function makeDoc(
  doctype: string,
  name: string,
  now: string,
  fields: Fields,
  tables: Readonly<Record<string, Table>> = {},
): SeedDoc {
  const out: { name: string; doctype: string; [field: string]: Scalar | readonly SeedDoc[] } = {
    name,
    owner: 'Administrator',
    creation: now,
    modified: now,
    modified_by: 'Administrator',
    docstatus: 0,
    idx: 0,
    ...fields,
    doctype,
  };
  for (const [field, [childDoctype, rows]] of Object.entries(tables)) {
    out[field] = rows.map((row, i) => ({
      name: `${name}-${field}-${i + 1}`,
      owner: 'Administrator',
      creation: now,
      modified: now,
      modified_by: 'Administrator',
      docstatus: 0,
      idx: i + 1,
      ...row,
      parent: name,
      parentfield: field,
      parenttype: doctype,
      doctype: childDoctype,
    }));
  }
  return out;
}

/** Adds whole days to the date part of a `YYYY-MM-DD…` timestamp (UTC calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Rounds to cents for a Currency field; inputs are generated prices, never user input. */
export const cents = (v: number): number => Math.round(v * 100) / 100;
