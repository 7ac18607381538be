import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { list, pointAt, pushSuite, registerTillKey } from '../sync/push-fixture.js';
import { KEY, SECRET } from '../sync/sim-site.js';
import { MANAGER, cli, cliJson, query, sellArgs } from '../pos/till-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();
const envelope = (out: string): Json => (JSON.parse(out) as { error: Json }).error;

const FIELDS = {
  pos_invoice: { doctype: 'POS Invoice', terminal: 'outpost_terminal', seq: 'outpost_seq' },
  sales_invoice: {
    doctype: 'Sales Invoice',
    terminal: 'outpost_si_terminal',
    seq: 'outpost_si_seq',
  },
} as const;

const headOf = (dir: string, terminal: string): number =>
  Number(
    query<{ s: number }>(
      dir,
      'SELECT last_seq AS s FROM journal_head WHERE terminal = ?',
      terminal,
    )[0]?.s,
  );

describe.each(['pos_invoice', 'sales_invoice'] as const)(
  "ERPNext's high-water mark of every terminal (%s)",
  (mode: PostingMode) => {
    it('a terminal restored behind what ERPNext holds of it refuses; the other sells; acknowledged, it sells again', async () => {
      const dir = suite.copy();
      const sim = await suite.open();
      pointAt(dir, sim, mode);
      const { code } = (
        await cliJson<{ pairing: { code: string } }>(['terminal', 'pair', '--data', dir])
      ).pairing;
      await cliJson(
        ['terminal', 'approve', code, '--data', dir, '--cashier', MANAGER.id].concat([
          '--pin',
          MANAGER.pin,
          '--terminal',
          'T2',
        ]),
      );
      await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
      await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000002:1'));
      const first = await cli(['sync', '--data', dir, '--once', '--json']);
      expect(first.code, first.out + first.err).toBe(0);

      // The backup: the whole store directory (database and every head file).
      const backup = join(mkdtempSync(join(tmpdir(), 'outpost-backup-')), 'store');
      cpSync(dir, backup, { recursive: true });
      const t2Before = headOf(dir, 'T2');

      // Only T2 sells after the backup, and ERPNext takes it.
      const later = await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000003:1'));
      const pushed = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
      expect(pushed.code, pushed.out + pushed.err).toBe(0);
      const f = FIELDS[mode];
      const held = list(sim, f.doctype, [[f.terminal, '=', 'T2']], ['name', f.seq]);
      // The sale's place in T2's own chain (`seq` of the answer is the node's journal's).
      const laterSeq = Number(
        query<{ s: number }>(
          dir,
          'SELECT chain_seq AS s FROM journal WHERE uuid = ?',
          later['uuid'],
        )[0]?.s,
      );
      const top = held.find((r) => Number(r[f.seq]) === laterSeq);
      expect(top).toBeDefined();

      rmSync(dir, { recursive: true });
      cpSync(backup, dir, { recursive: true });
      const synced = await cli(['sync', '--data', dir, '--pull', '--once', '--json']);
      expect(synced.code, synced.out + synced.err).toBe(0);
      const status = await cliJson<{ erpnext_high_water_by_terminal: Record<string, Json> }>([
        'status',
        '--data',
        dir,
        '--json',
      ]);
      expect(status.erpnext_high_water_by_terminal['T2']).toMatchObject({
        seq: laterSeq,
        doctype: f.doctype,
        name: top?.['name'],
        receipt_no: later['invoice_no'],
      });

      const refused = await cli(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000004:1'));
      expect(refused.code).toBe(1);
      expect(envelope(refused.out)).toEqual({
        kind: 'ChainBehind',
        field: 'journal',
        message: `the local journal ends at seq ${t2Before} but ERPNext already holds seq ${laterSeq} of this terminal (${f.doctype} ${String(top?.['name'])}): seq ${t2Before + 1} to ${laterSeq} are missing here. This database was restored from a backup or copied from another till. Selling is stopped until a manager acknowledges it: \`outpost terminal acknowledge --terminal T2 --cashier M --pin P --note TEXT\``,
      });
      expect(headOf(dir, 'T2')).toBe(t2Before);

      // T1 is where ERPNext has it: it sells.
      const t1 = await cliJson(sellArgs(dir, '--item', 'SKU-0000004:1'));
      expect(t1['invoice_no']).toBe('STORE-NORTH-T1-2026-000002');

      // Acknowledging T1 finds nothing; T2's acknowledgement is T2's alone.
      const ack = ['terminal', 'acknowledge', '--data', dir, '--cashier', MANAGER.id];
      const nothing = await cli([...ack, '--pin', MANAGER.pin, '--note', 'restore']);
      expect(envelope(nothing.out)).toMatchObject({ kind: 'NotFound' });
      const done = await cliJson<{ acknowledged: Json }>([
        ...ack,
        '--pin',
        MANAGER.pin,
        '--terminal',
        'T2',
        '--note',
        'store server restored from the backup',
      ]);
      expect(done.acknowledged).toMatchObject({
        local: { seq: t2Before },
        erpnext: { seq: laterSeq },
        invoice_series: { prefix: 'STORE-NORTH-T2-2026-', continues_after: 2 },
      });
      const again = await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000004:1'));
      expect(again['invoice_no']).toBe('STORE-NORTH-T2-2026-000003');
      const verified = await cli(['verify', '--data', dir]);
      expect(verified.code, verified.out).toBe(0);
    }, 180_000);

    it("another store's T1 on the same ERPNext is not this store's T1: its seqs never stop this one", async () => {
      const sim = await suite.open();
      const north = suite.copy();
      const south = suite.copy();
      pointAt(north, sim, mode);
      pointAt(south, sim, mode);
      const file = join(south, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
      writeFileSync(file, JSON.stringify({ ...config, store: 'SOUTH' }));
      // North's T1 runs ahead of South's T1; both push to the one ERPNext.
      for (const item of ['SKU-0000001:1', 'SKU-0000002:1', 'SKU-0000003:1']) {
        await cliJson(sellArgs(north, '--item', item));
      }
      const sold = await cliJson(sellArgs(south, '--item', 'SKU-0000004:1'));
      expect(sold['invoice_no']).toBe('SOUTH-T1-2026-000001');
      for (const dir of [north, south]) {
        const synced = await cli(['sync', '--data', dir, '--once', '--json']);
        expect(synced.code, synced.out + synced.err).toBe(0);
      }
      const f = FIELDS[mode];
      expect(list(sim, f.doctype, [[f.terminal, '=', 'T1']], ['name']).length).toBe(4);
      const mark = async (dir: string) =>
        (
          await cliJson<{ erpnext_high_water_by_terminal: Record<string, Json> }>([
            ...['status', '--data', dir, '--json'],
          ])
        ).erpnext_high_water_by_terminal['T1'];
      expect(await mark(south)).toMatchObject({
        seq: headOf(south, 'T1'),
        receipt_no: 'SOUTH-T1-2026-000001',
      });
      expect(await mark(north)).toMatchObject({
        seq: headOf(north, 'T1'),
        receipt_no: 'STORE-NORTH-T1-2026-000003',
      });
      // South sells on: North's higher seqs are not its chain's.
      const next = await cliJson(sellArgs(south, '--item', 'SKU-0000004:1'));
      expect(next['invoice_no']).toBe('SOUTH-T1-2026-000002');

      // HQ's audit tells the two T1 chains apart by their stores: nothing held twice, no break.
      // (These two stores are copies of one: their T1s even share a key, registered once.)
      await registerTillKey(sim, north);
      const audited = await cli([
        ...['audit', '--erpnext', sim.url, '--api-key', KEY, '--api-secret', SECRET, '--json'],
      ]);
      const report = JSON.parse(audited.out) as { ok: boolean; terminals: Json[] };
      expect(audited.code, audited.out).toBe(0);
      expect(
        report.terminals.map((t) => [t['store'], t['terminal'], t['invoices'], t['problems']]),
      ).toEqual([
        ['SOUTH', 'T1', 1, 0],
        ['STORE-NORTH', 'T1', 3, 0],
      ]);
    }, 180_000);
  },
);
