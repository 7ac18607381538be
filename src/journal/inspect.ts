import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict, sha256Hex } from './digest.js';
import type { ProblemList } from './problems.js';
import type { Header } from './record.js';
import { parseHeader } from './record.js';

/** A record as stored, from the database or an export line. Nothing in it is trusted. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** One record after its self-contained checks. */
export interface Entry {
  /** Position in storage order. */
  readonly index: number;
  /** The seq column, when the record came from the database. */
  readonly storedSeq: number | null;
  /** The seq problems are reported under: the header's, else the column's, else a claimed one. */
  readonly seq: number | null;
  readonly header: Header | null;
  readonly headerText: string | null;
  /** SHA-256 of the stored header text, computed here (the hash column is not trusted). */
  readonly hash: string | null;
  readonly body: Readonly<Record<string, unknown>> | null;
  readonly signature: Buffer | null;
  /** Header valid and canonical, body matches body_hash, stored copies agree with the header. */
  readonly intact: boolean;
}

/** Database columns that duplicate a header field, checked against the signed header. */
const COLUMNS: readonly (readonly [string, keyof Header])[] = [
  ['type', 'type'],
  ['terminal', 'terminal'],
  ['key_id', 'key_id'],
  ['uuid', 'uuid'],
  ['invoice_no', 'invoice_no'],
  ['created_at', 'time'],
  ['body_hash', 'body_hash'],
  ['prev_hash', 'prev_hash'],
];

/** Checks what one record can prove about itself; reports ALTERED and malformed signatures. */
export function inspect(raw: RawRecord, index: number, problems: ProblemList): Entry {
  const storedSeq = typeof raw.seq === 'number' ? raw.seq : null;
  const headerText = typeof raw.header === 'string' ? raw.header : null;
  const hash = headerText === null ? null : sha256Hex(headerText);
  const parsed = headerText === null ? null : parseJsonHeader(headerText);
  // A header that is valid but not byte-canonical still takes its place in the chain (its hash
  // will not link), so the report names its seq instead of calling it missing.
  const header = parsed && typeof parsed.header !== 'string' ? parsed.header : null;
  const seq = header?.seq ?? storedSeq ?? parsed?.seq ?? null;
  let intact = header !== null;
  const altered = (detail: string) => {
    intact = false;
    problems.add('ALTERED', seq, detail);
  };
  if (parsed === null) altered('the header is not text');
  else if (typeof parsed.header === 'string') altered(parsed.header);
  else if (!parsed.canonical) altered('the header is not in canonical form');
  if (raw.hash !== hash) altered('the stored hash does not match the header');

  const body = checkBody(raw.body, header, altered);
  if (header) {
    for (const [column, field] of COLUMNS) {
      if (column in raw && raw[column] !== header[field]) {
        altered(`column ${column} disagrees with the signed header`);
      }
    }
  }
  const signature = decodeBase64Strict(raw.signature);
  if (signature === null || signature.length !== 64) {
    problems.add('BAD_SIGNATURE', seq, 'the signature is not 64 bytes of canonical base64');
  }
  return { index, storedSeq, seq, header, headerText, hash, body, signature, intact };
}

/** The header, or why not; `seq` is read even from an invalid header to name the record. */
function parseJsonHeader(text: string): {
  header: Header | string;
  canonical: boolean;
  seq: number | null;
} {
  let value: unknown;
  try {
    value = parseJsonWith(z.unknown(), text, 'header');
  } catch {
    return { header: 'the header is not JSON', canonical: false, seq: null };
  }
  const claimed = ClaimedSeq.safeParse(value);
  const seq = claimed.success ? claimed.data.seq : null;
  const header = parseHeader(value);
  if (typeof header === 'string') return { header, canonical: false, seq };
  try {
    return { header, canonical: canonicalize(header) === text, seq };
  } catch {
    return { header: 'the header is not I-JSON', canonical: false, seq };
  }
}

function checkBody(
  stored: unknown,
  header: Header | null,
  altered: (detail: string) => void,
): Readonly<Record<string, unknown>> | null {
  if (typeof stored !== 'string') {
    altered('the body is not text');
    return null;
  }
  if (header && sha256Hex(stored) !== header.body_hash) {
    altered('the body does not match body_hash');
  }
  let value: unknown;
  try {
    value = parseJsonWith(z.unknown(), stored, 'body');
  } catch {
    altered('the body is not canonical JSON');
    return null;
  }
  const body = Body.safeParse(value);
  if (!body.success) {
    altered('the body is not a JSON object');
    return null;
  }
  try {
    // The parsed text itself, not the schema's copy: copying assigns keys, and a key such as
    // "__proto__" would then set a prototype instead of a property and drop out of the check.
    if (canonicalize(value) !== stored) altered('the body is not in canonical form');
  } catch {
    altered('the body is not canonical JSON');
  }
  return body.data;
}

/** Enough of a header to name the record even when the rest of it is invalid. */
const ClaimedSeq = z.looseObject({ seq: z.int() });
/** A body is a JSON object; its fields are the record type's business. */
const Body = z.record(z.string(), z.unknown());
