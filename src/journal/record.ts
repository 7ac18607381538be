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

/** Net and tax at one tax rate, as decimal strings in the invoice currency. */
export interface RateTotal {
  readonly net: string;
  readonly tax: string;
}

/** Totals carried in the signed header (hence in the receipt QR). Decimal strings, never floats. */
export interface Totals {
  /** Keyed by the rate in percent as a decimal string, e.g. `"20"` or `"5.5"`. */
  readonly per_rate: Readonly<Record<string, RateTotal>>;
  readonly grand_total: string;
}

/** The signed part of a record. Its canonical JSON is what is hashed, signed and chained. */
export interface Header {
  readonly version: 1;
  readonly alg: 'Ed25519';
  readonly key_id: string;
  readonly terminal: string;
  readonly seq: number;
  readonly type: RecordType;
  readonly invoice_no: string | null;
  readonly uuid: string;
  /** ISO 8601 UTC with milliseconds. */
  readonly time: string;
  readonly totals: Totals | null;
  /** SHA-256 hex of the canonical body. */
  readonly body_hash: string;
  /** `hash` of the previous record, or 64 zeros at genesis. */
  readonly prev_hash: string;
}

/** The body of a key_rotation record. */
export interface KeyRotationBody {
  readonly new_key_id: string;
  /** Base64 of the 32 raw bytes. */
  readonly new_public_key: string;
}

const HEADER_KEYS = [
  'alg',
  'body_hash',
  'invoice_no',
  'key_id',
  'prev_hash',
  'seq',
  'terminal',
  'time',
  'totals',
  'type',
  'uuid',
  'version',
].join();

export const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const RATE = /^(0|[1-9]\d*)(\.\d+)?$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const KEY_ID = /^[0-9a-f]{16}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `value` is not valid totals, or null when it is. */
export function totalsProblem(value: unknown): string | null {
  if (!isObject(value) || Object.keys(value).sort().join() !== 'grand_total,per_rate') {
    return 'totals must be {per_rate, grand_total}';
  }
  if (typeof value.grand_total !== 'string' || !DECIMAL.test(value.grand_total)) {
    return 'totals.grand_total must be a decimal string';
  }
  if (!isObject(value.per_rate)) return 'totals.per_rate must be an object';
  for (const [rate, t] of Object.entries(value.per_rate)) {
    if (!RATE.test(rate)) return `totals.per_rate: bad rate ${JSON.stringify(rate)}`;
    const ok =
      isObject(t) &&
      Object.keys(t).sort().join() === 'net,tax' &&
      typeof t.net === 'string' &&
      DECIMAL.test(t.net) &&
      typeof t.tax === 'string' &&
      DECIMAL.test(t.tax);
    if (!ok) return `totals.per_rate[${rate}] must be {net, tax} decimal strings`;
  }
  return null;
}

/**
 * Validates a header read back from disk or an export (nothing there is trusted). Exactly the
 * known keys are allowed, so no other signed object (a head anchor, a manifest) passes as one.
 */
export function parseHeader(value: unknown): Header | string {
  if (!isObject(value)) return 'header is not an object';
  if (Object.keys(value).sort().join() !== HEADER_KEYS) return 'header has unexpected fields';
  const v = value;
  if (v.version !== 1) return 'unknown header version';
  if (v.alg !== 'Ed25519') return 'unknown alg';
  if (typeof v.key_id !== 'string' || !KEY_ID.test(v.key_id)) return 'bad key_id';
  if (typeof v.terminal !== 'string' || v.terminal === '') return 'bad terminal';
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) return 'bad seq';
  if (typeof v.type !== 'string' || !Object.hasOwn(RecordTypes, v.type)) return 'bad type';
  if (v.invoice_no !== null && (typeof v.invoice_no !== 'string' || v.invoice_no === '')) {
    return 'bad invoice_no';
  }
  if (!isUuidV7(v.uuid)) return 'uuid is not a UUIDv7';
  if (typeof v.time !== 'string' || !ISO_MS.test(v.time)) return 'bad time';
  if (v.totals !== null) {
    const problem = totalsProblem(v.totals);
    if (problem !== null) return problem;
  }
  if (!isSha256Hex(v.body_hash)) return 'bad body_hash';
  if (!isSha256Hex(v.prev_hash)) return 'bad prev_hash';
  return v as unknown as Header;
}

/** Validates a key_rotation body. */
export function parseKeyRotationBody(value: unknown): KeyRotationBody | string {
  if (!isObject(value)) return 'body is not an object';
  if (typeof value.new_key_id !== 'string' || !KEY_ID.test(value.new_key_id)) {
    return 'key_rotation body needs new_key_id';
  }
  if (typeof value.new_public_key !== 'string') return 'key_rotation body needs new_public_key';
  return { new_key_id: value.new_key_id, new_public_key: value.new_public_key };
}
