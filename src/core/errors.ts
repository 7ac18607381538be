/**
 * Errors the engine raises where ERPNext would refuse the document. `kind` is the Frappe
 * exception class name (`exc_type` in ERPNext's error body), so a caller can tell a refusal the
 * server would also give from a bug of ours.
 */
type ErrorKind =
  | 'ValidationError'
  | 'MandatoryError'
  | 'LinkValidationError'
  | 'InvalidQtyError'
  | 'UOMMustBeIntegerError'
  | 'MultiplePricingRuleConflict'
  | 'PartialPaymentValidationError'
  | 'UnsupportedPricingRule'
  | 'InvalidInput'
  // A defect of ours, not a refusal ERPNext would give.
  | 'InternalError';

export class QuoteError extends Error {
  override readonly name = 'QuoteError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The field at fault, as a path such as `items[2].qty`, when one is. */
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { kind: ErrorKind; message: string; field?: string } {
    return this.field === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, field: this.field };
  }
}

/** Bad input shape: a missing, mistyped or unknown value in the request or master data. */
export const invalid = (field: string, problem: string): QuoteError =>
  new QuoteError('InvalidInput', `${field}: ${problem}`, field);
