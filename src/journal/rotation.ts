import type Database from 'better-sqlite3';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { JournalError } from './errors.js';
import type { JournalRecord } from './journal.js';
import { appendRecord } from './journal.js';
import type { Signer } from './keys.js';
import { publicKeyRaw } from './keys.js';
import { rotationProofText } from './rotation-proof.js';

/**
 * Hands the chain from `current` to `next`: a key_rotation record signed by the current key,
 * carrying the new public key and the new key's proof of possession. Every later record must be
 * signed by `next`. Register the new key in ERPNext before or with this record's upload.
 */
export function rotateKey(
  db: Database.Database,
  current: Signer,
  next: Signer,
  clock: Clock = systemClock,
): JournalRecord {
  if (next.terminal !== current.terminal) {
    throw new JournalError('WrongKey', 'the new key belongs to another terminal');
  }
  const proof = next.sign(
    Buffer.from(rotationProofText(current.terminal, current.keyId, next.keyId)),
  );
  const body = {
    new_key_id: next.keyId,
    new_public_key: publicKeyRaw(next.publicKey).toString('base64'),
    proof: proof.toString('base64'),
  };
  return appendRecord(db, current, { type: 'key_rotation', body }, clock);
}
