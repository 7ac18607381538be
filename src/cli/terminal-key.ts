import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  exportPublicKey,
  generateTerminalKey,
  isEncryptedKeyFile,
  KeyFileError,
  loadTerminalKey,
  savePlainTerminalKey,
  saveTerminalKey,
  type PublicKeyExport,
  type TerminalKey,
} from '../journal/index.js';
import { ConfigError, paths, readJsonFile, writePrivate } from './config.js';

export const tillPaths = (dir: string) => ({
  ...paths(dir),
  key: join(dir, 'terminal-key.json'),
  publicKeys: join(dir, 'terminal-keys.json'),
  head: join(dir, 'head.json'),
  /** The layout before 0.1: a random passphrase beside the key, which protected nothing. */
  legacySecret: join(dir, 'terminal-key.secret'),
});

/** Where the key's passphrase may come from: never a file in the data directory. */
interface KeyEnv {
  readonly OUTPOST_KEY_PASSPHRASE?: string | undefined;
}

const passphraseOf = (env: KeyEnv): string | null => env.OUTPOST_KEY_PASSPHRASE || null;

/**
 * The till's signing key. With OUTPOST_KEY_PASSPHRASE it is kept encrypted under that
 * passphrase (scrypt, AES-256-GCM); without, it is kept unencrypted in a 0600 file. A key in
 * the old layout (encrypted under a secret stored beside it) still opens; given a passphrase it
 * is re-encrypted under it, as is an unencrypted key, and the old secret file is removed.
 * Made on first use (unless `readOnly`), with its public half recorded in terminal-keys.json.
 */
export function terminalKey(
  dir: string,
  terminal: string,
  env: KeyEnv = process.env,
  readOnly = false,
): TerminalKey {
  const p = tillPaths(dir);
  const passphrase = passphraseOf(env);
  if (!existsSync(p.key)) {
    if (readOnly) {
      throw new ConfigError(`${p.key}: no terminal key (this till never sold)`, 'NotReady', 'key');
    }
    const key = generateTerminalKey(terminal);
    if (passphrase) saveTerminalKey(p.key, key, passphrase);
    else savePlainTerminalKey(p.key, key);
    writePublicKeys(dir, [...readPublicKeys(dir), exportPublicKey(key.publicKey)]);
    return key;
  }
  const legacy = existsSync(p.legacySecret) ? readFileSync(p.legacySecret, 'utf8').trim() : null;
  let key: TerminalKey;
  try {
    key = loadTerminalKey(p.key, legacy ?? passphrase);
  } catch (e) {
    // A re-encryption that stopped before the old secret was removed: the passphrase opens it.
    if (!(e instanceof KeyFileError) || legacy === null || !passphrase) throw e;
    key = loadTerminalKey(p.key, passphrase);
  }
  if (!readOnly && passphrase && (legacy !== null || !isEncryptedKeyFile(p.key))) {
    saveTerminalKey(p.key, key, passphrase, undefined, { replace: true });
    if (legacy !== null) unlinkSync(p.legacySecret);
  }
  return key;
}

/** How the key is kept, in words for `status` and the docs. */
export function keyProtection(dir: string): string {
  const p = tillPaths(dir);
  if (!existsSync(p.key)) return 'no terminal key yet (made at the first till command)';
  if (existsSync(p.legacySecret)) {
    return 'unencrypted in effect: encrypted under a secret stored beside it (old layout); set OUTPOST_KEY_PASSPHRASE to encrypt it';
  }
  return isEncryptedKeyFile(p.key)
    ? 'encrypted under OUTPOST_KEY_PASSPHRASE'
    : 'unencrypted, readable by its owner only (0600); set OUTPOST_KEY_PASSPHRASE to encrypt it';
}

const publicKeysSchema = z.array(
  z.looseObject({
    key_id: z.string().min(1),
    alg: z.literal('Ed25519'),
    raw_base64: z.string().min(1),
    pem: z.string(),
  }),
);

export function readPublicKeys(dir: string): PublicKeyExport[] {
  const file = tillPaths(dir).publicKeys;
  if (!existsSync(file)) return [];
  return readJsonFile(publicKeysSchema, file, 'terminal-keys.json');
}

function writePublicKeys(dir: string, keys: readonly PublicKeyExport[]): void {
  writePrivate(tillPaths(dir).publicKeys, `${JSON.stringify(keys, null, 2)}\n`);
}

export const keyMap = (keys: readonly PublicKeyExport[]): Map<string, string> =>
  new Map(keys.map((k) => [k.key_id, k.raw_base64]));
