import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { analyzeChain } from './chain.js';
import { canonicalize } from './canonical.js';
import { decodeBase64Strict, sha256Hex } from './digest.js';
import type { ExportManifest } from './export.js';
import type { RawRecord } from './inspect.js';
import { importPublicKey, publicKeyRaw, verifySignature } from './keys.js';
import type { Anchor, VerifyOptions, VerifyResult } from './problems.js';
import { ProblemList } from './problems.js';

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
  const manifest = manifestLine === undefined ? null : parseManifestLine(manifestLine);
  const recordLines = manifest ? lines.slice(0, -1) : lines;
  const anchors: Anchor[] = [];
  if (options.expectedHead) {
    anchors.push({ ...options.expectedHead, source: 'the expected head', exact: false });
  }
  if (!manifest) {
    problems.add('TRUNCATED', null, 'the export has no manifest line: it is cut off');
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
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { header, body, hash, signature } = value as Record<string, unknown>;
      return { header, body, hash, signature };
    }
  } catch {
    // reported below
  }
  problems.add('ALTERED', null, `line ${number} is not a record`);
  return {};
}

function parseManifestLine(line: string): { manifest: ExportManifest; signature: string } | null {
  try {
    const value = JSON.parse(line) as { manifest?: Partial<ExportManifest>; signature?: unknown };
    const m = value.manifest;
    const ok =
      m?.format === 'outpost-journal-export/1' &&
      typeof m.key_id === 'string' &&
      typeof m.last_seq === 'number' &&
      typeof m.head_hash === 'string' &&
      typeof m.count === 'number' &&
      typeof m.lines_sha256 === 'string' &&
      typeof value.signature === 'string';
    return ok ? (value as { manifest: ExportManifest; signature: string }) : null;
  } catch {
    return null;
  }
}

/** True when the manifest is signed by the registered key it names. */
function checkManifest(
  { manifest, signature }: { manifest: ExportManifest; signature: string },
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
