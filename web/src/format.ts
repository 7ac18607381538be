/*
 * Numbers, money and dates through Intl in the browser's locale. Money is formatted from what
 * the node sent (a decimal string, or a number it already rounded) and never computed with.
 */

export interface Formats {
  money(value: number | string): string;
  qty(value: number | string): string;
  dateTime(iso: string): string;
  time(iso: string): string;
}

type Numeric = Parameters<Intl.NumberFormat['format']>[0];

export function formats(currency: string, precision: number, locale?: string): Formats {
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: precision,
    maximumFractionDigits: precision,
  });
  const qty = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  // Intl formats a decimal string exactly (no trip through a binary float).
  return {
    money: (v) => money.format(v as Numeric),
    qty: (v) => qty.format(v as Numeric),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    time: (iso) => time.format(new Date(iso)),
  };
}

/**
 * Quick cash: the exact amount, then the next multiples of the usual notes above it. Works on
 * the decimal string in integer minor units (BigInt): no float ever holds the money.
 */
export function quickCash(due: string, precision: number, notes: readonly number[]): string[] {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(due);
  if (!m) return [];
  const scale = 10n ** BigInt(precision);
  const frac = (m[2] ?? '').padEnd(precision, '0').slice(0, precision);
  const minor = BigInt(m[1] ?? '0') * scale + BigInt(frac || '0');
  const toText = (v: bigint) =>
    precision === 0
      ? v.toString()
      : `${v / scale}.${(v % scale).toString().padStart(precision, '0')}`;
  const out = [toText(minor)];
  for (const note of notes) {
    const step = BigInt(note) * scale;
    const up = ((minor + step - 1n) / step) * step;
    const text = toText(up);
    if (up > minor && !out.includes(text)) out.push(text);
  }
  return out.slice(0, 5);
}

/** A JSON number the node rounded, as the decimal string the API takes back. */
export function decimalText(v: number, precision: number): string {
  return v.toFixed(precision);
}
