import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseWith } from '../core/index.js';
import type { PublicKeyExport } from '../journal/index.js';
import { readRecords, readVerifiedRecord } from '../journal/index.js';
import type { LocalKey } from './setup-keys.js';

const RotationBody = z.looseObject({ new_key_id: z.string(), new_public_key: z.string() });

/**
 * Every key this terminal has signed with, in the order it got them: the keys it recorded
 * (terminal-keys.json and the current one), then each key a key_rotation record introduced,
 * the key it replaced marked retired at that record's time. A rotation is taken only once the
 * record is verified (hashes, links, signature by the key then active, the new key's proof of
 * possession): a tampered one throws JournalError `Tampered`, and nothing is registered from it.
 */
export function localKeys(
  db: Database.Database,
  terminal: string,
  recorded: readonly PublicKeyExport[],
): LocalKey[] {
  const known = new Map<string, string>();
  for (const k of recorded) known.set(k.key_id, k.raw_base64);
  const retired = new Map<string, string>();
  for (const record of readRecords(db, { terminal })) {
    if (record.header.type !== 'key_rotation') continue;
    const verified = readVerifiedRecord(db, record.seq, { publicKeys: known, terminal });
    const body = parseWith(RotationBody, verified.body, `key_rotation at seq ${record.header.seq}`);
    retired.set(verified.header.key_id, verified.header.time);
    known.set(body.new_key_id, body.new_public_key);
  }
  return [...known].map(([key_id, public_key]) => ({
    terminal,
    key_id,
    alg: 'Ed25519',
    public_key,
    retired_at: retired.get(key_id) ?? null,
  }));
}
