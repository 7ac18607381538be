import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalKey, readPublicKeys } from '../../src/cli/terminal-key.js';
import { CUSTOM_FIELDS } from '../../src/erpnext/custom-fields.js';
import { generateTerminalKey, publicKeyRaw, rotateKey } from '../../src/journal/index.js';
import { readHead } from '../../src/journal/index.js';
import { openStore } from '../../src/store/db.js';
import { ROLE_NEEDS } from '../../src/sync/setup-roles.js';
import { cli, PROFILE } from '../pos/till-fixture.js';
import { KEY, SECRET, startSim, type RunningSim } from '../sync/sim-site.js';

type Json = Record<string, unknown>;
const ALL = CUSTOM_FIELDS.map((f) => `${f.dt}-${f.fieldname}`);

/** A store set up (`outpost init`) against a running simulator. */
async function storeOn(sim: RunningSim): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'outpost-setup-')), 'store');
  const r = await cli([
    'init',
    '--data',
    dir,
    '--erpnext',
    sim.url,
    '--api-key',
    KEY,
    '--api-secret',
    SECRET,
    '--pos-profile',
    PROFILE,
  ]);
  if (r.code !== 0) throw new Error(`outpost init exited ${r.code}\n${r.out}${r.err}`);
  return dir;
}

async function setup(dir: string, ...rest: string[]): Promise<{ code: number; report: Json }> {
  const r = await cli(['erpnext-setup', '--data', dir, '--json', ...rest]);
  return { code: r.code, report: JSON.parse(r.out) as Json };
}

const dataOf = (r: { status: number; body: unknown }): Json => (r.body as { data: Json }).data;
const customFields = (sim: RunningSim): string[] =>
  (
    dataOf(
      sim.call('GET', '/api/resource/Custom Field', undefined, { limit_page_length: '0' }),
    ) as unknown as Json[]
  )
    .map((r) => String(r['name']))
    .sort();

