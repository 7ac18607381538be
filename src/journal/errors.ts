/** Why the journal refused to append or read. */
type JournalErrorKind =
  /** The record to append is malformed (type, totals, body, invoice number). */
  | 'InvalidRecord'
  /** The signer is not the terminal's active key, or belongs to another terminal. */
  | 'WrongKey'
  /** A signed head file is missing, malformed, badly signed or would move backwards. */
  | 'BadAnchor'
  /** A record read back fails its hash, signature or place in the chain (`seq` names it). */
  | 'Tampered';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    readonly kind: JournalErrorKind,
    message: string,
    /** Where: the record at fault (`seq`) or the field of a file read back (e.g. `seq` of head.json). */
    readonly at: { readonly seq?: number; readonly field?: string } = {},
  ) {
    super(message);
  }

  get seq(): number | undefined {
    return this.at.seq;
  }

  get field(): string | undefined {
    return this.at.field;
  }
}
