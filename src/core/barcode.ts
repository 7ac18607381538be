import { Dec } from './money/decimal.js';

/** EAN-13 / GTIN check digit of the first 12 digits (weights 1,3,1,3… from the left). */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12))
    throw new RangeError(`expected 12 digits, got ${JSON.stringify(first12)}`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/**
 * A rule of the barcode nomenclature for GS1 variable-measure EAN-13 (prefixes 20–29), in the
 * spirit of Odoo's: a pattern of digits and letters where `P` marks the item reference, `W` the
 * weight in grams (or `decimals` places of the stock unit), `$` the price in minor units, and
 * fixed digits the prefix. Example: `21PPPPPWWWWWC` = prefix 21, 5-digit PLU, weight in grams.
 */
export interface VariableMeasureRule {
  readonly name: string;
  readonly pattern: string;
  readonly kind: 'weight' | 'price';
  /** Decimal places of the encoded value: 3 for grams→Kg, 2 for cents. */
  readonly decimals: number;
}

/** Defaults: weight in grams under prefixes 20–24 and 28, price in cents under 25–27 and 29. */
export const DEFAULT_RULES: readonly VariableMeasureRule[] = [
  ...['20', '21', '22', '23', '24', '28'].map((p) => ({
    name: `weight-${p}`,
    pattern: `${p}PPPPPWWWWWC`,
    kind: 'weight' as const,
    decimals: 3,
  })),
  ...['25', '26', '27', '29'].map((p) => ({
    name: `price-${p}`,
    pattern: `${p}PPPPP$$$$$C`,
    kind: 'price' as const,
    decimals: 2,
  })),
];

interface VariableMeasure {
  readonly rule: string;
  /** The code under which the item's barcode is registered: the scan with the value zeroed. */
  readonly lookup: string;
  /** The item reference digits (PLU). */
  readonly reference: string;
  readonly kind: 'weight' | 'price';
  readonly value: Dec;
}

/**
 * Parses a scan under the rules. Returns null when no rule matches; throws when the EAN-13 check
 * digit is wrong (a misread must never sell at a wrong weight or price).
 */
export function parseVariableMeasure(
  scan: string,
  rules: readonly VariableMeasureRule[] = DEFAULT_RULES,
): VariableMeasure | null {
  if (!/^\d{13}$/.test(scan)) return null;
  for (const rule of rules) {
    if (rule.pattern.length !== 13) continue;
    let ok = true;
    let reference = '';
    let value = '';
    for (let i = 0; i < 13 && ok; i++) {
      const p = rule.pattern[i];
      const c = scan[i] ?? '';
      if (p === 'P') reference += c;
      else if (p === 'W' || p === '$') value += c;
      else if (p === 'C') continue;
      else if (p !== c) ok = false;
    }
    if (!ok || !reference || !value) continue;
    if (!isValidEan13(scan)) throw new RangeError(`barcode ${scan}: wrong check digit`);
    const zeroed = [...rule.pattern.slice(0, 12)]
      .map((p, i) => (p === 'W' || p === '$' ? '0' : (scan[i] ?? '')))
      .join('');
    return {
      rule: rule.name,
      lookup: zeroed + String(ean13CheckDigit(zeroed)),
      reference,
      kind: rule.kind,
      value: new Dec(value).div(new Dec(10).pow(rule.decimals)),
    };
  }
  return null;
}
