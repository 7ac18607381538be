import { describe, expect, it } from 'vitest';
import { terminalKey } from '../../src/cli/terminal-key.js';
import {
  canonicalize,
  exportPublicKey,
  generateTerminalKey,
  hashCode,
} from '../../src/journal/index.js';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { createDoctype } from '../../src/sync/setup-doctypes.js';
import { KEY_DOCTYPE_DEFINITION, registerKey } from '../../src/sync/setup-keys.js';
import { cli, query } from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import { KEY, SECRET } from './sim-site.js';
import { client, list, openTill, pointAt, sellShift, worker, pushSuite } from './push-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();

/** A shift sold offline, pushed in `mode`, the terminal's key registered as erpnext-setup does. */
async function pushed(mode: PostingMode) {
  const dir = suite.copy();
  const shift = await sellShift(dir);
  const sim = await suite.open();
  pointAt(dir, sim, mode);
  const erp = client(sim);
  await createDoctype(erp, KEY_DOCTYPE_DEFINITION);
  const key = exportPublicKey(terminalKey(dir, 'T1').publicKey);
  await registerKey(
    erp,
    {
      terminal: 'T1',
      key_id: key.key_id,
      alg: 'Ed25519',
      public_key: key.raw_base64,
      retired_at: null,
    },
    '2026-01-01T00:00:00.000Z',
  );
  const till = openTill(dir);
  try {
    const passes = await worker(till, erp, mode).drain({ wait: true });
    expect(passes.flatMap((p) => p.rejected)).toEqual([]);
  } finally {
    till.close();
  }
  return { dir, shift, sim };
}

const audit = async (sim: RunningSim, ...rest: string[]) => {
  const r = await cli([
    'audit',
    '--erpnext',
    sim.url,
    '--api-key',
    KEY,
    '--api-secret',
    SECRET,
    '--json',
    ...rest,
  ]);
  return { code: r.code, report: JSON.parse(r.out) as Json, err: r.err };
};

/** The journal row of a record, by uuid. */
const journal = (dir: string, uuid: unknown) =>
  query<{ seq: number; header: string; body: string; signature: string; invoice_no: string }>(
    dir,
    'SELECT seq, header, body, signature, invoice_no FROM journal WHERE uuid = ?',
    uuid,
  )[0] as { seq: number; header: string; body: string; signature: string; invoice_no: string };

/** The shift's Z report: its seq, first seq, signature, and the shift's uuid (the anchor's name). */
function zReport(dir: string) {
  const row = query<{ seq: number; body: string; signature: string }>(
    dir,
    "SELECT seq, body, signature FROM journal WHERE type = 'shift_close'",
  )[0];
  if (!row) throw new Error('no Z report');
  const shift = query<{ uuid: string }>(dir, 'SELECT uuid FROM shift')[0]?.uuid;
  const firstSeq = (JSON.parse(row.body) as { first_seq: number }).first_seq;
  return { seq: row.seq, firstSeq, signature: row.signature, shift: String(shift) };
}

/** ERPNext's name of a pushed sale. */
const nameOf = (sim: RunningSim, doctype: string, field: string, uuid: unknown): string =>
  String(list(sim, doctype, [[field, '=', uuid]], ['name'])[0]?.['name']);

/** An attacker with database access rewrites a stored document (no validation, no Version). */
function rewrite(sim: RunningSim, doctype: string, name: string, change: Json): void {
  const row = sim.app.db.get(doctype, name);
  if (!row) throw new Error(`${doctype} ${name} not in the simulator`);
  sim.app.db.update({ ...row, data: { ...row.data, ...change } });
}

const brief = (problems: unknown) =>
  (problems as Json[])
    .map((p) => ({ kind: p['kind'], name: p['name'], seq: p['seq'] }))
    .sort((a, b) =>
      `${String(a.kind)}${String(a.name)}`.localeCompare(`${String(b.kind)}${String(b.name)}`),
    );

