/** A scalar field of an ERPNext document as text ('' for null, absent, objects or lists). */
export const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
