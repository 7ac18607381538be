import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ErpClient } from '../../erpnext/client.js';
import { readAnswer } from '../../erpnext/answers.js';
import { importPublicKey, keyIdOf } from '../../journal/index.js';
import { KEY_DOCTYPE } from '../setup-keys.js';
import { listAll } from './read.js';

/** A terminal key as ERPNext has it registered ("Outpost Terminal Key"). */
export interface RegisteredKey {
  readonly keyId: string;
  readonly terminal: string;
  /** Null when the record's public key is unreadable or is not the key its id names. */
  readonly publicKey: KeyObject | null;
  readonly retiredAt: string | null;
}

const KeyRow = z.looseObject({
  key_id: z.string(),
  terminal: z.string(),
  alg: z.string().nullable().optional(),
  public_key: z.string(),
  retired_at: z.string().nullable().optional(),
});

function publicKeyOf(keyId: string, alg: string | null | undefined, text: string) {
  if (alg !== 'Ed25519') return null;
  try {
    const key = importPublicKey(text);
    // A record whose key is not the one its id names must not vouch for anything.
    return keyIdOf(key) === keyId ? key : null;
  } catch {
    return null;
  }
}

/** Every registered terminal key, by key_id. */
export async function registeredKeys(
  erp: Pick<ErpClient, 'list'>,
): Promise<Map<string, RegisteredKey>> {
  const rows = await listAll(
    erp,
    KEY_DOCTYPE,
    [],
    ['key_id', 'terminal', 'alg', 'public_key', 'retired_at'],
  );
  const keys = new Map<string, RegisteredKey>();
  for (const raw of rows) {
    const row = readAnswer(KeyRow, raw, KEY_DOCTYPE);
    keys.set(row.key_id, {
      keyId: row.key_id,
      terminal: row.terminal,
      publicKey: publicKeyOf(row.key_id, row.alg, row.public_key),
      retiredAt: row.retired_at || null,
    });
  }
  return keys;
}