describe('outpost audit (sales_invoice mode)', () => {
  it('passes after a push; then names an edited total, an edited rate, a deleted invoice and an altered signature', async () => {
    const { dir, shift, sim } = await pushed('sales_invoice');
    const clean = await audit(sim);
    expect(clean.code, JSON.stringify(clean.report)).toBe(0);
    expect(clean.report['ok']).toBe(true);
    expect(clean.report['checked']).toEqual({ invoices: 8, closings: 1, keys: 1 });
    expect(clean.report['problems']).toEqual([]);
    const terminals = clean.report['terminals'] as Json[];
    const z = zReport(dir);
    expect(
      terminals.map((t) => [t['terminal'], t['invoices'], t['closings'], t['last_seq']]),
    ).toEqual([['T1', 8, 1, z.seq]]);

    const si = (s: Json | undefined) =>
      nameOf(sim, 'Sales Invoice', 'outpost_si_uuid', s?.['uuid']);
    const [s0, s1, s2, s3] = shift.sales;
    const j1 = journal(dir, s1?.['uuid']);
    const signedTotal = (JSON.parse(j1.header) as { totals: { grand_total: string } }).totals
      .grand_total;
    rewrite(sim, 'Sales Invoice', si(s1), { grand_total: 9999.99 });

    const j3 = journal(dir, s3?.['uuid']);
    const signedRate = (JSON.parse(j3.body) as { invoice: { items: Json[] } }).invoice.items[0]?.[
      'rate'
    ];
    const row = sim.app.db
      .children('Sales Invoice', si(s3))
      .find((r) => r.parentfield === 'items' && r.idx === 1);
    if (!row) throw new Error('no item row');
    sim.app.db.update({ ...row, data: { ...row.data, rate: 0.01 } });

    const gone = si(s2);
    const j2 = journal(dir, s2?.['uuid']);
    sim.app.db.deleteChildren('Sales Invoice', gone);
    sim.app.db.delete('Sales Invoice', gone);

    const j0 = journal(dir, s0?.['uuid']);
    const flipped = `${j0.signature[0] === 'A' ? 'B' : 'A'}${j0.signature.slice(1)}`;
    rewrite(sim, 'Sales Invoice', si(s0), { outpost_si_signature: flipped });

    const found = await audit(sim);
    expect(found.code).toBe(1);
    expect(found.report['ok']).toBe(false);
    expect(found.report['checked']).toEqual({ invoices: 7, closings: 1, keys: 1 });
    // The bad signature drops s0 from the chain too: the Z report's count misses two sales.
    expect(brief(found.report['problems'])).toEqual(
      [
        { kind: 'bad_signature', name: si(s0), seq: j0.seq },
        { kind: 'edited', name: si(s1), seq: j1.seq },
        { kind: 'edited', name: si(s3), seq: j3.seq },
        { kind: 'missing_seq', name: null, seq: null },
        { kind: 'missing_seq', name: z.shift, seq: z.seq },
      ].sort((a, b) =>
        `${String(a.kind)}${String(a.name)}`.localeCompare(`${String(b.kind)}${String(b.name)}`),
      ),
    );
    const messages = (found.report['problems'] as Json[]).map((p) => p['message']);
    expect(messages).toContain(`grand_total: signed ${signedTotal}, ERPNext 9999.99`);
    expect(messages).toContain(`items row 1 rate: signed ${String(signedRate)}, ERPNext 0.01`);
    expect(messages).toContain(
      'the signature does not verify under key ' + terminalKey(dir, 'T1').keyId,
    );
    const missing = (found.report['problems'] as Json[]).find((p) => p['kind'] === 'missing_seq');
    expect(String(missing?.['message'])).toMatch(
      new RegExp(`^receipt ${j2.invoice_no} is not in ERPNext \\(deleted, or never pushed\\)`),
    );
  }, 120_000);
});

