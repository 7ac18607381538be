import type { KeyObject } from 'node:crypto';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict } from './digest.js';
import { importPublicKey, keyIdOf, verifySignature } from './keys.js';

/**
 * The statement the new key signs to prove it is held by this terminal, so nobody can rotate the
 * chain onto a public key whose private half they do not control (or that belongs elsewhere).
 */
export const rotationProofText = (terminal: string, oldKeyId: string, newKeyId: string): string =>
  canonicalize({
    purpose: 'outpost-key-rotation/1',
    terminal,
    old_key_id: oldKeyId,
    new_key_id: newKeyId,
  });

/**
 * The new key a key_rotation body introduces, when its public key matches its key_id and its
 * proof verifies; a string saying why not otherwise.
 */
export function rotationTarget(
  body: Readonly<Record<string, unknown>>,
  terminal: string,
  oldKeyId: string,
): { keyId: string; publicKey: KeyObject } | string {
  const { new_key_id, new_public_key, proof } = body;
  if (typeof new_key_id !== 'string' || typeof new_public_key !== 'string') {
    return 'key_rotation body lacks new_key_id or new_public_key';
  }
  let publicKey;
  try {
    publicKey = importPublicKey(new_public_key);
  } catch {
    return 'key_rotation body has a malformed public key';
  }
  if (keyIdOf(publicKey) !== new_key_id) return 'key_rotation new_key_id does not match its key';
  const sig = decodeBase64Strict(proof);
  const statement = Buffer.from(rotationProofText(terminal, oldKeyId, new_key_id));
  if (!sig || !verifySignature(publicKey, statement, sig)) {
    return 'key_rotation proof of possession does not verify';
  }
  return { keyId: new_key_id, publicKey };
}
