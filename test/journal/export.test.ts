import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../src/journal/index.js';
import {
  exportJournal,
  generateTerminalKey,
  readHead,
  verifyExport,
  verifyExportFile,
} from '../../src/journal/index.js';
import type { Till } from './fixture.js';
import { codes, tamper, till } from './fixture.js';

let open: Till[] = [];
afterEach(() => {
  for (const t of open) t.cleanup();
  open = [];
});

function exported(count = 9) {
  const t = till(count);
  open.push(t);
  const path = join(t.dir, 'journal.jsonl');
  const manifest = exportJournal(t.db, t.key, path, t.clock);
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  const check = (edited: string[], options = {}): VerifyResult =>
    verifyExport(`${edited.join('\n')}\n`, { publicKeys: t.keys, ...options });
  return { t, path, manifest, lines, check };
}

type Line = { header: string; body: string; hash: string; signature: string };
const parse = (line: string) => JSON.parse(line) as Line;

describe('export', () => {
  it('writes one line per record and a signed manifest line', () => {
    const { t, path, manifest, lines } = exported();
    expect(lines).toHaveLength(10);
    expect(manifest).toMatchObject({
      format: 'outpost-journal-export/1',
      terminal: 'T1',
      key_id: t.key.keyId,
      first_seq: 1,
      last_seq: 9,
      count: 9,
      head_hash: readHead(t.db)?.hash,
    });
    expect(parse(lines[0]!).header).toBe(
      t.db.prepare('SELECT header FROM journal WHERE seq = 1').pluck().get(),
    );
    expect(verifyExportFile(path, { publicKeys: t.keys })).toMatchObject({ ok: true, count: 9 });
  });

  it('exports an empty journal', () => {
    const { check, lines, manifest } = exported(0);
    expect(manifest).toMatchObject({ count: 0, first_seq: null, last_seq: 0 });
    expect(check(lines).ok).toBe(true);
  });

  it('carries stored alterations through faithfully rather than healing them', () => {
    const { t } = exported();
    tamper(t.path, (db) =>
      db.prepare(`UPDATE journal SET header = header || ' ' WHERE seq = 3`).run(),
    );
    const path = join(t.dir, 'again.jsonl');
    exportJournal(t.db, t.key, path, t.clock);
    expect(codes(verifyExportFile(path, { publicKeys: t.keys }))).toContain('ALTERED@3');
  });
});

describe('verifying an export detects', () => {
  it('an altered body line → ALTERED at that seq (and the lines no longer match the manifest)', () => {
    const { lines, check } = exported();
    const l = parse(lines[4]!);
    lines[4] = JSON.stringify({ ...l, body: l.body.replace('"rate":"5.50"', '"rate":"0.50"') });
    expect(codes(check(lines))).toEqual(['ALTERED@-', 'ALTERED@5']);
  });

  it('a removed line → MISSING', () => {
    const { lines, check } = exported();
    lines.splice(4, 1);
    expect(codes(check(lines))).toEqual(['ALTERED@-', 'MISSING@5']);
  });

  it('two swapped lines → REORDERED', () => {
    const { lines, check } = exported();
    [lines[3], lines[4]] = [lines[4]!, lines[3]!];
    expect(codes(check(lines))).toEqual(['ALTERED@-', 'REORDERED@4']);
  });

  it('a cut-off tail with the manifest kept → TRUNCATED', () => {
    const { lines, check } = exported();
    lines.splice(7, 2);
    expect(codes(check(lines))).toEqual(['ALTERED@-', 'TRUNCATED@8']);
  });

  it('a cut-off file (no manifest) → TRUNCATED', () => {
    const { lines, check } = exported();
    expect(codes(check(lines.slice(0, 6)))).toEqual(['TRUNCATED@-']);
  });

  it('a forged line signed with another key → BAD_SIGNATURE', () => {
    const { lines, check } = exported();
    const mallory = generateTerminalKey('T1');
    const l = parse(lines[4]!);
    lines[4] = JSON.stringify({
      ...l,
      signature: mallory.sign(Buffer.from(l.header)).toString('base64'),
    });
    expect(codes(check(lines))).toEqual(['ALTERED@-', 'BAD_SIGNATURE@5']);
  });

  it('a second, validly signed version of a record (the key holder rewrote history) → FORK', () => {
    const { t, lines, check } = exported();
    const l = parse(lines[4]!);
    const header = l.header.replace('"grand_total":"10.00"', '"grand_total":"1.00"');
    const signature = t.key.sign(Buffer.from(header)).toString('base64');
    lines.splice(5, 0, JSON.stringify({ ...l, header, signature }));
    const result = codes(check(lines));
    expect(result).toContain('FORK@5');
    expect(result).not.toContain('BAD_SIGNATURE@5');
  });

  it('a manifest re-signed by another key → BAD_SIGNATURE for the export', () => {
    const { lines, check } = exported();
    const mallory = generateTerminalKey('T1');
    const m = JSON.parse(lines[9]!) as { manifest: { key_id: string } };
    lines[9] = JSON.stringify({ ...m, manifest: { ...m.manifest, key_id: mallory.keyId } });
    expect(codes(check(lines))).toEqual(['BAD_SIGNATURE@-']);
  });

  it('a rollback against an external anchor → TRUNCATED', () => {
    const { lines, check } = exported(6);
    // The terminal had sold on to seq 9, which ERPNext acknowledged, before the rollback.
    expect(codes(check(lines, { expectedHead: { seq: 9, hash: 'a'.repeat(64) } }))).toEqual([
      'TRUNCATED@7',
    ]);
  });

  it('a file edited on disk', () => {
    const { t, path } = exported();
    writeFileSync(path, readFileSync(path, 'utf8').replace('S1-T1-5', 'S1-T1-6'));
    expect(verifyExportFile(path, { publicKeys: t.keys }).ok).toBe(false);
  });
});
