import { Dec, type Quote } from '../core/index.js';
import { invalid } from './errors.js';

/*
 * ERPNext stores quantities, rates and amounts in columns of type decimal(21,9) (Frappe's
 * Currency, Float and Percent: frappe/database/mariadb/database.py, `type_map`), so the largest
 * value it can keep is 999999999999.999999999. A sale beyond that would be signed here and then
 * refused or truncated there: the till refuses it first.
 */

/** The bound every quantity, rate and amount must stay under (in absolute value). */
const COLUMN_LIMIT = new Dec(10).pow(12);

/** `value` as a decimal under the column bound; InvalidInput naming `field` otherwise. */
export function checkMagnitude(field: string, value: Dec): void {
  if (value.abs().gte(COLUMN_LIMIT)) {
    throw invalid(
      field,
      `${value.toFixed()} is too large (ERPNext keeps at most 12 digits before the point)`,
    );
  }
}

/** Decimal text with at most `places` decimals, under the column bound. */
export function checkAmountText(field: string, text: string, places: number): void {
  const decimals = text.split('.')[1]?.length ?? 0;
  if (decimals > places) {
    throw invalid(field, `${text} has more than ${places} decimals (the currency's precision)`);
  }
  checkMagnitude(field, new Dec(text));
}

/** Every line and total of a priced invoice under the column bound (a large qty × rate). */
export function checkQuoteBounds(q: Quote): void {
  q.doc.items.forEach((line, i) => {
    checkMagnitude(`items[${i + 1}].amount`, line.amount);
  });
  checkMagnitude('total', q.doc.total);
  checkMagnitude('grand_total', q.doc.grand_total);
}