describe('outpost audit (sales_invoice mode): the shift anchor', () => {
  it("a deleted newest Sales Invoice, which no receipt gap shows, is named by the anchor's count", async () => {
    const { dir, shift, sim } = await pushed('sales_invoice');
    const z = zReport(dir);
    const anchor = list(sim, 'Outpost Shift Anchor', [], ['name', 'terminal', 'last_seq']);
    expect(anchor).toEqual([{ name: z.shift, terminal: 'T1', last_seq: z.seq }]);
    expect((await audit(sim)).code).toBe(0);

    // The exchange's sale holds the last receipt number.
    const last = nameOf(sim, 'Sales Invoice', 'outpost_si_uuid', shift.exchange.sale['uuid']);
    sim.app.db.deleteChildren('Sales Invoice', last);
    sim.app.db.delete('Sales Invoice', last);
    const found = await audit(sim);
    expect(found.code).toBe(1);
    expect(found.report['checked']).toEqual({ invoices: 7, closings: 1, keys: 1 });
    expect(found.report['problems']).toEqual([
      {
        kind: 'missing_seq',
        doctype: 'Outpost Shift Anchor',
        name: z.shift,
        terminal: 'T1',
        seq: z.seq,
        message: `the signed Z report counts 6 sales and 2 returns in seq ${z.firstSeq}..${z.seq}; ERPNext holds 5 sales and 2 returns`,
      },
    ]);
  }, 120_000);

  it('an anchor edited in ERPNext, or one whose signature is altered, is named', async () => {
    const { dir, sim } = await pushed('sales_invoice');
    const z = zReport(dir);
    rewrite(sim, 'Outpost Shift Anchor', z.shift, { last_seq: z.seq + 5 });
    const edited = await audit(sim);
    expect(edited.code).toBe(1);
    expect(edited.report['problems']).toEqual([
      {
        kind: 'anchor_mismatch',
        doctype: 'Outpost Shift Anchor',
        name: z.shift,
        terminal: 'T1',
        seq: z.seq,
        message: `the last seq field says ${z.seq + 5}, the signed Z report ${z.seq}`,
      },
    ]);
    const flipped = `${z.signature[0] === 'A' ? 'B' : 'A'}${z.signature.slice(1)}`;
    rewrite(sim, 'Outpost Shift Anchor', z.shift, { last_seq: z.seq, signature: flipped });
    const forged = await audit(sim);
    expect(brief(forged.report['problems'])).toEqual([
      { kind: 'bad_signature', name: z.shift, seq: z.seq },
    ]);
  }, 120_000);
});

describe('outpost audit (pos_invoice mode)', () => {
  it("passes with the closing's anchor; a deleted last invoice and an edited anchor are named", async () => {
    const { dir, shift, sim } = await pushed('pos_invoice');
    const clean = await audit(sim);
    expect(clean.code, JSON.stringify(clean.report)).toBe(0);
    expect(clean.report['checked']).toEqual({ invoices: 8, closings: 1, keys: 1 });

    // The exchange's sale holds the last receipt number: only the Z report's count shows it gone.
    const last = nameOf(sim, 'POS Invoice', 'outpost_uuid', shift.exchange.sale['uuid']);
    sim.app.db.deleteChildren('POS Invoice', last);
    sim.app.db.delete('POS Invoice', last);
    const closing = String(
      list(sim, 'POS Closing Entry', [['outpost_terminal', 'is', 'set']], ['name'])[0]?.['name'],
    );
    rewrite(sim, 'POS Closing Entry', closing, { outpost_head_hash: '0'.repeat(64) });
    const z = query<{ seq: number; body: string }>(
      dir,
      "SELECT seq, body FROM journal WHERE type = 'shift_close'",
    )[0];
    const firstSeq = (JSON.parse(z?.body ?? '{}') as { first_seq: number }).first_seq;

    const found = await audit(sim);
    expect(found.code).toBe(1);
    expect(found.report['problems']).toEqual([
      {
        kind: 'anchor_mismatch',
        doctype: 'POS Closing Entry',
        name: closing,
        terminal: 'T1',
        seq: z?.seq,
        message: `the head hash field says ${'0'.repeat(64)}, the signed Z report ${query<{ hash: string }>(dir, 'SELECT hash FROM journal WHERE seq = ?', z?.seq)[0]?.hash}`,
      },
      {
        kind: 'missing_seq',
        doctype: 'POS Closing Entry',
        name: closing,
        terminal: 'T1',
        seq: z?.seq,
        message: `the signed Z report counts 6 sales and 2 returns in seq ${firstSeq}..${z?.seq}; ERPNext holds 5 sales and 2 returns`,
      },
    ]);
  }, 120_000);
});

