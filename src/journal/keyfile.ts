import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict } from './digest.js';
import type { TerminalKey } from './keys.js';
import { publicKeyRaw, terminalKeyFrom } from './keys.js';

/**
 * The terminal's private key at rest: PKCS#8 DER encrypted with AES-256-GCM under a key derived
 * by scrypt from a passphrase or a machine secret. The public metadata (terminal, key_id, public
 * key, KDF parameters) is authenticated as GCM additional data, so it cannot be swapped either.
 */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const FORMAT = 'outpost-terminal-key/1';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 100 ms and 32 MiB on a till: slow enough to hamper guessing a passphrase offline. */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

interface KeyFile {
  format: typeof FORMAT;
  terminal: string;
  key_id: string;
  public_key: string;
  kdf: { name: 'scrypt'; salt: string } & ScryptParams;
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

/**
 * Writes `key` encrypted to a new file with mode 0600. Refuses to overwrite an existing file:
 * losing a registered terminal key would orphan its chain.
 */
export function saveTerminalKey(
  path: string,
  key: TerminalKey,
  secret: string | Uint8Array,
  scrypt: ScryptParams = DEFAULT_SCRYPT,
): void {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { name: 'scrypt' as const, salt: salt.toString('base64'), ...scrypt };
  const meta = {
    format: FORMAT as typeof FORMAT,
    terminal: key.terminal,
    key_id: key.keyId,
    public_key: publicKeyRaw(key.publicKey).toString('base64'),
    kdf,
  };
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt, scrypt), iv);
  cipher.setAAD(Buffer.from(additionalData(meta, iv.toString('base64'))));
  const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  const file: KeyFile = {
    ...meta,
    cipher: {
      name: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
    ciphertext: ciphertext.toString('base64'),
  };
  writeNewPrivateFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads and decrypts a key file; a wrong secret or any edit gives a KeyFileError. */
export function loadTerminalKey(path: string, secret: string | Uint8Array): TerminalKey {
  // Like ssh, refuse a key others can read: it may already have been copied.
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(path, `permissions ${mode.toString(8)} are too open; expected 600`);
  }
  const file = parseKeyFile(path, readFileSync(path, 'utf8'));
  const salt = decodeBase64Strict(file.kdf.salt);
  const iv = decodeBase64Strict(file.cipher.iv);
  const tag = decodeBase64Strict(file.cipher.tag);
  const ciphertext = decodeBase64Strict(file.ciphertext);
  if (!salt || !iv || !tag || !ciphertext || tag.length !== 16) {
    throw new KeyFileError(path, 'malformed key file');
  }
  let der: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt, file.kdf), iv);
    decipher.setAAD(Buffer.from(additionalData(file, file.cipher.iv)));
    decipher.setAuthTag(tag);
    der = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new KeyFileError(path, 'wrong passphrase or secret, or the key file was altered');
  }
  const key = terminalKeyFrom(
    file.terminal,
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
  );
  if (key.keyId !== file.key_id) throw new KeyFileError(path, 'key_id does not match the key');
  return key;
}

function deriveKey(secret: string | Uint8Array, salt: Buffer, p: ScryptParams): Buffer {
  return scryptSync(secret, salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
}

function additionalData(meta: Omit<KeyFile, 'cipher' | 'ciphertext'>, iv: string): string {
  const { format, terminal, key_id, public_key, kdf } = meta;
  return canonicalize({ format, terminal, key_id, public_key, kdf, iv });
}

function parseKeyFile(path: string, text: string): KeyFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new KeyFileError(path, 'not JSON');
  }
  const f = v as Partial<KeyFile> | null;
  const kdf = f?.kdf;
  const ok =
    f?.format === FORMAT &&
    typeof f.terminal === 'string' &&
    typeof f.key_id === 'string' &&
    typeof f.public_key === 'string' &&
    typeof f.ciphertext === 'string' &&
    kdf?.name === 'scrypt' &&
    typeof kdf.salt === 'string' &&
    // Bounds keep a doctored file from making scrypt allocate gigabytes.
    [kdf.N, kdf.r, kdf.p].every(Number.isSafeInteger) &&
    kdf.N >= 2 ** 10 &&
    kdf.N <= 2 ** 20 &&
    kdf.r >= 1 &&
    kdf.r <= 32 &&
    kdf.p >= 1 &&
    kdf.p <= 16 &&
    f.cipher?.name === 'aes-256-gcm' &&
    typeof f.cipher.iv === 'string' &&
    typeof f.cipher.tag === 'string';
  if (!ok) throw new KeyFileError(path, `not an ${FORMAT} file`);
  return f as KeyFile;
}

/** Creates `path` with mode 0600 atomically (temp file, fsync, hard link), never overwriting. */
function writeNewPrivateFile(path: string, content: string): void {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path); // fails with EEXIST instead of replacing an existing key
  } catch (e) {
    throw new KeyFileError(path, `cannot create: ${(e as Error).message}`);
  } finally {
    unlinkSync(temp);
  }
  const mode = statSync(path).mode & 0o777;
  if (mode !== 0o600) throw new KeyFileError(path, `created with mode ${mode.toString(8)}`);
}
