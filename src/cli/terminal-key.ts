import { existsSync } from 'node:fs';
import { isEncryptedKeyFile, type PublicKeyExport, type TerminalKey } from '../journal/index.js';
import {
  keyMap as keyMapOf,
  readPublicKeys as readKeysOf,
  terminalFiles,
  terminalKeyOf,
  type KeyEnv,
} from '../pos/node-files.js';
import { paths } from './config.js';

/** The data directory's files, with those of the node's first terminal (kept in DIR itself). */
export const tillPaths = (dir: string) => ({
  ...paths(dir),
  ...terminalFiles(dir, '', true),
});

/** The first terminal's signing key (see pos/node-files.ts terminalKeyOf). */
export function terminalKey(
  dir: string,
  terminal: string,
  env: KeyEnv = process.env,
  readOnly = false,
): TerminalKey {
  return terminalKeyOf(terminalFiles(dir, terminal, true), terminal, env, readOnly);
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

/** The first terminal's public keys (terminal-keys.json). */
export function readPublicKeys(dir: string): PublicKeyExport[] {
  return readKeysOf(terminalFiles(dir, '', true));
}

export const keyMap = keyMapOf;
