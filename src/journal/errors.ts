/** Why the journal refused to append or read. */
export const JournalErrorKinds = {
  /** The record to append is malformed (type, totals, body, invoice number). */
  InvalidRecord: 'InvalidRecord',
  /** The signer is not the terminal's active key, or belongs to another terminal. */
  WrongKey: 'WrongKey',
  /** A signed head file is missing, malformed, badly signed or would move backwards. */
  BadAnchor: 'BadAnchor',
  /** A record read back fails its hash, signature or place in the chain (`seq` names it). */
  Tampered: 'Tampered',
} as const;
export type JournalErrorKind = (typeof JournalErrorKinds)[keyof typeof JournalErrorKinds];

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    readonly kind: JournalErrorKind,
    message: string,
    /** The record at fault, when there is one. */
    readonly seq?: number,
  ) {
    super(message);
  }
}
