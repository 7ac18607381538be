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
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict } from './digest.js';
import type { TerminalKey } from './keys.js';
import { publicKeyRaw, terminalKeyFrom } from './keys.js';

/**
 * The terminal's private key at rest, in one of two formats:
 * - encrypted: PKCS#8 DER under AES-256-GCM with a key derived by scrypt from a passphrase that
 *   must be kept elsewhere than the file (else it protects nothing). The public metadata
 *   (terminal, key_id, public key, KDF parameters) is authenticated as GCM additional data.
 * - unencrypted: PKCS#8 DER in base64, protected only by the file's mode 0600 and its directory.
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
const PLAIN_FORMAT = 'outpost-terminal-key-unencrypted/1';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 100 ms and 32 MiB on a till: slow enough to hamper guessing a passphrase offline. */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const keyFileSchema = z.object({
  format: z.literal(FORMAT),
  terminal: z.string(),
  key_id: z.string(),
  public_key: z.string(),
  kdf: z.object({
    name: z.literal('scrypt'),
    salt: z.string(),
    // Bounds keep a doctored file from making scrypt allocate gigabytes.
    N: int(2 ** 10, 2 ** 20),
    r: int(1, 32),
    p: int(1, 16),
  }),
  cipher: z.object({ name: z.literal('aes-256-gcm'), iv: z.string(), tag: z.string() }),
  ciphertext: z.string(),
});
type KeyFile = z.output<typeof keyFileSchema>;

const plainKeyFileSchema = z.object({
  format: z.literal(PLAIN_FORMAT),
  terminal: z.string(),
  key_id: z.string(),
  private_key_pkcs8: z.string(),
});

export interface SaveOptions {
  /** Replace an existing file atomically (re-encrypting the same key); never for a new key. */
  readonly replace?: boolean;
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
  options: SaveOptions = {},
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
  writePrivateFile(path, `${JSON.stringify(file, null, 2)}\n`, options.replace ?? false);
}

/**
 * Writes `key` unencrypted (mode 0600), for a till given no passphrase: anyone who can read the
 * file can sign as the terminal. Refuses to overwrite unless `replace`.
 */
export function savePlainTerminalKey(
  path: string,
  key: TerminalKey,
  options: SaveOptions = {},
): void {
  const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  const file: z.output<typeof plainKeyFileSchema> = {
    format: PLAIN_FORMAT,
    terminal: key.terminal,
    key_id: key.keyId,
    private_key_pkcs8: der.toString('base64'),
  };
  writePrivateFile(path, `${JSON.stringify(file, null, 2)}\n`, options.replace ?? false);
}

/** Whether the key file at `path` is encrypted (needs a passphrase to load). */
export function isEncryptedKeyFile(path: string): boolean {
  return parseAnyKeyFile(path, readFileSync(path, 'utf8')).format === FORMAT;
}

/**
 * Reads a key file, decrypting it with `secret` when it is encrypted (null: no passphrase was
 * given). A wrong secret or any edit gives a KeyFileError.
 */
export function loadTerminalKey(path: string, secret: string | Uint8Array | null): TerminalKey {
  // Like ssh, refuse a key others can read: it may already have been copied.
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(path, `permissions ${mode.toString(8)} are too open; expected 600`);
  }
  const any = parseAnyKeyFile(path, readFileSync(path, 'utf8'));
  if (any.format === PLAIN_FORMAT) return plainKey(path, any);
  const file = any;
  if (secret === null) {
    throw new KeyFileError(path, 'the terminal key is encrypted: give its passphrase');
  }
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
  return keyFrom(path, file.terminal, file.key_id, der);
}

function plainKey(path: string, file: z.output<typeof plainKeyFileSchema>): TerminalKey {
  const der = decodeBase64Strict(file.private_key_pkcs8);
  if (!der) throw new KeyFileError(path, 'malformed key file');
  return keyFrom(path, file.terminal, file.key_id, der);
}

function keyFrom(path: string, terminal: string, keyId: string, der: Buffer): TerminalKey {
  let key: TerminalKey;
  try {
    key = terminalKeyFrom(terminal, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  } catch {
    throw new KeyFileError(path, 'malformed key file');
  }
  if (key.keyId !== keyId) throw new KeyFileError(path, 'key_id does not match the key');
  return key;
}

function deriveKey(secret: string | Uint8Array, salt: Buffer, p: ScryptParams): Buffer {
  return scryptSync(secret, salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
}

function additionalData(meta: Omit<KeyFile, 'cipher' | 'ciphertext'>, iv: string): string {
  const { format, terminal, key_id, public_key, kdf } = meta;
  return canonicalize({ format, terminal, key_id, public_key, kdf, iv });
}

function parseAnyKeyFile(
  path: string,
  text: string,
): KeyFile | z.output<typeof plainKeyFileSchema> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new KeyFileError(path, 'not JSON');
  }
  const encrypted = keyFileSchema.safeParse(v);
  if (encrypted.success) return encrypted.data;
  const plain = plainKeyFileSchema.safeParse(v);
  if (plain.success) return plain.data;
  throw new KeyFileError(path, `not an ${FORMAT} or ${PLAIN_FORMAT} file`);
}

/**
 * Creates `path` with mode 0600 atomically (temp file, fsync, hard link), never overwriting;
 * with `replace`, renames the temp file over it instead (the same key, re-wrapped).
 */
function writePrivateFile(path: string, content: string, replace: boolean): void {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (replace) renameSync(temp, path);
    else linkSync(temp, path); // fails with EEXIST instead of replacing an existing key
  } catch (e) {
    if (replace) unlinkSync(temp);
    throw new KeyFileError(path, `cannot create: ${(e as Error).message}`);
  } finally {
    if (!replace) unlinkSync(temp);
  }
  const mode = statSync(path).mode & 0o777;
  if (mode !== 0o600) throw new KeyFileError(path, `created with mode ${mode.toString(8)}`);
}
