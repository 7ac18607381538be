import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../../src/cli/errors.js';
import { detail, profileOf } from '../../src/cli/item-detail.js';
import { Dec } from '../../src/core/index.js';
import { openStore } from '../../src/store/db.js';
import { Lookup } from '../../src/store/lookup.js';
import { generateTerminalKey, loadTerminalKey, saveTerminalKey } from '../../src/journal/index.js';
import { cli, cliJson, makeTemplate, PROFILE, sellArgs } from '../pos/till-fixture.js';
import { KEY, SECRET, startSim } from '../sync/sim-site.js';

type Envelope = { error: { kind: string; message: string; field?: string } };

const envelope = (out: string): Envelope['error'] => (JSON.parse(out) as Envelope).error;

/** Mount helpers: only root can mount; elsewhere these tests are skipped, saying why. */
const isRoot = process.getuid?.() === 0;
function canMount(): boolean {
  if (!isRoot) return false;
  const at = mkdtempSync(join(tmpdir(), 'outpost-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', at], { stdio: 'ignore' });
    execFileSync('umount', [at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounts = canMount();
const NO_MOUNT = 'needs root and mount(8) (bind and tmpfs mounts)';

let template: Awaited<ReturnType<typeof makeTemplate>>;
let invoiceNo = '';
const cleanup: string[] = [];
beforeAll(async () => {
  template = await makeTemplate({ items: 50 });
  // One sale, so the journal and the outbox hold something to read back.
  const sale = await cliJson(sellArgs(template.dir, '--item', 'SKU-0000001'));
  invoiceNo = String(sale['invoice_no']);
}, 120_000);
afterAll(() => {
  for (const at of cleanup.reverse()) {
    try {
      execFileSync('umount', [at], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
});

function setConfig(dir: string, edit: (c: Record<string, unknown>) => unknown): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify(edit(config)));
}

describe('every error leaves in the one envelope, never a stack trace', () => {
  it('config.json that is null names the file', async () => {
    const dir = template.copy();
    writeFileSync(join(dir, 'config.json'), 'null');
    const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(r.code).toBe(2);
    expect(envelope(r.out)).toEqual({
      kind: 'InvalidInput',
      message: 'config.json: Invalid input: expected object, received null',
      field: 'config.json',
    });
    expect(r.err).toBe('');
  });

  it('a bad pos value names its path', async () => {
    const cases: [unknown, string][] = [
      [5, 'pos'],
      [{ lockout: { minutes: 'x' } }, 'pos.lockout.minutes'],
      [{ offline: { modes: [''] } }, 'pos.offline.modes[0]'],
    ];
    for (const [pos, field] of cases) {
      const dir = template.copy();
      setConfig(dir, (c) => ({ ...c, pos }));
      const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
      expect(r.code).toBe(2);
      const e = envelope(r.out);
      expect(e.kind).toBe('InvalidInput');
      expect(e.field).toBe(field);
      expect(e.message.startsWith(`config.json: ${field}: `)).toBe(true);
    }
  });

  it('a deleted store.db is refused, never re-created empty', async () => {
    const dir = template.copy();
    rmSync(join(dir, 'store.db'));
    rmSync(join(dir, 'store.db-wal'), { force: true });
    rmSync(join(dir, 'store.db-shm'), { force: true });
    for (const args of [
      sellArgs(dir, '--item', 'SKU-0000001'),
      ['status', '--data', dir],
      ['verify', '--data', dir],
      ['item', '--data', dir, '--code', 'SKU-0000001'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(envelope(r.out)).toEqual({
        kind: 'NotReady',
        message: `no store at ${join(dir, 'store.db')}; run outpost init`,
        field: join(dir, 'store.db'),
      });
    }
    expect(existsSync(join(dir, 'store.db'))).toBe(false);
  });

  it('a truncated store.db is reported damaged', async () => {
    for (const size of [0, 1000, 8192]) {
      const dir = template.copy();
      // Fold the WAL in first, so the cut hits the database file itself.
      rmSync(join(dir, 'store.db-wal'), { force: true });
      rmSync(join(dir, 'store.db-shm'), { force: true });
      truncateSync(join(dir, 'store.db'), size);
      const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
      expect(r.code, `${size} bytes: ${r.out}`).toBe(1);
      expect(envelope(r.out).kind, `${size} bytes`).toBe('StoreDamaged');
      expect(statSync(join(dir, 'store.db')).size).toBe(size);
    }
  });

  it('an unreachable printer is a ReceiptError', async () => {
    const dir = template.copy();
    const r = await cli([
      'receipt',
      '--data',
      dir,
      invoiceNo,
      '--format',
      'escpos',
      '--out',
      'tcp://127.0.0.1:9',
    ]);
    expect(r.code).toBe(1);
    expect(envelope(r.out)).toEqual({
      kind: 'ReceiptError',
      message: 'target: printer at 127.0.0.1:9 refused the connection (is it on and listening?)',
      field: 'target',
    });
  });

  it('an unexpected error is InternalError with one line and no stack', () => {
    const e = new TypeError("Cannot read properties of null (reading 'x')");
    expect(failureOf(e)).toEqual({
      envelope: {
        kind: 'InternalError',
        message: "TypeError: Cannot read properties of null (reading 'x')",
      },
      exit: 1,
    });
  });

  it.skipIf(!mounts)(
    `a full disk is DiskFull and nothing is half-written (${NO_MOUNT})`,
    async () => {
      const at = mkdtempSync(join(tmpdir(), 'outpost-full-'));
      const bytes = statSync(join(template.dir, 'store.db')).size;
      const size = Math.ceil((bytes + 4 * 1024 * 1024) / 4096) * 4096;
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);
      cleanup.push(at);
      const dir = join(at, 'store');
      cpSync(template.dir, dir, { recursive: true });
      // Fill what is left, so the sale's WAL frames cannot be written.
      try {
        writeFileSync(join(at, 'filler'), Buffer.alloc(size));
      } catch {
        // ENOSPC: the disk is now full, as wanted
      }
      const before = (await cli(['verify', '--data', dir, '--json'])).out;
      const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
      expect(r.code).toBe(1);
      expect(envelope(r.out).kind, r.out).toBe('DiskFull');
      rmSync(join(at, 'filler'));
      expect((await cli(['verify', '--data', dir, '--json'])).out).toBe(before);
    },
  );
});

describe.skipIf(!mounts)(`read-only media (${NO_MOUNT})`, () => {
  let ro = '';
  beforeAll(() => {
    const src = join(mkdtempSync(join(tmpdir(), 'outpost-ro-src-')), 'store');
    cpSync(template.dir, src, { recursive: true });
    // A clean copy as a backup is: no -wal or -shm beside store.db.
    expect(existsSync(join(src, 'store.db-shm'))).toBe(false);
    ro = mkdtempSync(join(tmpdir(), 'outpost-ro-'));
    execFileSync('mount', ['--bind', src, ro]);
    cleanup.push(ro);
    execFileSync('mount', ['-o', 'remount,ro,bind', ro]);
  });

  it('verify, journal export, status and item read a store they cannot write', async () => {
    const v = await cli(['verify', '--data', ro]);
    expect(v.out).toMatch(/^OK: \d+ records/);
    expect(v.code).toBe(0);
    const out = join(mkdtempSync(join(tmpdir(), 'outpost-export-')), 'j.jsonl');
    const x = await cli(['journal', 'export', '--data', ro, '--out', out]);
    expect(x.code, x.out).toBe(0);
    const s = await cli(['status', '--data', ro, '--json']);
    expect(s.code, s.out).toBe(0);
    // The shift opened and the sale: two outbox rows the push will send.
    expect((JSON.parse(s.out) as { pending_pushes: number }).pending_pushes).toBe(2);
    const i = await cli(['item', '--data', ro, '--code', 'SKU-0000001', '--json']);
    expect(i.code, i.out).toBe(0);
    expect((JSON.parse(i.out) as { item_code: string }).item_code).toBe('SKU-0000001');
  });

  it('a sale there is refused in the envelope', async () => {
    const r = await cli(sellArgs(ro, '--item', 'SKU-0000001'));
    expect(r.code).toBe(1);
    expect(['ReadOnly', 'CannotOpen']).toContain(envelope(r.out).kind);
  });
});

describe('init', () => {
  it('makes an existing 0755 directory 0700 and its files 0600', async () => {
    const sim = await startSim({ items: 20, customers: 5 });
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'outpost-init-')), 'store');
      mkdirSync(dir, { mode: 0o755 });
      chmodSync(dir, 0o755);
      await cliJson(initArgs(dir, sim.url));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of ['config.json', 'secrets.json', 'store.db']) {
        expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
      }
      // A till command writes the WAL, head.json and the key: all private too.
      await cliJson(['terminal', 'key', '--data', dir]);
      for (const f of ['terminal-key.json', 'terminal-keys.json']) {
        expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
      }
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('takes the API secret from the environment and writes it nowhere', async () => {
    const sim = await startSim({ items: 20, customers: 5 });
    const saved = { ...process.env };
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'outpost-init-')), 'store');
      process.env['OUTPOST_API_KEY'] = KEY;
      process.env['OUTPOST_API_SECRET'] = SECRET;
      const args = initArgs(dir, sim.url).filter(
        (a, i, all) => a !== KEY && a !== SECRET && all[i + 1] !== KEY && all[i + 1] !== SECRET,
      );
      expect(args).not.toContain('--api-secret');
      await cliJson(args);
      expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
      for (const f of ['config.json', 'store.db']) {
        expect(readFileSync(join(dir, f)).includes(SECRET), f).toBe(false);
      }
      const status = await cliJson(['status', '--data', dir, '--json']);
      expect(status['online']).toBe(true);
      delete process.env['OUTPOST_API_SECRET'];
      const r = await cli(['sync', '--data', dir, '--pull', '--once']);
      expect(r.code).toBe(1);
      expect(envelope(r.out)).toMatchObject({ kind: 'NotReady', field: 'secrets_file' });
    } finally {
      process.env = saved;
      await sim.close();
    }
  }, 120_000);

  it('refuses a secrets file inside the data directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'outpost-init-')), 'store');
    const r = await cli([
      ...initArgs(dir, 'http://127.0.0.1:9'),
      '--secrets-file',
      join(dir, 's.json'),
    ]);
    expect(r.code).toBe(2);
    expect(envelope(r.out)).toMatchObject({ kind: 'InvalidInput', field: '--secrets-file' });
  });
});

