/** EAN-13 check digits and the GS1 variable-measure codes scales print for weighed goods. */

/** The check digit of a 12-digit EAN-13 body: weights 1,3,1,3… from the left, mod 10. */
export function ean13CheckDigit(digits12: string): number {
  if (!/^\d{12}$/.test(digits12)) {
    throw new RangeError(`ean13CheckDigit: expected 12 digits, got ${JSON.stringify(digits12)}`);
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** True for 13 digits whose last one is the check digit of the first 12. */
export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** A 12-digit body completed with its check digit. */
export const ean13 = (digits12: string): string => digits12 + String(ean13CheckDigit(digits12));

/**
 * The prefix of the store's weighed-goods labels: GS1 keeps 20–29 for in-store use, and the
 * seed's layout is `21 PPPPP WWWWW C` (PLU, weight in grams, check digit).
 */
const WEIGHED_PREFIX = '21';

/**
 * A variable-measure EAN-13 for `plu` (0–99999) weighing `grams` (0–99999). The Item Barcode row
 * stores the code with weight 0; the scale prints the same code with the weight filled in.
 */
export function weighedEan13(plu: number, grams: number): string {
  for (const [name, v] of [
    ['plu', plu],
    ['grams', grams],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 99999) {
      throw new RangeError(`weighedEan13: ${name} must be a whole number 0–99999, got ${v}`);
    }
  }
  return ean13(WEIGHED_PREFIX + pad(plu, 5) + pad(grams, 5));
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
