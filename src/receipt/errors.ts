/** A receipt cannot be built or sent; `field` names the offending input where there is one. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
}
