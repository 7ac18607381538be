/**
 * What `outpost erpnext-setup` relies on from Frappe v15, over real HTTP (the same targets as
 * erpnext.contract.test.ts: the simulator by default, a real site with OUTPOST_CONTRACT_URL /
 * _KEY / _SECRET, the key of an Administrator or a System Manager). Everything made carries a
 * random run tag and is deleted afterwards: a Custom Field on Item (its column stays, all NULL)
 * and a custom DocType with its records.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_DOCTYPE_DEFINITION } from '../../src/sync/setup-anchor.js';
import { data, expectError, message, rows } from './frappe-body.js';
import { Frappe, openTarget, type Target } from './target.js';

const RUN = randomBytes(3).toString('hex').toLowerCase();
let target: Target;
let api: Frappe;
const created: { doctype: string; name: string }[] = [];

beforeAll(async () => {
  target = await openTarget();
  api = new Frappe(target);
});

afterAll(async () => {
  for (const c of created.reverse()) await api.delete(c.doctype, c.name);
  await target.close();
});

describe('Custom Field install (setup-fields.ts)', () => {
  const fieldname = `outpost_cts_${RUN}`;
  const name = `Item-${fieldname}`;
  const body = {
    dt: 'Item',
    fieldname,
    label: `Outpost CTS ${RUN}`,
    fieldtype: 'Data',
    unique: 1,
    no_copy: 1,
    read_only: 1,
    insert_after: 'item_name',
  };

  it('a missing field is a 404 on GET Custom Field/<dt>-<fieldname>', async () => {
    expectError(await api.get('Custom Field', name), 404, 'DoesNotExistError');
  });

  it('is created as <dt>-<fieldname> with unique, no_copy and read_only kept (056, 210)', async () => {
    const doc = data(await api.insert('Custom Field', body));
    created.push({ doctype: 'Custom Field', name });
    expect(doc).toMatchObject({ name, fieldtype: 'Data', unique: 1, no_copy: 1, read_only: 1 });
    expect(data(await api.get('Custom Field', name))).toMatchObject({ unique: 1, no_copy: 1 });
  });

  it('a second insert is refused by CustomField.validate with 417, not 409, and changes nothing', async () => {
    const before = data(await api.get('Custom Field', name));
    const again = await api.insert('Custom Field', { ...body, label: 'Changed' });
    expectError(again, 417, 'ValidationError', {
      text: `A field with the name <strong>${fieldname}</strong> already exists in Item`,
    });
    expect(data(await api.get('Custom Field', name))).toMatchObject({
      label: before['label'],
      modified: before['modified'],
    });
  });

  it('a standard field name is refused the same way', async () => {
    const r = await api.insert('Custom Field', { ...body, fieldname: 'item_name' });
    expectError(r, 417, 'ValidationError', {
      text: 'A field with the name <strong>item_name</strong> already exists in Item',
    });
  });
});

describe('the user and its roles (setup-roles.ts)', () => {
  it('frappe.core.doctype.user.user.get_roles answers the roles of any uid', async () => {
    const user = String(message(await api.call('GET', '/api/method/frappe.auth.get_logged_user')));
    const roles = message(
      await api.method('frappe.core.doctype.user.user.get_roles', { uid: user }),
    );
    expect(Array.isArray(roles)).toBe(true);
    expect(roles as unknown[]).toContain('System Manager');
    expect(roles as unknown[]).toContain('All');
  });
});

describe('a custom DocType through REST (setup-keys.ts)', () => {
  const doctype = `Outpost CTS ${RUN} Key`;
  const definition = {
    name: doctype,
    module: 'Custom',
    custom: 1,
    autoname: 'field:key_id',
    naming_rule: 'By fieldname',
    fields: [
      { fieldname: 'terminal', label: 'Terminal', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'key_id', label: 'Key ID', fieldtype: 'Data', reqd: 1, unique: 1 },
      { fieldname: 'public_key', label: 'Public Key', fieldtype: 'Data', reqd: 1 },
      { fieldname: 'retired_at', label: 'Retired At', fieldtype: 'Data' },
    ],
    permissions: [
      { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 },
      { role: 'Accounts Manager', read: 1, create: 1 },
    ],
  };

  it('a missing DocType is a 404, as a DocType and as a resource', async () => {
    expectError(await api.get('DocType', doctype), 404, 'DoesNotExistError');
    expectError(await api.get(doctype, 'x'), 404, 'DoesNotExistError');
  });

  it('POST /api/resource/DocType with custom: 1 creates it, usable at once', async () => {
    const doc = data(await api.insert('DocType', definition));
    created.push({ doctype: 'DocType', name: doctype });
    expect(doc).toMatchObject({ name: doctype, custom: 1, autoname: 'field:key_id' });
    const read = data(await api.get('DocType', doctype));
    const fields = (read['fields'] as Record<string, unknown>[]).map((f) => [
      f['fieldname'],
      f['fieldtype'],
      f['unique'],
    ]);
    expect(fields).toEqual([
      ['terminal', 'Data', 0],
      ['key_id', 'Data', 1],
      ['public_key', 'Data', 0],
      ['retired_at', 'Data', 0],
    ]);
    const rec = data(
      await api.insert(doctype, { terminal: 'T1', key_id: `k${RUN}`, public_key: 'AAAA' }),
    );
    created.push({ doctype, name: `k${RUN}` });
    expect(rec).toMatchObject({ name: `k${RUN}`, key_id: `k${RUN}`, terminal: 'T1' });
    expect(rows(await api.list(doctype, { fields: ['name'] }))).toEqual([{ name: `k${RUN}` }]);
  });

  it('frappe.client.set_value sets retired_at on a record', async () => {
    const r = message(
      await api.method('frappe.client.set_value', {
        doctype,
        name: `k${RUN}`,
        fieldname: 'retired_at',
        value: '2026-12-06T23:33:00.000Z',
      }),
    );
    expect(r).toMatchObject({ retired_at: '2026-12-06T23:33:00.000Z', public_key: 'AAAA' });
  });

  it('a second record with the same key_id is refused and nothing is stored', async () => {
    const dup = await api.insert(doctype, {
      terminal: 'T2',
      key_id: `k${RUN}`,
      public_key: 'BBBB',
    });
    expect(dup.status).not.toBe(200);
    expect(data(await api.get(doctype, `k${RUN}`))).toMatchObject({ terminal: 'T1' });
  });

  it.skipIf(!!process.env['OUTPOST_CONTRACT_URL'])(
    'a non-custom DocType is refused out of developer mode (simulator only: a real site may be in it)',
    async () => {
      const r = await api.insert('DocType', { ...definition, name: `${doctype} Std`, custom: 0 });
      expectError(r, 417, 'CannotCreateStandardDoctypeError', {
        text: "Not in Developer Mode! Set in site_config.json or make 'Custom' DocType.",
      });
    },
  );
});

describe('the shift anchor DocType (setup-anchor.ts, push/shift-anchor.ts, anchor.ts, audit)', () => {
  // The real definition under a run-tagged name: a site set up by Outpost keeps its own.
  const doctype = `Outpost CTS ${RUN} Anchor`;
  const shift = `0b6f4a52-${RUN}-4c1e-9a7e-5d2f3c4b1a00`;
  const record = {
    shift_uuid: shift,
    terminal: `T${RUN}`,
    first_seq: 3,
    last_seq: 41,
    head_hash: 'ab'.repeat(32),
    perpetual_grand_total: '1234.50',
    signed_header: '{"seq":41}',
    signed_body: '{"first_seq":3}',
    signature: 'c2lnbmF0dXJl',
    key_id: `k${RUN}`,
    period_start_date: '2026-12-06 08:00:00',
    posting_date: '2026-12-06',
    posting_time: '17:05:09',
  };

  it('a DocType not there is a 404 for a list too (the high-water mark and audit skip it)', async () => {
    expectError(await api.list(doctype, { fields: '["name"]' }), 404, 'DoesNotExistError');
  });

  it('is created as defined; DocPerm rows keep the write, create and delete stated as 0', async () => {
    const made = await api.insert('DocType', { ...ANCHOR_DOCTYPE_DEFINITION, name: doctype });
    created.push({ doctype: 'DocType', name: doctype });
    expect(data(made)).toMatchObject({ name: doctype, autoname: 'field:shift_uuid' });
    const read = data(await api.get('DocType', doctype));
    expect(read).toMatchObject({ custom: 1, is_submittable: 0, track_changes: 1 });
    const perms = (read['permissions'] as Record<string, unknown>[]).map((p) => [
      p['role'],
      p['read'],
      p['write'],
      p['create'],
      p['delete'],
    ]);
    expect(perms).toEqual([
      ['System Manager', 1, 1, 1, 1],
      ['Accounts Manager', 1, 0, 1, 0],
      ['Auditor', 1, 0, 0, 0],
    ]);
  });

  it('a record is named by its shift_uuid; Int fields read back as numbers, texts unchanged', async () => {
    const doc = data(await api.insert(doctype, record));
    created.push({ doctype, name: shift });
    expect(doc).toMatchObject({ ...record, name: shift, docstatus: 0 });
    const read = data(await api.get(doctype, shift));
    expect(read).toMatchObject({
      first_seq: 3,
      last_seq: 41,
      perpetual_grand_total: '1234.50',
      signed_header: '{"seq":41}',
      period_start_date: '2026-12-06 08:00:00',
      posting_date: '2026-12-06',
    });
  });

  it('a second insert for the shift is a 409 DuplicateEntryError (the name) and changes nothing', async () => {
    const dup = await api.insert(doctype, { ...record, last_seq: 99 });
    expectError(dup, 409, 'DuplicateEntryError', { messages: false, text: shift });
    expect(data(await api.get(doctype, shift))).toMatchObject({ last_seq: 41 });
    expect(rows(await api.list(doctype, { fields: '["name"]' }))).toEqual([{ name: shift }]);
  });

  it('its set_only_once fields cannot be changed through the API: 417 CannotChangeConstantError', async () => {
    const r = await api.update(doctype, shift, { head_hash: 'cd'.repeat(32) });
    expectError(r, 417, 'CannotChangeConstantError', {
      text: 'Value cannot be changed for <strong>Head Hash</strong>',
    });
    expect(data(await api.get(doctype, shift))).toMatchObject({ head_hash: 'ab'.repeat(32) });
  });

  it('an anchor not (yet) there is a 404 on GET by the shift uuid', async () => {
    expectError(await api.get(doctype, `${shift}-none`), 404, 'DoesNotExistError');
  });

  it("a terminal's anchors list by last_seq desc with a filter on terminal", async () => {
    const other = `${shift.slice(0, -2)}01`;
    data(await api.insert(doctype, { ...record, shift_uuid: other, first_seq: 42, last_seq: 57 }));
    created.push({ doctype, name: other });
    const top = rows(
      await api.list(doctype, {
        fields: '["name","last_seq","head_hash"]',
        filters: JSON.stringify([['terminal', '=', `T${RUN}`]]),
        order_by: 'last_seq desc',
        limit_page_length: 1,
      }),
    );
    expect(top).toEqual([{ name: other, last_seq: 57, head_hash: 'ab'.repeat(32) }]);
  });
});