describe('outpost audit --receipt', () => {
  it("a receipt's compact code verifies against ERPNext's signed copy; a wrong code or an unpushed sale is named", async () => {
    const { dir, shift, sim } = await pushed('sales_invoice');
    const row = query<{ hash: string; chain_seq: number; invoice_no: string }>(
      dir,
      'SELECT hash, chain_seq, invoice_no FROM journal WHERE uuid = ?',
      shift.sales[1]?.['uuid'],
    )[0];
    const seq = row?.chain_seq ?? 0;
    const code = hashCode(row?.hash ?? '');
    const good = await audit(sim, '--receipt', `OUTPOST/T1/${seq}/${code}`);
    expect(good.code, JSON.stringify(good.report)).toBe(0);
    expect(good.report).toMatchObject({
      ok: true,
      invoice_no: row?.invoice_no,
      terminal: 'T1',
      seq,
      erpnext: {
        doctype: 'Sales Invoice',
        name: nameOf(sim, 'Sales Invoice', 'outpost_si_uuid', shift.sales[1]?.['uuid']),
      },
      problems: [],
    });

    const wrong = `${code.slice(0, 11)}${code.endsWith('0') ? '1' : '0'}`;
    const bad = await audit(sim, '--receipt', `T1/${seq}/${wrong}`);
    expect(bad.code).toBe(1);
    expect(bad.report['problems']).toEqual([
      {
        kind: 'edited',
        doctype: 'Sales Invoice',
        name: nameOf(sim, 'Sales Invoice', 'outpost_si_uuid', shift.sales[1]?.['uuid']),
        terminal: 'T1',
        seq,
        message: `ERPNext's record hashes to code ${code}, the receipt's is ${wrong}`,
      },
    ]);

    const unpushed = await audit(sim, '--receipt', `T1/99999/${code}`);
    expect(unpushed.code).toBe(1);
    expect(brief(unpushed.report['problems'])).toEqual([
      { kind: 'missing_seq', name: null, seq: 99999 },
    ]);
  }, 120_000);

  it('a good QR verifies and matches ERPNext; one byte changed fails; an unregistered key is named', async () => {
    const { dir, shift, sim } = await pushed('sales_invoice');
    const j = journal(dir, shift.sales[1]?.['uuid']);
    const qr = `${j.header}.${j.signature}`;
    const good = await audit(sim, '--receipt', qr);
    expect(good.code, JSON.stringify(good.report)).toBe(0);
    expect(good.report).toMatchObject({
      ok: true,
      invoice_no: j.invoice_no,
      terminal: 'T1',
      seq: j.seq,
      erpnext: {
        doctype: 'Sales Invoice',
        name: nameOf(sim, 'Sales Invoice', 'outpost_si_uuid', shift.sales[1]?.['uuid']),
      },
      problems: [],
    });

    // One byte of the signed header: the grand total's first digit.
    const at = j.header.indexOf('"grand_total":"') + '"grand_total":"'.length;
    const digit = j.header[at] === '9' ? '8' : String(Number(j.header[at]) + 1);
    const forged = `${j.header.slice(0, at)}${digit}${j.header.slice(at + 1)}.${j.signature}`;
    const bad = await audit(sim, '--receipt', forged);
    expect(bad.code).toBe(1);
    expect(brief(bad.report['problems'])).toEqual([
      { kind: 'bad_signature', name: null, seq: j.seq },
    ]);

    const stranger = generateTerminalKey('T1');
    const header = { ...(JSON.parse(j.header) as Json), key_id: stranger.keyId };
    const text = canonicalize(header);
    const signature = stranger.sign(Buffer.from(text)).toString('base64');
    const unknown = await audit(sim, '--receipt', `${text}.${signature}`);
    expect(unknown.code).toBe(1);
    expect(unknown.report['problems']).toEqual([
      {
        kind: 'unknown_key',
        doctype: null,
        name: null,
        terminal: 'T1',
        seq: j.seq,
        message: `key ${stranger.keyId} is not registered in ERPNext`,
      },
    ]);
  }, 120_000);
});
