import { ReceiptError } from './errors.js';

/** The moment of issue as printed: local date and time at the store, and its UTC offset. */
export interface IssuedAt {
  readonly iso: string;
  readonly date: string;
  readonly time: string;
  readonly offset: string;
}

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Splits "2026-11-27T14:03:12+01:00" into its printed parts without converting it: the receipt
 * shows the store's wall-clock time, and the offset makes it unambiguous.
 */
export function parseIssuedAt(iso: string): IssuedAt {
  const m = ISO.exec(iso);
  if (!m || Number.isNaN(Date.parse(iso))) {
    throw new ReceiptError('expected ISO 8601 with seconds and an offset', 'issuedAt');
  }
  const [, date = '', time = '', zone = ''] = m;
  return { iso, date, time, offset: zone === 'Z' ? '+00:00' : zone };
}
