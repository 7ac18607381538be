import { parseStoredDoc } from './stored-json.js';

/** One stored row: a parent document or a child-table row. `data` holds every column value. */
export interface StoredRow {
  readonly doctype: string;
  readonly name: string;
  readonly parent: string | null;
  readonly parentfield: string | null;
  readonly parenttype: string | null;
  readonly idx: number;
  readonly docstatus: number;
  readonly creation: string;
  readonly modified: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A row whose `data` is already JSON text (bulk loads serialize as they shape). */
export interface EncodedRow extends Omit<StoredRow, 'data'> {
  readonly json: string;
}

/** One value of a flat row (`SimDb.bulkInsertFlat`). */
export type FlatValue = string | number | null;

export interface RawRow {
  doctype: string;
  name: string;
  parent: string | null;
  parentfield: string | null;
  parenttype: string | null;
  idx: number;
  docstatus: number;
  creation: string;
  modified: string;
  data: string;
}

export const toStored = (r: RawRow): StoredRow => ({
  ...r,
  data: parseStoredDoc(r.data, `docs: ${r.doctype} ${r.name}`),
});
export const toParams = (r: StoredRow): RawRow => ({
  doctype: r.doctype,
  name: r.name,
  parent: r.parent,
  parentfield: r.parentfield,
  parenttype: r.parenttype,
  idx: r.idx,
  docstatus: r.docstatus,
  creation: r.creation,
  modified: r.modified,
  data: JSON.stringify(r.data),
});
