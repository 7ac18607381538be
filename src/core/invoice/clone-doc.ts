import { Dec } from '../money/decimal.js';
import type { Doc } from './doc.js';

/**
 * A deep copy of an invoice being computed: its rows, tables and maps are new, its decimals
 * shared (they are immutable). Any other kind of object is refused rather than shared, so a
 * field added to `Doc` later cannot leak one settlement's writes into another's.
 */
export function cloneDoc(doc: Doc): Doc {
  return copy(doc, 'doc') as Doc;
}

function copy(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Dec) return value;
  if (Array.isArray(value)) return value.map((v, i) => copy(v, `${path}[${i}]`));
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(k, copy(v, `${path}.${String(k)}`));
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new TypeError(`cloneDoc: ${path} is not plain data`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copy(v, `${path}.${k}`);
  return out;
}
