import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { raiseHighWater } from '../../src/store/high-water.js';
import type { RunningSim } from '../sync/sim-site.js';
import { list, pointAt, sellShift, simWithFields } from '../sync/push-fixture.js';
import { MANAGER, cli, cliJson, makeTemplate, query, sellArgs } from './till-fixture.js';

type Json = Record<string, unknown>;

const envelope = (out: string): Json => (JSON.parse(out) as { error: Json }).error;

let sim: RunningSim;
let dir: string;
let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
  dir = template.copy();
  sim = await simWithFields();
  pointAt(dir, sim, 'sales_invoice');
}, 180_000);
afterAll(async () => {
  await sim.close();
});

describe('a journal behind what ERPNext holds (restored backup)', () => {
  it('refuses to sell naming the gap; a manager acknowledges; the series goes on past ERPNext and verify passes', async () => {
    const first = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    // The backup: the whole store directory (database and head.json), taken after one sale.
    const backup = join(mkdtempSync(join(tmpdir(), 'outpost-backup-')), 'store');
    cpSync(dir, backup, { recursive: true });

    await sellShift(dir);
    const pushed = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
    expect(pushed.code, pushed.err).toBe(0);
    const held = list(
      sim,
      'Sales Invoice',
      [['outpost_si_terminal', '=', 'T1']],
      ['name', 'outpost_si_seq', 'outpost_si_record_hash', 'outpost_si_receipt_no'],
    );
    const lastInvoice = Math.max(...held.map((r) => Number(r['outpost_si_seq'])));
    // In sales_invoice mode the shift's closing went as an Outpost Shift Anchor: the Z report,
    // after the last invoice, is the top of what ERPNext holds.
    const anchors = list(sim, 'Outpost Shift Anchor', [['terminal', '=', 'T1']], ['*']);
    expect(anchors).toHaveLength(1);
    const top = anchors[0];
    const topSeq = Number(top?.['last_seq']);
    const topHash = top?.['head_hash'];
    expect(topSeq).toBeGreaterThan(lastInvoice);
    const receipts = held.map((r) => String(r['outpost_si_receipt_no'])).sort();
    const lastReceipt = receipts.at(-1) ?? '';

    // The disk dies; the store is restored from the backup (its head.json agrees with it).
    rmSync(dir, { recursive: true });
    cpSync(backup, dir, { recursive: true });
    const localHead = Number(query<{ s: number }>(dir, 'SELECT max(seq) AS s FROM journal')[0]?.s);
    expect(localHead).toBeLessThan(topSeq);

    // Before ERPNext was asked the restored store cannot know; the sync asks it.
    const synced = await cli(['sync', '--data', dir, '--pull', '--once', '--json']);
    expect(synced.code, synced.err).toBe(0);
    const status = await cliJson<{ erpnext_high_water: Json }>(['status', '--data', dir, '--json']);
    expect(status.erpnext_high_water).toMatchObject({
      seq: topSeq,
      hash: topHash,
      doctype: 'Outpost Shift Anchor',
      name: top?.['name'],
      receipt_no: lastReceipt,
    });

    const refused = await cli(sellArgs(dir, '--item', 'SKU-0000003:1'));
    expect(refused.code).toBe(1);
    expect(envelope(refused.out)).toEqual({
      kind: 'ChainBehind',
      field: 'journal',
      message: `the local journal ends at seq ${localHead} but ERPNext already holds seq ${topSeq} of this terminal (Outpost Shift Anchor ${String(top?.['name'])}): seq ${localHead + 1} to ${topSeq} are missing here. This database was restored from a backup or copied from another till. Selling is stopped until a manager acknowledges it: \`outpost terminal acknowledge --terminal T1 --cashier M --pin P --note TEXT\``,
    });
    // A return is refused alike, and nothing was written.
    const ret = await cli([
      'return',
      '--data',
      dir,
      '--cashier',
      'alice',
      '--pin',
      '1234',
      '--invoice',
      String(first['invoice_no']),
      '--item',
      'SKU-0000001:1',
    ]);
    expect(envelope(ret.out)['kind']).toBe('ChainBehind');
    expect(Number(query<{ s: number }>(dir, 'SELECT max(seq) AS s FROM journal')[0]?.s)).toBe(
      localHead,
    );

    const noNote = await cli([
      'terminal',
      'acknowledge',
      '--data',
      dir,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--note',
      ' ',
    ]);
    expect(envelope(noNote.out)).toMatchObject({ kind: 'InvalidInput', field: 'note' });
    const ack = await cliJson<{ acknowledged: Json }>([
      'terminal',
      'acknowledge',
      '--data',
      dir,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--note',
      'disk replaced, restored from last night backup',
    ]);
    const [prefix, lastNo] = [lastReceipt.slice(0, -6), Number(lastReceipt.slice(-6))];
    expect(ack.acknowledged).toMatchObject({
      local: { seq: localHead },
      invoice_series: { prefix, continues_after: lastNo },
    });
    const records = query<{ seq: number; body: string }>(
      dir,
      "SELECT seq, body FROM journal WHERE body LIKE '%chain_behind_acknowledged%'",
    );
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]?.body ?? '{}')).toMatchObject({
      event: 'chain_behind_acknowledged',
      reason: 'behind',
      erpnext: { seq: topSeq, hash: topHash, receipt_no: lastReceipt },
      local_head: { seq: localHead },
      fork: { after_seq: localHead, erpnext_from_seq: localHead + 1, erpnext_to_seq: topSeq },
      manager: { id: MANAGER.id },
      note: 'disk replaced, restored from last night backup',
    });

    // Selling resumes; the receipt number is past every one ERPNext holds.
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000003:1'));
    expect(sale['invoice_no']).toBe(`${prefix}${String(lastNo + 1).padStart(6, '0')}`);
    const verified = await cli(['verify', '--data', dir, '--json']);
    expect(verified.code, verified.out).toBe(0);

    // The push takes the new sale to ERPNext under its own number; selling stays open after
    // ERPNext is asked again.
    const again = await cli(['sync', '--data', dir, '--once', '--json']);
    expect(again.code, again.err).toBe(0);
    const newOne = list(
      sim,
      'Sales Invoice',
      [['outpost_si_receipt_no', '=', String(sale['invoice_no'])]],
      ['name', 'outpost_si_seq'],
    );
    expect(newOne.map((r) => r['outpost_si_seq'])).toEqual([sale['seq']]);
    const next = await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1'));
    expect(next['invoice_no']).toBe(`${prefix}${String(lastNo + 2).padStart(6, '0')}`);
  }, 240_000);

  it('a cloned disk: ERPNext holds another record at the local head seq; refused as forked until acknowledged', async () => {
    const clone = template.copy();
    const sold = await cliJson(sellArgs(clone, '--item', 'SKU-0000001:1'));
    const head = Number(sold['seq']);
    // The other copy of this disk sold seq `head` too, and ERPNext got that one.
    const db = openStore(join(clone, 'store.db'));
    raiseHighWater(db, 'T1', {
      seq: head,
      hash: 'f'.repeat(64),
      doctype: 'Sales Invoice',
      name: 'ACC-SINV-2026-00042',
      receipt_no: null,
      checked_at: '2026-12-07T10:00:00.000Z',
    });
    db.close();
    const refused = await cli(sellArgs(clone, '--item', 'SKU-0000001:1'));
    expect(envelope(refused.out)).toMatchObject({
      kind: 'ChainBehind',
      field: 'journal',
      message: expect.stringMatching(
        new RegExp(
          `^ERPNext holds a different record at seq ${head} of this terminal \\(Sales Invoice ACC-SINV-2026-00042\\) than the local journal\\. `,
        ),
      ) as unknown,
    });
    const ack = await cliJson<{ acknowledged: Json }>([
      'terminal',
      'acknowledge',
      '--data',
      clone,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--note',
      'till 1 disk cloned to the spare; spare retired',
    ]);
    expect(ack.acknowledged).toMatchObject({ local: { seq: head }, invoice_series: null });
    const event = query<{ body: string }>(
      clone,
      "SELECT body FROM journal WHERE body LIKE '%chain_behind_acknowledged%'",
    ).map((r) => JSON.parse(r.body) as Json);
    expect(event).toMatchObject([{ reason: 'forked', fork: { differs_at_seq: head } }]);
    const next = await cliJson(sellArgs(clone, '--item', 'SKU-0000001:1'));
    expect(next['invoice_no']).toBe(
      String(sold['invoice_no']).replace(/\d{6}$/, (n) => String(Number(n) + 1).padStart(6, '0')),
    );
  }, 60_000);
});
