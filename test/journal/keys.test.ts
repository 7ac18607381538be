import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KeyFileError,
  exportPublicKey,
  generateTerminalKey,
  importPublicKey,
  keyIdOf,
  loadTerminalKey,
  publicKeyRaw,
  saveTerminalKey,
} from '../../src/journal/index.js';
import { tempDir } from './fixture.js';

// Cheap scrypt parameters keep the suite fast; the default (N = 2^15) is exercised once.
const FAST = { N: 2 ** 10, r: 8, p: 1 };
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('terminal identity', () => {
  it('key_id is the first 16 hex digits of SHA-256 of the raw public key', () => {
    const key = generateTerminalKey('T1');
    const raw = publicKeyRaw(key.publicKey);
    expect(raw).toHaveLength(32);
    expect(key.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(keyIdOf(key.publicKey)).toBe(key.keyId);
  });

  it('exports the public key as PEM and raw base64 that import back to the same key', () => {
    const key = generateTerminalKey('T1');
    const pub = exportPublicKey(key.publicKey);
    expect(pub.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(Buffer.from(pub.raw_base64, 'base64')).toHaveLength(32);
    expect(pub.key_id).toBe(key.keyId);
    expect(importPublicKey(pub.pem).equals(key.publicKey)).toBe(true);
    expect(importPublicKey(pub.raw_base64).equals(key.publicKey)).toBe(true);
    // Any OpenSSL-based verifier can use the PEM directly.
    const sig = key.sign(Buffer.from('hello'));
    expect(verify(null, Buffer.from('hello'), createPublicKey(pub.pem), sig)).toBe(true);
  });

  it('refuses a raw key of the wrong length', () => {
    expect(() => importPublicKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('encrypted key file', () => {
  it('round-trips through a file of mode 0600 with the default scrypt cost', () => {
    const path = join(dir(), 'terminal.key');
    const key = generateTerminalKey('T1');
    saveTerminalKey(path, key, 'correct horse battery staple');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const loaded = loadTerminalKey(path, 'correct horse battery staple');
    expect(loaded.keyId).toBe(key.keyId);
    expect(loaded.terminal).toBe('T1');
    const sig = loaded.sign(Buffer.from('x'));
    expect(verify(null, Buffer.from('x'), key.publicKey, sig)).toBe(true);
  });

  it('does not contain the private key in clear', () => {
    const path = join(dir(), 'terminal.key');
    const key = generateTerminalKey('T1');
    saveTerminalKey(path, key, 'pw', FAST);
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    const seed = der.subarray(-32);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(seed.toString('base64'));
    expect(text).not.toContain(der.toString('base64'));
  });

  it('accepts a machine secret given as bytes', () => {
    const path = join(dir(), 'terminal.key');
    const secret = Buffer.alloc(32, 7);
    saveTerminalKey(path, generateTerminalKey('T1'), secret, FAST);
    expect(loadTerminalKey(path, secret).terminal).toBe('T1');
  });

  it('fails cleanly with a KeyFileError on a wrong passphrase', () => {
    const path = join(dir(), 'terminal.key');
    saveTerminalKey(path, generateTerminalKey('T1'), 'right', FAST);
    expect(() => loadTerminalKey(path, 'wrong')).toThrow(KeyFileError);
    expect(() => loadTerminalKey(path, 'wrong')).toThrow(/wrong passphrase/);
  });

  it('refuses a key file that group or others can read', () => {
    const path = join(dir(), 'terminal.key');
    saveTerminalKey(path, generateTerminalKey('T1'), 'pw', FAST);
    chmodSync(path, 0o644);
    expect(() => loadTerminalKey(path, 'pw')).toThrow(/too open/);
  });

  it('never overwrites an existing key file', () => {
    const path = join(dir(), 'terminal.key');
    saveTerminalKey(path, generateTerminalKey('T1'), 'pw', FAST);
    const before = readFileSync(path, 'utf8');
    expect(() => saveTerminalKey(path, generateTerminalKey('T1'), 'pw', FAST)).toThrow(
      KeyFileError,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('detects edited metadata (authenticated as AES-GCM additional data)', () => {
    const path = join(dir(), 'terminal.key');
    saveTerminalKey(path, generateTerminalKey('T1'), 'pw', FAST);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...file, terminal: 'T2' }), { mode: 0o600 });
    expect(() => loadTerminalKey(path, 'pw')).toThrow(KeyFileError);
  });

  it('refuses doctored scrypt parameters instead of allocating gigabytes', () => {
    const path = join(dir(), 'terminal.key');
    saveTerminalKey(path, generateTerminalKey('T1'), 'pw', FAST);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { kdf: Record<string, unknown> };
    writeFileSync(path, JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 30 } }), {
      mode: 0o600,
    });
    expect(() => loadTerminalKey(path, 'pw')).toThrow(/not an outpost-terminal-key/);
  });

  it('refuses a file that is not JSON', () => {
    const path = join(dir(), 'terminal.key');
    writeFileSync(path, 'garbage', { mode: 0o600 });
    expect(() => loadTerminalKey(path, 'pw')).toThrow(KeyFileError);
  });
});
