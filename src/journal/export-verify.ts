import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { analyzeChain } from './chain.js';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict, sha256Hex } from './digest.js';
import type { RawRecord } from './inspect.js';
import { importPublicKey, publicKeyRaw, verifySignature } from './keys.js';
import type { Anchor, VerifyOptions, VerifyResult } from './problems.js';
import { ProblemList } from './problems.js';
import { ManifestLineSchema, RecordLineSchema } from './shapes.js';
import { parseJsonWith, QuoteError } from '../core/index.js';
import { z } from 'zod';

type ManifestLine = z.output<typeof ManifestLineSchema>;

/** Verifies an export file like a database: same problem codes, the manifest as an anchor. */
export function verifyExportFile(path: string, options: VerifyOptions): VerifyResult {
  return verifyExport(readFileSync(path, 'utf8'), options);
}

/** Verifies export text (see verifyExportFile). */
export function verifyExport(text: string, options: VerifyOptions): VerifyResult {
  const problems = new ProblemList();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const manifestLine = lines.at(-1);
  const read = manifestLine === undefined ? null : parseManifestLine(manifestLine);
  const manifest = read !== null && 'line' in read ? read.line : null;
  const recordLines = read ? lines.slice(0, -1) : lines;
  const anchors: Anchor[] = [];
  if (options.expectedHead) {
    anchors.push({ ...options.expectedHead, source: 'the expected head', exact: false });
  }
  if (read === null) {
    problems.add('TRUNCATED', null, 'the export has no manifest line: it is cut off');
  } else if (manifest === null) {
    if ('problem' in read)
      problems.add('ALTERED', null, `the manifest is malformed: ${read.problem}`);
  } else {
    const lineBytes = recordLines.map((l) => `${l}\n`).join('');
    if (checkManifest(manifest, options.publicKeys, problems)) {
      anchors.push({
        seq: manifest.manifest.last_seq,
        hash: manifest.manifest.head_hash,
        source: 'the export manifest',
        exact: true,
      });
    }
    if (sha256Hex(lineBytes) !== manifest.manifest.lines_sha256) {
      problems.add('ALTERED', null, 'the record lines do not match the manifest');
    }
    if (recordLines.length !== manifest.manifest.count) {
      problems.add(
        'ALTERED',
        null,
        `the manifest counts ${manifest.manifest.count} records, the file has ${recordLines.length}`,
      );
    }
  }
  const raws = recordLines.map((line, i) => parseRecordLine(line, i + 1, problems));
  const head = analyzeChain(raws, options, anchors, problems);
  const list = problems.sorted();
  return { ok: list.length === 0, problems: list, count: raws.length, head };
}

function parseRecordLine(line: string, number: number, problems: ProblemList): RawRecord {
  try {
    const { header, body, hash, signature } = parseJsonWith(
      RecordLineSchema,
      line,
      `line ${number}`,
    );
    return { header, body, hash, signature };
  } catch (e) {
    if (!(e instanceof QuoteError)) throw e;
    problems.add('ALTERED', null, e.message);
    return {};
  }
}

/**
 * The manifest line; why it is malformed when it is an object with a `manifest`; null when the
 * last line is no manifest at all (the file is cut off).
 */
function parseManifestLine(line: string): { line: ManifestLine } | { problem: string } | null {
  try {
    parseJsonWith(z.looseObject({ manifest: z.unknown() }), line, 'manifest line');
  } catch (e) {
    if (e instanceof QuoteError) return null;
    throw e;
  }
  try {
    return { line: parseJsonWith(ManifestLineSchema, line, 'manifest line') };
  } catch (e) {
    if (e instanceof QuoteError) return { problem: e.message };
    throw e;
  }
}

/** True when the manifest is signed by the registered key it names. */
function checkManifest(
  { manifest, signature }: ManifestLine,
  publicKeys: ReadonlyMap<string, KeyObject | string>,
  problems: ProblemList,
): boolean {
  const registered = publicKeys.get(manifest.key_id);
  if (registered === undefined) {
    problems.add('BAD_SIGNATURE', null, `the manifest is signed by unknown key ${manifest.key_id}`);
    return false;
  }
  const key = typeof registered === 'string' ? importPublicKey(registered) : registered;
  const sig = decodeBase64Strict(signature);
  let valid = sig !== null && verifySignature(key, Buffer.from(canonicalize(manifest)), sig);
  if (valid && manifest.public_key !== publicKeyRaw(key).toString('base64')) valid = false;
  if (!valid) problems.add('BAD_SIGNATURE', null, 'the manifest signature does not verify');
  return valid;
}
