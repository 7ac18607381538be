import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  exportJournal,
  readHead,
  readHeadFile,
  signHead,
  verifyExport,
  writeHeadFile,
} from '../../src/journal/index.js';
import { JournalError } from '../../src/journal/errors.js';
import { parseHeader, parseKeyRotationBody, totalsProblem } from '../../src/journal/record.js';
import type { Till } from './fixture.js';
import { till } from './fixture.js';

let open: Till[] = [];
afterEach(() => {
  for (const t of open) t.cleanup();
  open = [];
});
const make = (count: number) => {
  const t = till(count);
  open.push(t);
  return t;
};

/** The stored header of seq 1 as a plain object. */
const headerOf = (t: Till): Record<string, unknown> =>
  JSON.parse(
    t.db.prepare('SELECT header FROM journal WHERE seq = 1').pluck().get() as string,
  ) as Record<string, unknown>;

describe('journal headers and bodies read back are checked by schema, naming the field', () => {
  it('accepts a stored header as it is', () => {
    const t = make(1);
    const header = headerOf(t);
    expect(parseHeader(header)).toEqual(header);
  });

  it.each([
    ['seq as text', { seq: '1' }, 'header: seq: Invalid input: expected number, received string'],
    ['seq 0', { seq: 0 }, 'header: seq: Too small: expected number to be >=1'],
    ['a blank terminal', { terminal: '' }, 'header: terminal: must not be blank'],
    ['another alg', { alg: 'RS256' }, 'header: alg: unknown alg'],
    [
      'a short body_hash',
      { body_hash: 'ab' },
      'header: body_hash: must be 64 lowercase hex digits',
    ],
    [
      'a uuid v4',
      { uuid: '6ba7b810-9dad-41d1-80b4-00c04fd430c8' },
      'header: uuid: must be a UUIDv7',
    ],
    [
      'a time without ms',
      { time: '2026-11-27T08:30:00Z' },
      'header: time: must be ISO 8601 UTC with milliseconds',
    ],
    ['an unknown key', { extra: 1 }, 'header: Unrecognized key: "extra"'],
  ])('refuses %s', (_what, change, problem) => {
    const t = make(1);
    expect(parseHeader({ ...headerOf(t), ...change })).toBe(problem);
  });

  it('refuses a header missing a field, naming it', () => {
    const t = make(1);
    const rest = headerOf(t);
    delete rest['invoice_no'];
    expect(parseHeader(rest)).toBe(
      'header: invoice_no: Invalid input: expected string, received undefined',
    );
  });

  it('names the rate or the total at fault in totals', () => {
    const ok = { net: '1.00', tax: '0.20' };
    expect(totalsProblem({ per_rate: { '20': ok }, grand_total: '1.20' })).toBeNull();
    expect(totalsProblem({ per_rate: { '20%': ok }, grand_total: '1.20' })).toBe(
      'totals: per_rate.20%: must be keyed by a rate in percent, e.g. "20" or "5.5"',
    );
    expect(totalsProblem({ per_rate: { '20': { ...ok, tax: 0.2 } }, grand_total: '1.20' })).toBe(
      'totals: per_rate.20.tax: must be a decimal string',
    );
    expect(totalsProblem({ per_rate: {}, grand_total: '1.2.0' })).toBe(
      'totals: grand_total: must be a decimal string',
    );
  });

  it('names the missing field of a key_rotation body', () => {
    expect(parseKeyRotationBody({ new_key_id: '0123456789abcdef' })).toBe(
      'key_rotation body: new_public_key: Invalid input: expected string, received undefined',
    );
  });
});

describe('head.json is read through its schema', () => {
  it('a head file missing its hash is refused as BadAnchor naming `hash`', () => {
    const t = make(3);
    const path = join(t.dir, 'head.json');
    writeHeadFile(path, signHead(t.key, readHead(t.db)!, t.clock));
    expect(readHeadFile(path, t.keys).seq).toBe(3);
    const rest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete rest['hash'];
    writeFileSync(path, JSON.stringify(rest));
    let caught: unknown;
    try {
      readHeadFile(path, t.keys);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JournalError);
    expect(caught).toMatchObject({
      kind: 'BadAnchor',
      field: 'hash',
      message: `${path}: not an outpost-head/1 file: head file: hash: Invalid input: expected string, received undefined`,
    });
  });

  it('a head file that is not JSON names the file', () => {
    const t = make(1);
    const path = join(t.dir, 'head.json');
    writeFileSync(path, '{"kind":');
    expect(() => readHeadFile(path, t.keys)).toThrow(
      expect.objectContaining({
        kind: 'BadAnchor',
        field: 'head file',
        message: `${path}: not an outpost-head/1 file: head file: not valid JSON (Unexpected end of JSON input)`,
      }) as Error,
    );
  });
});

describe('export lines are read through their schemas', () => {
  const exported = () => {
    const t = make(4);
    const path = join(t.dir, 'journal.jsonl');
    exportJournal(t.db, t.key, path, t.clock);
    const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
    const check = (edited: string[]) =>
      verifyExport(`${edited.join('\n')}\n`, { publicKeys: t.keys });
    return { lines, check };
  };

  it('a record line that is not JSON is ALTERED, naming the line', () => {
    const { lines, check } = exported();
    lines[2] = lines[2]!.slice(0, 20);
    expect(check(lines).problems).toEqual([
      {
        code: 'ALTERED',
        seq: null,
        detail:
          'the record lines do not match the manifest; line 3: not valid JSON (Unexpected end of JSON input); the header is not text; the stored hash does not match the header; the body is not text',
      },
      {
        code: 'BAD_SIGNATURE',
        seq: null,
        detail: 'the signature is not 64 bytes of canonical base64',
      },
      { code: 'MISSING', seq: 3, detail: 'seq 3 is missing' },
    ]);
  });

  it('a manifest with a count that is not a number is ALTERED, naming the field', () => {
    const { lines, check } = exported();
    const last = JSON.parse(lines[4]!) as { manifest: Record<string, unknown>; signature: string };
    lines[4] = JSON.stringify({ ...last, manifest: { ...last.manifest, count: '4' } });
    expect(check(lines).problems).toEqual([
      {
        code: 'ALTERED',
        seq: null,
        detail:
          'the manifest is malformed: manifest line: manifest.count: Invalid input: expected number, received string',
      },
    ]);
  });
});
