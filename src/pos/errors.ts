/** Why the till refused something. `kind` is stable (scripts and the UI branch on it). */
export const PosErrorKinds = {
  /** A field is missing or malformed; `field` names it. */
  InvalidInput: 'InvalidInput',
  /** Unknown cashier or wrong PIN (never says which). */
  AuthenticationFailed: 'AuthenticationFailed',
  /** Too many wrong PINs: the cashier is locked for a while. */
  LockedOut: 'LockedOut',
  /** The cashier's role may not do this. */
  NotPermitted: 'NotPermitted',
  /** A manager's approval is needed (and was not given or not valid). */
  ApprovalRequired: 'ApprovalRequired',
  /** No open shift, or a shift is already open. */
  ShiftState: 'ShiftState',
  /** Unknown item, customer, invoice or mode of payment. */
  NotFound: 'NotFound',
  /** The engine refused the invoice as ERPNext would (its message says why). */
  InvoiceRefused: 'InvoiceRefused',
  /** Paid too little, a mode not allowed, change from a non-cash mode... */
  PaymentRefused: 'PaymentRefused',
  /** Outside the offline boundaries (too long since ERPNext was reached, sale too large...). */
  OfflineLimit: 'OfflineLimit',
  /** A return for more than was sold, or against something not a sale. */
  ReturnRefused: 'ReturnRefused',
  /** The store is not set up for selling (no master data, no POS Profile...). */
  NotReady: 'NotReady',
  /** A journal record read back fails its hash, signature or chain position (message: seq). */
  JournalTampered: 'JournalTampered',
} as const;
export type PosErrorKind = (typeof PosErrorKinds)[keyof typeof PosErrorKinds];

export class PosError extends Error {
  override readonly name = 'PosError';
  constructor(
    readonly kind: PosErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { kind: PosErrorKind; message: string; field?: string } {
    return { kind: this.kind, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export const invalid = (field: string, message: string): PosError =>
  new PosError('InvalidInput', `${field}: ${message}`, field);
