import { z } from 'zod';
import { isSha256Hex } from './digest.js';

/**
 * The journal's files as read back: the signed head anchor (head.json) and the lines of an
 * export. Nothing in them is trusted; each is checked against its schema before its signature.
 */

const sha256 = z.string().refine(isSha256Hex, 'must be 64 lowercase hex digits');
const seq = z.int().min(0);

/** head.json: a copy of the chain's head, signed by the terminal (see anchor.ts). */
export const SignedHeadSchema = z.strictObject({
  /** Distinguishes this signed object from a record header or an export manifest. */
  kind: z.literal('outpost-head/1', 'must be "outpost-head/1"'),
  terminal: z.string().min(1, 'must not be blank'),
  key_id: z.string().min(1, 'must not be blank'),
  seq,
  hash: sha256,
  time: z.string(),
  /** Base64 Ed25519 over the canonical JSON of every other field. */
  signature: z.string(),
});
export type SignedHead = Readonly<z.output<typeof SignedHeadSchema>>;

/** The manifest an export ends with: it pins the count, the head and a hash of all lines. */
const ExportManifestSchema = z.strictObject({
  format: z.literal('outpost-journal-export/1', 'must be "outpost-journal-export/1"'),
  terminal: z.string(),
  key_id: z.string(),
  /** Base64 of the 32 raw bytes of the signing key (informative: verifiers use their own). */
  public_key: z.string(),
  first_seq: seq.nullable(),
  last_seq: seq,
  head_hash: sha256,
  count: seq,
  /** SHA-256 hex of every byte before the manifest line. */
  lines_sha256: sha256,
  exported_at: z.string(),
});
export type ExportManifest = Readonly<z.output<typeof ExportManifestSchema>>;

/** The last line of an export: the manifest and the terminal's signature over it. */
export const ManifestLineSchema = z.strictObject({
  manifest: ExportManifestSchema,
  signature: z.string(),
});

/**
 * One record line of an export. Its fields are checked by the verifier (inspect.ts), which
 * reports a bad one under the record's seq; here only that the line is a JSON object.
 */
export const RecordLineSchema = z.looseObject({
  header: z.unknown(),
  body: z.unknown(),
  hash: z.unknown(),
  signature: z.unknown(),
});
