/**
 * What `outpost audit` reports. Every problem names the ERPNext document and the journal seq it
 * is about (null when the document is gone or the seq unknown) and says what is wrong in words.
 */
export const AUDIT_PROBLEM_KINDS = [
  /** The signed record does not hash or verify (altered header, body, hash or signature). */
  'bad_signature',
  /** Signed with a key ERPNext has not registered for that terminal (or after its retirement). */
  'unknown_key',
  /** ERPNext's document no longer says what the signed record says (amounts, rows, fields). */
  'edited',
  /** A record the chain proves was pushed is not in ERPNext: deleted after the push. */
  'missing_seq',
  /** Consecutive records that do not link (prev_hash), or one seq held twice. */
  'chain_break',
  /** A POS Closing Entry's anchor fields differ from its signed Z report. */
  'anchor_mismatch',
  /** An Outpost document without its signed record. */
  'not_signed',
] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly doctype: string | null;
  readonly name: string | null;
  readonly terminal: string | null;
  readonly seq: number | null;
  readonly message: string;
}

/** What was checked for one terminal. */
export interface TerminalSummary {
  readonly terminal: string;
  /** The store whose series its receipts carry (null: none of its sales is in ERPNext). */
  readonly store: string | null;
  readonly invoices: number;
  readonly closings: number;
  /** Lowest and highest seq of the records held in ERPNext (null when none verified). */
  readonly first_seq: number | null;
  readonly last_seq: number | null;
  readonly problems: number;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly erpnext: string;
  readonly from: string | null;
  readonly checked: { readonly invoices: number; readonly closings: number; readonly keys: number };
  readonly terminals: readonly TerminalSummary[];
  readonly problems: readonly AuditProblem[];
}

/** Where a problem was found: the document, and what the audit knows of its record. */
export interface Where {
  readonly doctype: string | null;
  readonly name: string | null;
  readonly terminal: string | null;
  readonly seq: number | null;
}

export const problem = (kind: AuditProblemKind, at: Where, message: string): AuditProblem => ({
  kind,
  doctype: at.doctype,
  name: at.name,
  terminal: at.terminal,
  seq: at.seq,
  message,
});
