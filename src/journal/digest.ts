import { createHash } from 'node:crypto';

/** The `prev_hash` of a terminal's first record: no predecessor. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** Lowercase hex SHA-256 of the UTF-8 bytes of `data`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const isSha256Hex = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/**
 * Strict base64: decodes only text that is the canonical encoding of its bytes. Node's decoder
 * ignores stray characters and the unused low bits of the last symbol, so without this check
 * several distinct stored strings would decode to the same (valid) signature.
 */
export function decodeBase64Strict(text: unknown): Buffer | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
