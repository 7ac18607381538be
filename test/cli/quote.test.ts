import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

const root = join(import.meta.dirname, '../..');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(root, 'test/fixtures/parity', name), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;

function files(name: string): {
  master: string;
  invoice: string;
  expected: Record<string, unknown>;
} {
  const c = fixture(name);
  const dir = mkdtempSync(join(tmpdir(), 'outpost-quote-'));
  const master = join(dir, 'master.json');
  const invoice = join(dir, 'invoice.json');
  writeFileSync(master, JSON.stringify({ system: c['system'], ...c['master'] }));
  writeFileSync(invoice, JSON.stringify(c['draft']));
  return { master, invoice, expected: c['expected'] ?? {} };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('outpost quote', () => {
  it('prints the invoice ERPNext computed', async () => {
    const f = files('055-disc-pct-and-item-rules.json');
    const r = await cli(['quote', '--master', f.master, '--invoice', f.invoice]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect(out).toMatchObject({
      grand_total: f.expected['grand_total'],
      net_total: f.expected['net_total'],
      doctype: 'POS Invoice',
    });
  });

  it('prints the error ERPNext would give and exits 2', async () => {
    const f = files('079-zero-qty-error.json');
    const r = await cli(['quote', '--master', f.master, '--invoice', f.invoice]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({
      error: {
        kind: 'InvalidQtyError',
        message: 'Row #1: Quantity for Item HO-APPLE cannot be zero.',
        field: 'items[1].qty',
      },
    });
  });

  it('names the option for missing or unreadable files, bad JSON and unknown flags', async () => {
    const f = files('001-single-line.json');
    const bad = join(mkdtempSync(join(tmpdir(), 'outpost-bad-')), 'bad.json');
    writeFileSync(bad, '{nope');
    const cases: [string[], RegExp][] = [
      [['quote', '--invoice', f.invoice], /--master: required/],
      [['quote', '--master', f.master], /--invoice: required/],
      [['quote', '--master', '/nonexistent.json', '--invoice', f.invoice], /--master: cannot read/],
      [['quote', '--master', bad, '--invoice', f.invoice], /--master: .* is not valid JSON/],
      [
        ['quote', '--master', f.master, '--invoice', f.invoice, '--frobnicate'],
        /Unknown option '--frobnicate'/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      const body = JSON.parse(r.out) as { error: { kind: string; message: string } };
      expect(body.error.kind).toBe('InvalidInput');
      expect(body.error.message).toMatch(message);
    }
  });

  it('has --help on every command', async () => {
    expect((await cli(['--help'])).out).toMatch(/Usage: outpost <command>/);
    const r = await cli(['quote', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--master M.json/);
    expect((await cli(['nope'])).code).toBe(2);
  });

  it('the README way, `npx outpost`, runs the built binary (executable, with its shebang)', () => {
    const bin = join(root, 'dist/src/cli/main.js');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toMatch(/^Usage: outpost/m);
    const viaNpx = spawnSync('npx', ['outpost', '--help'], { cwd: root, encoding: 'utf8' });
    expect(viaNpx.stderr).not.toMatch(/Permission denied/);
    expect(viaNpx.status).toBe(0);
    expect(viaNpx.stdout).toMatch(/^Usage: outpost/m);
  });

  it('runs as the installed `outpost` binary (built dist/)', () => {
    const f = files('043-tax-previous-row-total.json');
    const bin = join(root, 'dist/src/cli/main.js');
    const stdout = execFileSync(
      process.execPath,
      [bin, 'quote', '--master', f.master, '--invoice', f.invoice],
      { encoding: 'utf8' },
    );
    expect((JSON.parse(stdout) as Record<string, unknown>)['grand_total']).toBe(42.83);
    const refused = spawnSync(process.execPath, [bin, 'quote', '--master', f.master], {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
  });
});