describe('outpost erpnext-setup against the simulator', () => {
  let sim: RunningSim;
  let dir: string;
  let keyId: string;
  let rawKey: string;

  beforeAll(async () => {
    sim = await startSim({ items: 20, customers: 5 });
    dir = await storeOn(sim);
  }, 60_000);
  afterAll(() => sim.close());

  it('--dry-run lists everything to install and changes nothing', async () => {
    const before = customFields(sim);
    const { code, report } = await setup(dir, '--dry-run');
    expect(code, JSON.stringify(report)).toBe(0);
    const key = terminalKey(dir, 'T1');
    keyId = key.keyId;
    rawKey = publicKeyRaw(key.publicKey).toString('base64');
    expect(report).toMatchObject({
      dry_run: true,
      user: 'Administrator',
      custom_fields: { to_create: ALL, ok: [], conflicting: [], created: [] },
      doctype: { name: 'Outpost Terminal Key', status: 'to_create', created: false },
      keys: { to_register: [keyId], to_retire: [], ok: [], registered: [], retired: [] },
      roles: { user: 'Administrator', missing: [], can_install: true },
      problems: [],
      ok: true,
    });
    expect(customFields(sim)).toEqual(before);
    expect(sim.call('GET', '/api/resource/DocType/Outpost Terminal Key').status).toBe(404);
  });

  it('a first run installs every field, the DocType and the key', async () => {
    const { code, report } = await setup(dir);
    expect(code, JSON.stringify(report)).toBe(0);
    expect(report).toMatchObject({
      dry_run: false,
      custom_fields: { to_create: ALL, created: ALL, ok: [], conflicting: [] },
      doctype: { status: 'to_create', created: true },
      keys: { to_register: [keyId], registered: [keyId] },
      ok: true,
    });
    for (const spec of CUSTOM_FIELDS) {
      const f = dataOf(sim.call('GET', `/api/resource/Custom Field/${spec.dt}-${spec.fieldname}`));
      expect(f).toMatchObject({
        dt: spec.dt,
        fieldname: spec.fieldname,
        fieldtype: spec.fieldtype,
        unique: spec.unique ?? 0,
        no_copy: spec.no_copy ?? 0,
        insert_after: spec.insert_after,
      });
    }
    const rec = dataOf(sim.call('GET', `/api/resource/Outpost Terminal Key/${keyId}`));
    expect(rec).toMatchObject({
      name: keyId,
      terminal: 'T1',
      key_id: keyId,
      alg: 'Ed25519',
      public_key: rawKey,
    });
    expect(rec['retired_at']).toBeUndefined();
    expect(String(rec['registered_at'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The unique key_id is enforced by the site: a second record for it is refused.
    const dup = sim.call('POST', '/api/resource/Outpost Terminal Key', {
      terminal: 'T9',
      key_id: keyId,
      alg: 'Ed25519',
      public_key: rawKey,
    });
    expect(dup.status).not.toBe(200);
    const stored = dataOf(
      sim.call('GET', '/api/resource/Outpost Terminal Key', undefined, {
        fields: '["name","terminal"]',
        filters: JSON.stringify([['key_id', '=', keyId]]),
      }),
    );
    expect(stored).toEqual([{ name: keyId, terminal: 'T1' }]);
  });

  it('a second run changes nothing', async () => {
    const modified = dataOf(sim.call('GET', '/api/resource/Custom Field/POS Invoice-outpost_uuid'))[
      'modified'
    ];
    const { code, report } = await setup(dir);
    expect(code, JSON.stringify(report)).toBe(0);
    expect(report).toMatchObject({
      custom_fields: { to_create: [], created: [], ok: ALL, conflicting: [] },
      doctype: { status: 'ok', created: false },
      keys: { to_register: [], registered: [], ok: [keyId] },
      problems: [],
      ok: true,
    });
    expect(
      dataOf(sim.call('GET', '/api/resource/Custom Field/POS Invoice-outpost_uuid'))['modified'],
    ).toBe(modified);
  });

  it("registers a rotation's new key and retires the old one, from the verified journal", async () => {
    const db = openStore(join(dir, 'store.db'), { mustExist: true });
    const current = terminalKey(dir, 'T1');
    const next = generateTerminalKey('T1');
    let time: string;
    try {
      expect(readHead(db)).toBeNull();
      time = rotateKey(db, current, next).header.time;
    } finally {
      db.close();
    }
    expect(readPublicKeys(dir).map((k) => k.key_id)).toEqual([keyId]);
    const { code, report } = await setup(dir);
    expect(code, JSON.stringify(report)).toBe(0);
    expect(report).toMatchObject({
      keys: {
        to_register: [next.keyId],
        registered: [next.keyId],
        to_retire: [keyId],
        retired: [keyId],
        ok: [],
      },
      ok: true,
    });
    expect(dataOf(sim.call('GET', `/api/resource/Outpost Terminal Key/${keyId}`))).toMatchObject({
      retired_at: time,
    });
    expect(
      dataOf(sim.call('GET', `/api/resource/Outpost Terminal Key/${next.keyId}`)),
    ).toMatchObject({
      public_key: publicKeyRaw(next.publicKey).toString('base64'),
      terminal: 'T1',
    });
  });

  it('names each role a user lacks and why, and says it may not install', async () => {
    const user = dataOf(
      sim.call('POST', '/api/resource/User', {
        email: 'till-sync@example.com',
        first_name: 'Till Sync',
        api_key: 'till-sync-key',
        api_secret: 'till-sync-secret',
        roles: [{ role: 'Sales User' }],
      }),
    );
    expect(user['name']).toBe('till-sync@example.com');
    const other = join(mkdtempSync(join(tmpdir(), 'outpost-setup-')), 'store');
    cpSync(dir, other, { recursive: true });
    writeFileSync(
      join(other, 'secrets.json'),
      JSON.stringify({ api_key: 'till-sync-key', api_secret: 'till-sync-secret' }),
      { mode: 0o600 },
    );
    const fields = customFields(sim);
    const { code, report } = await setup(other);
    expect(code, JSON.stringify(report)).toBe(3);
    const why = (i: number): string => ROLE_NEEDS[i]?.why ?? '';
    expect(report['roles']).toEqual({
      user: 'till-sync@example.com',
      roles: ['All', 'Desk User', 'Guest', 'Sales User'],
      missing: [
        {
          role: 'Accounts Manager',
          needed_for: [why(0), why(1), why(2), why(3), why(4), why(7), why(9)],
        },
        { role: 'Sales Manager', needed_for: [why(5)] },
      ],
      can_install: false,
    });
    expect(report).toMatchObject({ custom_fields: null, doctype: null, keys: null, ok: false });
    expect((report['problems'] as Json[]).map((p) => p['problem'])).toEqual([
      'roles',
      'permissions',
    ]);
    expect(customFields(sim)).toEqual(fields);

    // Run with the administrator's key, checking the sync user: the roles are still named.
    const admin = await cli([
      'erpnext-setup',
      '--data',
      dir,
      '--json',
      '--user',
      'till-sync@example.com',
    ]);
    expect(admin.code).toBe(3);
    const r = JSON.parse(admin.out) as Json;
    expect(r).toMatchObject({
      user: 'Administrator',
      roles: { user: 'till-sync@example.com', can_install: false },
      doctype: { status: 'ok' },
    });
    expect((r['roles'] as { missing: Json[] }).missing.map((m) => m['role'])).toEqual([
      'Accounts Manager',
      'Sales Manager',
    ]);
  });
});

describe('outpost erpnext-setup with a conflicting field already there', () => {
  let sim: RunningSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startSim({ items: 20, customers: 5 });
    dir = await storeOn(sim);
  }, 60_000);
  afterAll(() => sim.close());

  it('reports the field with its fix, leaves it as it is, installs the rest', async () => {
    const made = sim.call('POST', '/api/resource/Custom Field', {
      dt: 'Customer',
      fieldname: 'outpost_customer_uuid',
      label: 'Someone Else',
      fieldtype: 'Data',
      insert_after: 'customer_name',
    });
    expect(made.status).toBe(200);
    const dry = await setup(dir, '--dry-run');
    expect(dry.code).toBe(3);
    const conflict = {
      name: 'Customer-outpost_customer_uuid',
      differences: [
        { property: 'unique', expected: 1, found: 0 },
        { property: 'no_copy', expected: 1, found: 0 },
      ],
    };
    expect(dry.report).toMatchObject({
      custom_fields: {
        to_create: ALL.filter((n) => n !== conflict.name),
        conflicting: [conflict],
      },
      ok: false,
    });
    const { code, report } = await setup(dir);
    expect(code, JSON.stringify(report)).toBe(3);
    expect(report).toMatchObject({
      custom_fields: { created: ALL.filter((n) => n !== conflict.name), conflicting: [conflict] },
      doctype: { created: true },
      ok: false,
    });
    const problems = report['problems'] as Json[];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      problem: 'custom_field',
      message:
        'Custom Field Customer-outpost_customer_uuid differs: unique is 0, expected 1; no_copy is 0, expected 1',
    });
    expect(String(problems[0]?.['fix'])).toContain('set unique 1, no_copy 1');
    expect(
      dataOf(sim.call('GET', '/api/resource/Custom Field/Customer-outpost_customer_uuid')),
    ).toMatchObject({ unique: 0, no_copy: 0, label: 'Someone Else' });
  });
});
