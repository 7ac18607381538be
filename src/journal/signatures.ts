import type { KeyObject } from 'node:crypto';
import { importPublicKey, keyIdOf, verifySignature } from './keys.js';
import type { Entry } from './inspect.js';
import type { ProblemList } from './problems.js';
import { rotationTarget } from './rotation-proof.js';

/**
 * Checks signatures in chain order, tracking the active key: the first record may use any
 * registered key; after a valid key_rotation only its new key may sign. A retired or unknown
 * key is a BAD_SIGNATURE even when the signature itself is valid under it.
 * Returns the entries whose signature is valid under the key that was active for them.
 */
export function checkSignatures(
  chain: readonly Entry[],
  registered: ReadonlyMap<string, KeyObject | string>,
  problems: ProblemList,
): Set<Entry> {
  const keys = new Map<string, KeyObject>();
  for (const [keyId, key] of registered) {
    const object = typeof key === 'string' ? importPublicKey(key) : key;
    // A mislabelled map entry would let one key vouch under another's id.
    if (keyIdOf(object) !== keyId) throw new TypeError(`publicKeys: ${keyId} is not that key's id`);
    keys.set(keyId, object);
  }
  const signed = new Set<Entry>();
  let active: string | null = null;
  for (const entry of chain) {
    const { header, headerText, signature } = entry;
    if (!header || headerText === null || !signature) continue;
    const bad = (detail: string) => problems.add('BAD_SIGNATURE', header.seq, detail);
    const key = keys.get(header.key_id);
    if (!key) {
      bad(`key ${header.key_id} is not a registered key of this terminal`);
      continue;
    }
    if (!verifySignature(key, Buffer.from(headerText), signature)) {
      bad(`the signature does not verify under key ${header.key_id}`);
      continue;
    }
    if (active !== null && header.key_id !== active) {
      bad(`signed by key ${header.key_id}, but the active key at this seq is ${active}`);
      continue;
    }
    signed.add(entry);
    active = header.key_id;
    if (header.type === 'key_rotation' && entry.intact && entry.body) {
      const target = rotationTarget(entry.body, header.terminal, header.key_id);
      if (typeof target === 'string') bad(target);
      else {
        // The old key vouches for the new one, so it need not be registered yet.
        const known = keys.get(target.keyId);
        if (known && !known.equals(target.publicKey)) bad('key_rotation names a different key');
        else keys.set(target.keyId, target.publicKey);
        active = target.keyId;
      }
    }
  }
  return signed;
}
