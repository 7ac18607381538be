import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { invalid } from './errors.js';

/** scrypt cost for PINs: ~50 ms and 16 MiB per check on a till, per guess for an attacker. */
const N = 2 ** 14;
const R = 8;
const P = 1;
const LEN = 32;

/** 4 to 12 digits: what a keypad takes. */
export function checkPin(pin: string, field = 'pin'): void {
  if (!/^\d{4,12}$/.test(pin)) throw invalid(field, 'a PIN is 4 to 12 digits');
}

/** "scrypt$N$r$p$salt$hash", salt and hash base64. */
export function hashPin(pin: string): string {
  checkPin(pin);
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, LEN, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check of `pin` against a stored hash; false on a malformed hash. */
export function verifyPin(pin: string, stored: string): boolean {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return expected.length === LEN && timingSafeEqual(actual, expected);
}

/** A hash that no PIN matches, checked against unknown cashiers so they cost the same time. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(LEN).toString('base64')}`;
