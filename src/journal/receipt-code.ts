/*
 * A receipt's compact verification: which journal record it is (its terminal and its place
 * in that terminal's chain) and the first 60 bits of the record's hash, in Crockford's base 32.
 * The QR carries `OUTPOST/T1/9/K7QM4X2PAB3C`; the paper prints `T1/9/K7QM-4X2P-AB3C` under it,
 * short enough to read out or type. Whoever holds the journal (the node, `outpost verify`)
 * finds the record, checks it (hashes, signature, chain) and then the code against its hash:
 * a receipt whose record was altered, or a code made up, does not match.
 */

/** Crockford's base 32: no I, L, O, U, so a code read off paper types back right. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters × 5 bits: the first 60 bits (15 hex digits) of the record's SHA-256. */
const CODE_LENGTH = 12;
const HEX_DIGITS = 15;
const PREFIX = 'OUTPOST/';

/** A receipt's pointer into the journal, as scanned or typed. */
export interface ReceiptCode {
  readonly terminal: string;
  /** The record's seq in its terminal's chain (its header's `seq`). */
  readonly seq: number;
  /** 12 base-32 characters, upper case, no dashes. */
  readonly code: string;
}

/** The check code of a record hash (SHA-256 hex): its first 60 bits in base 32. */
export function hashCode(hashHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(hashHex)) throw new RangeError('expected a SHA-256 hex digest');
  let v = BigInt(`0x${hashHex.slice(0, HEX_DIGITS)}`);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    out = `${ALPHABET[Number(v & 31n)] ?? ''}${out}`;
    v >>= 5n;
  }
  return out;
}

/** What the receipt carries: the QR's payload and the code printed for people. */
export function receiptCode(
  terminal: string,
  seq: number,
  hashHex: string,
): { payload: string; human: string } {
  const code = hashCode(hashHex);
  const grouped = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  return { payload: `${PREFIX}${terminal}/${seq}/${code}`, human: `${terminal}/${seq}/${grouped}` };
}

/**
 * A scanned QR or a typed code (`T1/9/K7QM-4X2P-AB3C`, any case, O for 0 and I or L for 1
 * forgiven), or null when the text is not one (a receipt number, say).
 */
export function parseReceiptCode(text: string): ReceiptCode | null {
  const t = text.trim();
  const rest = t.toUpperCase().startsWith(PREFIX) ? t.slice(PREFIX.length) : t;
  const m = /^([A-Za-z0-9_-]{1,16})\/(\d{1,15})\/([0-9A-Za-z -]{12,20})$/.exec(rest);
  if (!m) return null;
  const seq = Number(m[2]);
  const code = (m[3] ?? '')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return { terminal: m[1] ?? '', seq, code };
}
