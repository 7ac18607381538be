import type { KeyObject } from 'node:crypto';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { sha256Hex } from './digest.js';

/**
 * What the journal needs to sign: the terminal it speaks for and its key. One Ed25519 key per
 * terminal (journal.md §6): a per-cashier PIN-unlocked key would add no non-repudiation on
 * shared hardware, so cashiers are bound by login records in the chain instead.
 */
export interface Signer {
  readonly terminal: string;
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** Ed25519 signature of `data`; a plain function, safe to pass around detached. */
  readonly sign: (data: Uint8Array) => Buffer;
}

/** A terminal's identity with its private key, as generated or loaded from its key file. */
export interface TerminalKey extends Signer {
  readonly privateKey: KeyObject;
}

/** The public half, as registered in ERPNext ("Outpost Terminal" key history). */
export interface PublicKeyExport {
  readonly key_id: string;
  readonly alg: 'Ed25519';
  /** The 32-byte raw key, base64. */
  readonly raw_base64: string;
  /** SubjectPublicKeyInfo PEM, for OpenSSL and other tools. */
  readonly pem: string;
}

/** A fresh Ed25519 key for `terminal`. */
export function generateTerminalKey(terminal: string): TerminalKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return terminalKeyFrom(terminal, privateKey);
}

/** Wraps an Ed25519 private key as the signer of `terminal`. */
export function terminalKeyFrom(terminal: string, privateKey: KeyObject): TerminalKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('expected an Ed25519 key');
  if (terminal === '') throw new TypeError('terminal must not be empty');
  const publicKey = createPublicKey(privateKey);
  return Object.freeze({
    terminal,
    keyId: keyIdOf(publicKey),
    publicKey,
    privateKey,
    // Ed25519 takes no digest name: the algorithm hashes internally (and deterministically).
    sign: (data: Uint8Array) => sign(null, data, privateKey),
  });
}

/** The 32 raw public-key bytes. */
export function publicKeyRaw(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not Ed25519');
  return Buffer.from(jwk.x, 'base64url');
}

/** `key_id`: the first 16 hex digits of SHA-256 of the raw public key. */
export const keyIdOf = (publicKey: KeyObject): string =>
  sha256Hex(publicKeyRaw(publicKey)).slice(0, 16);

export function exportPublicKey(publicKey: KeyObject): PublicKeyExport {
  return {
    key_id: keyIdOf(publicKey),
    alg: 'Ed25519',
    raw_base64: publicKeyRaw(publicKey).toString('base64'),
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Reads a public key given as SPKI PEM or as base64 of the 32 raw bytes. */
export function importPublicKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : rawToKey(Buffer.from(text.trim(), 'base64'));
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('expected an Ed25519 public key');
  return key;
}

function rawToKey(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new TypeError(`an Ed25519 key has 32 bytes, got ${raw.length}`);
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** True when `signature` is a valid Ed25519 signature of `data` by `publicKey`; never throws. */
export function verifySignature(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array) {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
