/** Why the journal refused to append or read. */
type JournalErrorKind =
  /** The record to append is malformed (type, totals, body, invoice number). */
  | 'InvalidRecord'
  /** The signer is not the terminal's active key, or belongs to another terminal. */
  | 'WrongKey'
  /** A signed head file is missing, malformed, badly signed or would move backwards. */
  | 'BadAnchor';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    readonly kind: JournalErrorKind,
    message: string,
    /** The field at fault in a file read back (e.g. `seq` of head.json), when one is. */
    readonly field?: string,
  ) {
    super(message);
  }
}
