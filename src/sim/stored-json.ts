import { z } from 'zod';
import { parseJsonWith } from '../core/schema.js';
import type { Doc } from './doc.js';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A document as the simulator stores it in `docs.data`: disk data it wrote itself, so only the
 * shape is checked here (a JSON object; the doctype's code reads each field loosely, as Frappe
 * does). Checked without copying: every list and read of the site goes through it.
 */
const storedDoc = z.custom<Doc>(isObject, 'a JSON object');

/** Several columns out of one `json_extract(data, p1, p2, …)`: a JSON array. */
const extracted = z.custom<unknown[]>((v) => Array.isArray(v), 'a JSON array');

/** The stored body of a document; `where` names it in the error (doctype and name). */
export function parseStoredDoc(text: string, where: string): Doc {
  return parseJsonWith(storedDoc, text, where);
}

/** The values a multi-path json_extract returned. */
export function parseExtracted(text: string, where: string): unknown[] {
  return parseJsonWith(extracted, text, where);
}
