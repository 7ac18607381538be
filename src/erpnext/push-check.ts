import { Dec } from '../core/index.js';
import { text } from './text.js';

type Rec = Readonly<Record<string, unknown>>;

/** The figures that must stand in ERPNext exactly as signed. */
export const CHECKED_FIELDS = [
  'grand_total',
  'rounded_total',
  'total_taxes_and_charges',
  'paid_amount',
] as const;

export interface Difference {
  readonly field: string;
  readonly signed: string;
  readonly erpnext: string;
}

const asDec = (v: unknown): Dec | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return new Dec(String(v));
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return new Dec(v);
  return v === undefined || v === null ? new Dec(0) : null;
};

/**
 * Where ERPNext's stored invoice differs from the signed one. ERPNext's JSON floats are read
 * as the decimals they print as (shortest round-trip text), so 10.1 is exactly 10.1 here.
 */
export function totalDifferences(signed: Rec, erpnext: Rec): Difference[] {
  const out: Difference[] = [];
  for (const field of CHECKED_FIELDS) {
    const a = asDec(signed[field]);
    const b = asDec(erpnext[field]);
    if (a !== null && b !== null && a.eq(b)) continue;
    out.push({ field, signed: text(signed[field]), erpnext: text(erpnext[field]) });
  }
  return out;
}
