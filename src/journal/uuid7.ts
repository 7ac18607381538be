import { randomBytes } from 'node:crypto';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a lowercase RFC 9562 version 7 UUID. */
export const isUuidV7 = (value: unknown): value is string =>
  typeof value === 'string' && UUID_V7.test(value);

/**
 * A UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, then 74 random bits. Time-ordered, so
 * the ERPNext idempotency key also sorts like the journal; `random` is injectable for tests.
 */
export function uuidv7(epochMs: number, random: Uint8Array = randomBytes(10)): string {
  if (!Number.isSafeInteger(Math.floor(epochMs)) || epochMs < 0) {
    throw new RangeError(`uuidv7: bad timestamp ${epochMs}`);
  }
  if (random.length < 10) throw new RangeError('uuidv7: need 10 random bytes');
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.floor(epochMs), 0, 6);
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
