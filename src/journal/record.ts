import { z } from 'zod';
import { parseJsonWith, QuoteError, schemaError } from '../core/index.js';
import { isSha256Hex } from './digest.js';
import { isUuidV7 } from './uuid7.js';

/**
 * Every kind of journal record. One chain and one gapless `seq` run through all of them, like
 * ZATCA's ICV or the TSE signature counter, so a deleted login or override shows as a gap too.
 */
export const RecordTypes = {
  sale: 'sale',
  return: 'return',
  /** Cancels an earlier sale: negative totals, the original referenced in the body. */
  void: 'void',
  login: 'login',
  logout: 'logout',
  login_failed: 'login_failed',
  /** A manager's approval (discount, price, return without receipt, force-offline...). */
  override: 'override',
  shift_open: 'shift_open',
  /** The Z report. */
  shift_close: 'shift_close',
  x_report: 'x_report',
  reprint: 'reprint',
  /** Training-mode sale: chained and signed, never counted in totals (RKSV `TRA`). */
  training: 'training',
  /** Hands the chain to a new key; the body names it, the old key signs it. */
  key_rotation: 'key_rotation',
  /** Anything else worth an unalterable trace (lockout, outage, resume after restore). */
  event: 'event',
} as const;
export type RecordType = (typeof RecordTypes)[keyof typeof RecordTypes];

/** The record types whose totals make up the perpetual grand total. */
export const COUNTED_TYPES: readonly RecordType[] = ['sale', 'return', 'void'];

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const RATE = /^(0|[1-9]\d*)(\.\d+)?$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KEY_ID = /^[0-9a-f]{16}$/;

const decimal = z.string('must be a decimal string').regex(DECIMAL, 'must be a decimal string');
const sha256 = z.string().refine(isSha256Hex, 'must be 64 lowercase hex digits');
const keyId = z.string().regex(KEY_ID, 'must be 16 lowercase hex digits');

/** Net and tax at one tax rate, as decimal strings in the invoice currency. */
const RateTotalSchema = z.strictObject({ net: decimal, tax: decimal });

/** Totals carried in the signed header (hence in the receipt QR). Decimal strings, never floats. */
const TotalsSchema = z.strictObject({
  /** Keyed by the rate in percent as a decimal string, e.g. `"20"` or `"5.5"`. */
  per_rate: z.record(z.string(), RateTotalSchema).superRefine((perRate, ctx) => {
    for (const rate of Object.keys(perRate)) {
      if (!RATE.test(rate)) {
        ctx.addIssue({
          code: 'custom',
          path: [rate],
          message: 'must be keyed by a rate in percent, e.g. "20" or "5.5"',
        });
      }
    }
  }),
  grand_total: decimal,
});
export type Totals = Readonly<z.output<typeof TotalsSchema>>;

/**
 * The signed part of a record. Its canonical JSON is what is hashed, signed and chained.
 * Strict: exactly these keys, so no other signed object (a head anchor, a manifest) passes as a
 * header, and nothing read back from disk or an export is trusted unchecked.
 */
const HeaderSchema = z.strictObject({
  version: z.literal(1, 'unknown header version'),
  alg: z.literal('Ed25519', 'unknown alg'),
  key_id: keyId,
  terminal: z.string().min(1, 'must not be blank'),
  seq: z.int().min(1),
  type: z.enum(RecordTypes),
  invoice_no: z.string().min(1, 'must not be blank').nullable(),
  uuid: z.string().refine(isUuidV7, 'must be a UUIDv7'),
  /** ISO 8601 UTC with milliseconds. */
  time: z.string().regex(ISO_MS, 'must be ISO 8601 UTC with milliseconds'),
  totals: TotalsSchema.nullable(),
  /** SHA-256 hex of the canonical body. */
  body_hash: sha256,
  /** `hash` of the previous record, or 64 zeros at genesis. */
  prev_hash: sha256,
});
export type Header = Readonly<z.output<typeof HeaderSchema>>;

/** The body of a key_rotation record (other fields, such as the proof, are kept). */
const KeyRotationBodySchema = z.looseObject({
  new_key_id: keyId,
  /** Base64 of the 32 raw bytes. */
  new_public_key: z.string(),
});
type KeyRotationBody = Readonly<z.output<typeof KeyRotationBodySchema>>;

/**
 * `value` against `schema`, or why not as `where: field: problem` (the first problem found).
 * The journal reports problems as text (a verifier lists them, it does not stop at one).
 */
function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> | string {
  const r = schema.safeParse(value);
  return r.success ? r.data : schemaError(r.error, where).message;
}

/** Why `value` is not valid totals, or null when it is. */
export function totalsProblem(value: unknown): string | null {
  const r = check(TotalsSchema, value, 'totals');
  return typeof r === 'string' ? r : null;
}

/** Validates a header read back from disk or an export; a string says which field is wrong. */
export function parseHeader(value: unknown): Header | string {
  return check(HeaderSchema, value, 'header');
}

/** Validates a key_rotation body; a string says which field is wrong. */
export function parseKeyRotationBody(value: unknown): KeyRotationBody | string {
  return check(KeyRotationBodySchema, value, 'key_rotation body');
}

/** A stored key_rotation body (JSON text) checked; a string says which field is wrong. */
export function readKeyRotationBody(text: string): KeyRotationBody | string {
  try {
    return parseJsonWith(KeyRotationBodySchema, text, 'key_rotation body');
  } catch (e) {
    if (e instanceof QuoteError) return e.message;
    throw e;
  }
}
