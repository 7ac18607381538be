/*
 * A quantity typed at the till (a weight read off the counter scale): checked as text, never
 * through a binary float, and given back as the decimal string the node takes.
 */

export type QuantityCheck = { readonly qty: string } | { readonly problem: string };

/** The most digits before the point: no scale at a till weighs a billion units. */
const MAX_WHOLE_DIGITS = 9;

/**
 * Checks `text` as a quantity above 0 with at most `precision` decimals (the unit's, from the
 * catalog). `problem` reads after the field's name ("Weight (Kg): …").
 * @example checkQuantity('0.450', 3) // { qty: '0.45' }
 */
export function checkQuantity(text: string, precision: number): QuantityCheck {
  const t = text.trim();
  if (t === '') return { problem: 'enter the quantity' };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  const whole = m?.[1] ?? '';
  const frac = m?.[2] ?? '';
  if (!m || (whole === '' && frac === '')) {
    return { problem: `“${t}” is not a number; type digits and at most one point, e.g. 0.450` };
  }
  const w = whole.replace(/^0+(?=\d)/, '') || '0';
  if (w.length > MAX_WHOLE_DIGITS) return { problem: `${t} is too large` };
  const f = frac.replace(/0+$/, '');
  if (f.length > precision) {
    return {
      problem:
        precision === 0
          ? `${t} is not a whole number; this unit is sold whole`
          : `${t} has more than ${precision} decimals`,
    };
  }
  if (/^0+$/.test(w) && f === '') return { problem: 'must be more than 0' };
  return { qty: f === '' ? w : `${w}.${f}` };
}
