import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalize } from './canonical.js';
import type { Clock } from './clock.js';
import { isoTime, systemClock } from './clock.js';
import { parseJsonWith, QuoteError } from '../core/index.js';
import { decodeBase64Strict } from './digest.js';
import { JournalError } from './errors.js';
import type { Head } from './journal.js';
import type { Signer } from './keys.js';
import { importPublicKey, verifySignature } from './keys.js';
import { SignedHeadSchema, type SignedHead } from './shapes.js';

/*
 * A copy of the chain's head kept outside the database (head.json), signed by the terminal.
 *
 * Why: a verifier that reads only the database cannot tell an older copy of the file from the
 * real one; both are valid chains. An anchor held elsewhere that is ahead of the database
 * exposes the rollback as TRUNCATED. Strength by where it lives: ERPNext's acknowledged
 * seq/hash (strongest, off the device) > a printed Z > head.json on another disk > head.json
 * next to the database (catches a restored .db file, not a restored disk image).
 */

/** Signs `head` as the terminal. */
export function signHead(signer: Signer, head: Head, clock: Clock = systemClock): SignedHead {
  const unsigned = {
    kind: 'outpost-head/1' as const,
    terminal: signer.terminal,
    key_id: signer.keyId,
    seq: head.seq,
    hash: head.hash,
    time: isoTime(clock.now()),
  };
  const signature = signer.sign(Buffer.from(canonicalize(unsigned))).toString('base64');
  return { ...unsigned, signature };
}

/**
 * Reads and checks a head file; throws JournalError('BadAnchor') when it is malformed or not
 * signed by one of `publicKeys` (by key_id).
 */
export function readHeadFile(
  path: string,
  publicKeys: ReadonlyMap<string, KeyObject | string>,
): SignedHead {
  const bad = (why: string, field?: string) =>
    new JournalError('BadAnchor', `${path}: ${why}`, field === undefined ? {} : { field });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw bad(`not readable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let v: SignedHead;
  try {
    v = parseJsonWith(SignedHeadSchema, text, 'head file');
  } catch (e) {
    if (e instanceof QuoteError) throw bad(`not an outpost-head/1 file: ${e.message}`, e.field);
    throw e;
  }
  const { signature, ...unsigned } = v;
  const key = publicKeys.get(unsigned.key_id);
  if (key === undefined) throw bad(`signed by unknown key ${unsigned.key_id}`);
  const sig = decodeBase64Strict(signature);
  const publicKey = typeof key === 'string' ? importPublicKey(key) : key;
  if (!sig || !verifySignature(publicKey, Buffer.from(canonicalize(unsigned)), sig)) {
    throw bad('the signature does not verify');
  }
  return v;
}

/**
 * Replaces the head file with `head`, atomically. Refuses to move it backwards or sideways
 * (a lower seq, or the same seq with another hash): that is exactly what a restored database
 * would try to do, and the caller must stop and investigate instead of overwriting the evidence.
 */
export function advanceHeadFile(
  path: string,
  head: SignedHead,
  publicKeys: ReadonlyMap<string, KeyObject | string>,
): void {
  if (existsSync(path)) {
    const current = readHeadFile(path, publicKeys);
    if (current.seq > head.seq || (current.seq === head.seq && current.hash !== head.hash)) {
      throw new JournalError(
        'BadAnchor',
        `${path} is at seq ${current.seq}; refusing to replace it with seq ${head.seq}`,
      );
    }
  }
  writeHeadFile(path, head);
}

/**
 * Replaces the head file atomically (temp file, then rename) without the forward-only check:
 * for a caller that holds the current head in memory and has checked it already. With
 * `fsync: false` the write costs no disk flush: a power cut may then leave the file behind the
 * database, which is harmless (an anchor may lag), while a restored database file is still
 * caught, since the running system's file is ahead of it.
 */
export function writeHeadFile(
  path: string,
  head: SignedHead,
  options: { fsync?: boolean } = {},
): void {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(head, null, 2)}\n`);
    if (options.fsync ?? true) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
