import { chmodSync, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith, QuoteError } from '../core/index.js';
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
import { PosError } from './errors.js';

/** 1–16 letters, digits, - or _: a terminal's name is part of its invoice numbers and paths. */
export const TERMINAL_NAME = /^[A-Za-z0-9_-]{1,16}$/;

/** Where one terminal of a store node keeps its signing key, public keys and signed head. */
export interface TerminalFiles {
  readonly key: string;
  readonly publicKeys: string;
  readonly head: string;
  /** The layout before 0.1: a random passphrase beside the key, which protected nothing. */
  readonly legacySecret: string;
}

/**
 * The node's first terminal keeps the files a one-terminal store always had, in DIR itself (so
 * an existing store migrates without moving a file); every other in DIR/terminals/NAME/.
 */
export function terminalFiles(dir: string, name: string, first: boolean): TerminalFiles {
  const base = first ? dir : join(dir, 'terminals', name);
  return {
    key: join(base, 'terminal-key.json'),
    publicKeys: join(base, 'terminal-keys.json'),
    head: join(base, 'head.json'),
    legacySecret: join(base, 'terminal-key.secret'),
  };
}

/** Where the key's passphrase may come from: never a file in the data directory. */
export interface KeyEnv {
  readonly OUTPOST_KEY_PASSPHRASE?: string | undefined;
}

/**
 * A terminal's signing key. With OUTPOST_KEY_PASSPHRASE it is kept encrypted under that
 * passphrase (scrypt, AES-256-GCM); without, it is kept unencrypted in a 0600 file. A key in
 * the old layout (encrypted under a secret stored beside it) still opens; given a passphrase it
 * is re-encrypted under it, as is an unencrypted key, and the old secret file is removed.
 * Made on first use (unless `readOnly`), with its public half recorded in terminal-keys.json.
 */
export function terminalKeyOf(
  files: TerminalFiles,
  terminal: string,
  env: KeyEnv,
  readOnly = false,
): TerminalKey {
  const passphrase = env.OUTPOST_KEY_PASSPHRASE || null;
  if (!existsSync(files.key)) {
    if (readOnly) {
      throw new PosError('NotReady', `${files.key}: no terminal key (this till never sold)`, 'key');
    }
    const key = generateTerminalKey(terminal);
    // 0700 like the data directory: the key and the head file are the terminal's alone.
    mkdirSync(join(files.key, '..'), { recursive: true, mode: 0o700 });
    if (passphrase) saveTerminalKey(files.key, key, passphrase);
    else savePlainTerminalKey(files.key, key);
    writePublicKeys(files, [...readPublicKeys(files), exportPublicKey(key.publicKey)]);
    return key;
  }
  const legacy = existsSync(files.legacySecret)
    ? readFileSync(files.legacySecret, 'utf8').trim()
    : null;
  let key: TerminalKey;
  try {
    key = loadTerminalKey(files.key, legacy ?? passphrase);
  } catch (e) {
    // A re-encryption that stopped before the old secret was removed: the passphrase opens it.
    if (!(e instanceof KeyFileError) || legacy === null || !passphrase) throw e;
    key = loadTerminalKey(files.key, passphrase);
  }
  if (!readOnly && passphrase && (legacy !== null || !isEncryptedKeyFile(files.key))) {
    saveTerminalKey(files.key, key, passphrase, undefined, { replace: true });
    if (legacy !== null) unlinkSync(files.legacySecret);
  }
  return key;
}

const publicKeysSchema = z.array(
  z.looseObject({
    key_id: z.string().min(1),
    alg: z.literal('Ed25519'),
    raw_base64: z.string().min(1),
    pem: z.string(),
  }),
);

/** Every public key the terminal has signed with (terminal-keys.json); none before its first. */
export function readPublicKeys(files: TerminalFiles): PublicKeyExport[] {
  if (!existsSync(files.publicKeys)) return [];
  try {
    return parseJsonWith(
      publicKeysSchema,
      readFileSync(files.publicKeys, 'utf8'),
      'terminal-keys.json',
    );
  } catch (e) {
    if (e instanceof QuoteError) throw new PosError('InvalidInput', e.message, e.field);
    throw e;
  }
}

function writePublicKeys(files: TerminalFiles, keys: readonly PublicKeyExport[]): void {
  writeFileSync(files.publicKeys, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(files.publicKeys, 0o600);
}

export const keyMap = (keys: readonly PublicKeyExport[]): Map<string, string> =>
  new Map(keys.map((k) => [k.key_id, k.raw_base64]));
