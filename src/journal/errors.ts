/** Why the journal refused to append or read. */
export const JournalErrorKinds = {
  /** The record to append is malformed (type, totals, body, invoice number). */
  InvalidRecord: 'InvalidRecord',
  /** The signer is not the terminal's active key, or belongs to another terminal. */
  WrongKey: 'WrongKey',
  /** A signed head file is missing, malformed, badly signed or would move backwards. */
  BadAnchor: 'BadAnchor',
} as const;
export type JournalErrorKind = (typeof JournalErrorKinds)[keyof typeof JournalErrorKinds];

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