describe('the terminal key', () => {
  const keyFormat = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, 'terminal-key.json'), 'utf8')) as { format: string }).format;

  it('is encrypted under OUTPOST_KEY_PASSPHRASE, and refused without it', async () => {
    const dir = template.copy();
    rmSync(join(dir, 'terminal-key.json'));
    rmSync(join(dir, 'terminal-keys.json'));
    rmSync(join(dir, 'terminal-key.secret'), { force: true });
    const saved = { ...process.env };
    try {
      process.env['OUTPOST_KEY_PASSPHRASE'] = 'correct horse battery staple';
      // A new key (the old one is gone): the head no longer verifies, but the key is what counts.
      await cli(['terminal', 'key', '--data', dir]);
      expect(keyFormat(dir)).toBe('outpost-terminal-key/1');
      expect(existsSync(join(dir, 'terminal-key.secret'))).toBe(false);
      delete process.env['OUTPOST_KEY_PASSPHRASE'];
      const r = await cli(['terminal', 'key', '--data', dir]);
      expect(r.code).toBe(1);
      expect(envelope(r.out)).toMatchObject({ kind: 'KeyFileError' });
      expect(envelope(r.out).message).toMatch(/encrypted: give its passphrase/);
    } finally {
      process.env = saved;
    }
  });

  it('without a passphrase is kept unencrypted (0600), and status says so', async () => {
    const dir = template.copy();
    rmSync(join(dir, 'terminal-key.json'));
    rmSync(join(dir, 'terminal-keys.json'));
    rmSync(join(dir, 'terminal-key.secret'), { force: true });
    await cli(['terminal', 'key', '--data', dir]);
    expect(keyFormat(dir)).toBe('outpost-terminal-key-unencrypted/1');
    expect(statSync(join(dir, 'terminal-key.json')).mode & 0o777).toBe(0o600);
    const status = await cliJson(['status', '--data', dir, '--json']);
    expect(status['terminal_key']).toBe(
      'unencrypted, readable by its owner only (0600); set OUTPOST_KEY_PASSPHRASE to encrypt it',
    );
  });

  it('in the old layout still opens, and a passphrase re-encrypts it under the same key', async () => {
    const dir = template.copy();
    rmSync(join(dir, 'terminal-key.json'));
    const key = generateTerminalKey('T1');
    saveTerminalKey(join(dir, 'terminal-key.json'), key, 'beside-it', { N: 2 ** 10, r: 8, p: 1 });
    writeFileSync(join(dir, 'terminal-key.secret'), 'beside-it', { mode: 0o600 });
    const before = await cliJson(['terminal', 'key', '--data', dir]);
    expect(before['key_id']).toBe(key.keyId);
    const saved = { ...process.env };
    try {
      process.env['OUTPOST_KEY_PASSPHRASE'] = 'pass phrase';
      const after = await cliJson(['terminal', 'key', '--data', dir]);
      expect(after['key_id']).toBe(key.keyId);
      expect(existsSync(join(dir, 'terminal-key.secret'))).toBe(false);
      expect(loadTerminalKey(join(dir, 'terminal-key.json'), 'pass phrase').keyId).toBe(key.keyId);
    } finally {
      process.env = saved;
    }
  });
});

const initArgs = (dir: string, url: string): string[] => [
  'init',
  '--data',
  dir,
  '--erpnext',
  url,
  '--api-key',
  KEY,
  '--api-secret',
  SECRET,
  '--pos-profile',
  PROFILE,
];

describe('outpost item', () => {
  it('prices on the site-local date a sale now would carry, not the UTC date', () => {
    const db = openStore(join(template.dir, 'store.db'), { readonly: true });
    try {
      const profile = profileOf(db, PROFILE);
      expect(profile.timeZone).toBe('America/New_York');
      const row = new Lookup(db).byCode('SKU-0000001');
      if (!row) throw new Error('SKU-0000001 missing');
      // 02:30 UTC on 1 March is still 28 February, 21:30, in New York.
      const late = detail(db, profile, row, row.stock_uom, new Dec(1), Date.UTC(2026, 2, 1, 2, 30));
      expect((late.price as Record<string, unknown>)['posting_date']).toBe('2026-02-28');
      const noon = detail(db, profile, row, row.stock_uom, new Dec(1), Date.UTC(2026, 2, 1, 17));
      expect((noon.price as Record<string, unknown>)['posting_date']).toBe('2026-03-01');
    } finally {
      db.close();
    }
  });
});
