/** Why the till refused something. `kind` is stable (scripts and the UI branch on it). */
type PosErrorKind =
  // A field is missing or malformed; `field` names it.
  | 'InvalidInput'
  // Unknown cashier or wrong PIN (never says which).
  | 'AuthenticationFailed'
  // Too many wrong PINs: the cashier is locked for a while.
  | 'LockedOut'
  // The cashier's role may not do this.
  | 'NotPermitted'
  // A manager's approval is needed (and was not given or not valid).
  | 'ApprovalRequired'
  // No open shift, or a shift is already open.
  | 'ShiftState'
  // Unknown item, customer, invoice or mode of payment.
  | 'NotFound'
  // The engine refused the invoice as ERPNext would (its message says why).
  | 'InvoiceRefused'
  // Paid too little, a mode not allowed, change from a non-cash mode...
  | 'PaymentRefused'
  // Outside the offline boundaries (too long since ERPNext was reached, sale too large...).
  | 'OfflineLimit'
  // A return for more than was sold, or against something not a sale.
  | 'ReturnRefused'
  // The store is not set up for selling (no master data, no POS Profile...).
  | 'NotReady'
  // The local journal is behind what ERPNext holds of this terminal (a restored backup, a
  // cloned disk): selling waits for a manager's acknowledgement.
  | 'ChainBehind'
  // A journal record read back fails its hash, signature or chain position (message: seq).
  | 'JournalTampered'
  // A device token the node never issued (or a malformed one).
  | 'DeviceUnknown'
  // The device was paired and then revoked: it gets nothing.
  | 'DeviceRevoked'
  // The device asked to pair and no manager has approved its code yet.
  | 'PairingPending'
  // The pairing code (or the unapproved request behind a token) has expired: ask again.
  | 'PairingExpired'
  // The pairing code was already approved or revoked: a code serves once.
  | 'PairingUsed'
  // Too many pairing requests: wait before asking again.
  | 'RateLimited'
  // A session token the node does not hold for this device.
  | 'SessionUnknown'
  // The cashier's session ended (idle too long, logged out, device revoked): log in again.
  | 'SessionExpired';

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
