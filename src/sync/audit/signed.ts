import { z } from 'zod';
import { decodeBase64Strict, sha256Hex } from '../../journal/digest.js';
import { verifySignature } from '../../journal/index.js';
import { parseHeader, type Header } from '../../journal/record.js';
import type { AuditProblemKind } from './types.js';
import type { RegisteredKey } from './keys.js';

type Rec = Readonly<Record<string, unknown>>;

/** A signed journal record as ERPNext's custom fields (or a receipt QR) carry it. */
export interface SignedText {
  readonly headerText: string;
  /** Null for a receipt QR, which carries the header only. */
  readonly bodyText: string | null;
  /** The hash ERPNext holds for it (a QR's is computed from its header). */
  readonly hash: string;
  readonly signature: string;
  /** The key id ERPNext holds for it. */
  readonly keyId: string;
}

export type Checked =
  | { readonly ok: true; readonly header: Header; readonly hash: string; readonly body: Rec | null }
  | {
      readonly ok: false;
      readonly kind: AuditProblemKind;
      readonly message: string;
      /** The header, when it could be read (the seq and terminal to name). */
      readonly header: Header | null;
    };

const BodySchema = z.record(z.string(), z.unknown());

function parsedHeader(text: string): Header | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the signed header is not JSON';
  }
  return parseHeader(value);
}

/**
 * Verifies a record from its texts alone, the way the till's own verifier does for one record:
 * the header hashes to the hash ERPNext holds, its signature verifies under the key ERPNext
 * has registered for that terminal (and not retired before the record was made), and the body
 * hashes to the header's body_hash. Everything in the body is then as the till signed it.
 */
export function checkSigned(s: SignedText, keys: ReadonlyMap<string, RegisteredKey>): Checked {
  const header = parsedHeader(s.headerText);
  if (typeof header === 'string')
    return { ok: false, kind: 'bad_signature', message: header, header: null };
  const bad = (kind: AuditProblemKind, message: string): Checked => ({
    ok: false,
    kind,
    message,
    header,
  });
  const hash = sha256Hex(s.headerText);
  if (hash !== s.hash) {
    return bad('bad_signature', `the signed header hashes to ${hash}, ERPNext holds ${s.hash}`);
  }
  if (header.key_id !== s.keyId) {
    return bad('edited', `the key id field says ${s.keyId}, the signed header ${header.key_id}`);
  }
  const key = keys.get(header.key_id);
  if (!key) {
    return bad('unknown_key', `key ${header.key_id} is not registered in ERPNext`);
  }
  if (key.terminal !== header.terminal) {
    return bad(
      'unknown_key',
      `key ${header.key_id} is registered for terminal ${key.terminal}, not ${header.terminal}`,
    );
  }
  if (!key.publicKey) {
    return bad('unknown_key', `the registered record of key ${header.key_id} holds another key`);
  }
  const signature = decodeBase64Strict(s.signature);
  if (!signature || !verifySignature(key.publicKey, Buffer.from(s.headerText), signature)) {
    return bad('bad_signature', `the signature does not verify under key ${header.key_id}`);
  }
  // ISO 8601 UTC texts of one format compare as instants.
  if (key.retiredAt !== null && header.time > key.retiredAt) {
    return bad(
      'unknown_key',
      `signed at ${header.time} by key ${header.key_id}, retired at ${key.retiredAt}`,
    );
  }
  if (s.bodyText === null) return { ok: true, header, hash, body: null };
  if (sha256Hex(s.bodyText) !== header.body_hash) {
    return bad('bad_signature', 'the signed record body does not hash to the header body_hash');
  }
  let body: Rec;
  try {
    body = BodySchema.parse(JSON.parse(s.bodyText));
  } catch {
    return bad('bad_signature', 'the signed record body is not a JSON object');
  }
  return { ok: true, header, hash, body };
}
