import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyExportFile } from '../../src/journal/index.js';
import { Dec } from '../../src/core/index.js';
import { authenticate, closeShift, returnSale, sell, xReport } from '../../src/pos/index.js';
import { approvePairing, requestPairing } from '../../src/pos/devices.js';
import { schemaVersion } from '../../src/store/migrations.js';
import { cli } from '../pos/till-fixture.js';
import {
  AFTER_OLD_STORE,
  CASHIER,
  MANAGER,
  oldStoreCopy,
  openTestNode,
  testClock,
} from './fixture.js';

type Json = Record<string, unknown>;

const verify = async (dir: string) => {
  const r = await cli(['verify', '--data', dir, '--json']);
  return { code: r.code, out: JSON.parse(r.out) as Json };
};
const terminalsOf = (v: Json) =>
  (v['terminals'] as Json[]).map((t) => [
    t['terminal'],
    t['ok'],
    t['count'],
    (t['head'] as { seq: number } | null)?.seq,
  ]);

describe('a store made before several terminals', () => {
  it('verifies unmigrated, migrates in place on opening, still verifies and keeps selling', async () => {
    const dir = oldStoreCopy();
    // Read-only verification does not migrate: an auditor can check an old backup as it is.
    const old = await verify(dir);
    expect(old.code).toBe(0);
    expect(terminalsOf(old.out)).toEqual([['T1', true, 7, 7]]);

    const node = openTestNode(dir, testClock(AFTER_OLD_STORE));
    try {
      expect(schemaVersion(node.db)).toBe(8);
      expect(
        node.db.prepare('SELECT seq, chain_seq, terminal FROM journal ORDER BY seq').raw().all(),
      ).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, n, 'T1']));
      expect(node.terminals().map((t) => t.name)).toEqual(['T1']);
      expect(node.db.prepare('SELECT terminal, closed_seq FROM shift').raw().all()).toEqual([
        ['T1', null],
      ]);
      // The logged-in cashier became T1's own state (the sale below needs no new login).
      expect(node.db.prepare('SELECT terminal, key FROM terminal_local').raw().all()).toEqual([
        ['T1', 'session'],
      ]);

      const term = node.terminal();
      const cashier = authenticate(term, CASHIER.id, CASHIER.pin);
      const sale = sell(term, { cashier, lines: [{ item_code: 'SKU-0000004', qty: '1' }] });
      expect([sale.invoice_no, sale.seq]).toEqual(['STORE-NORTH-T1-2026-000004', 8]);
      expect(node.db.prepare('SELECT chain_seq FROM journal WHERE seq = 8').pluck().get()).toBe(8);
    } finally {
      node.close();
    }
    const after = await verify(dir);
    expect(after.code).toBe(0);
    expect(terminalsOf(after.out)).toEqual([['T1', true, 8, 8]]);
  });
});

describe('two terminals in one data directory', () => {
  it('sell with their own series and chains, return across tills, and both chains verify', async () => {
    const dir = oldStoreCopy();
    const clock = testClock(AFTER_OLD_STORE);
    const node = openTestNode(dir, clock);
    try {
      const pairing = requestPairing(node, { label: 'Till 2' });
      const approved = approvePairing(node, {
        code: pairing.code,
        manager: MANAGER.id,
        pin: MANAGER.pin,
        terminal: 'T2',
      });
      expect([approved.terminal, approved.new_terminal]).toEqual(['T2', true]);
      const t1 = node.terminal('T1');
      const t2 = node.terminal('T2');
      const alice1 = authenticate(t1, CASHIER.id, CASHIER.pin);
      const alice2 = authenticate(t2, CASHIER.id, CASHIER.pin);

      const a = sell(t2, { cashier: alice2, lines: [{ item_code: 'SKU-0000004', qty: '1' }] });
      const b = sell(t1, { cashier: alice1, lines: [{ item_code: 'SKU-0000005', qty: '1' }] });
      const c = sell(t2, { cashier: alice2, lines: [{ item_code: 'SKU-0000006', qty: '2' }] });
      expect([a.invoice_no, b.invoice_no, c.invoice_no]).toEqual([
        'STORE-NORTH-T2-2026-000001',
        'STORE-NORTH-T1-2026-000004',
        'STORE-NORTH-T2-2026-000002',
      ]);
      // A return at T2 of a receipt printed at T1 (before the migration, even).
      const r = returnSale(t2, {
        cashier: alice2,
        invoiceNo: 'STORE-NORTH-T1-2026-000002',
        items: [{ item_code: 'SKU-0000002', qty: '1' }],
      });
      expect([r.invoice_no, r.return_against]).toEqual([
        'STORE-NORTH-T2-2026-000003',
        'STORE-NORTH-T1-2026-000002',
      ]);
      const chain = node.db
        .prepare('SELECT seq, terminal, chain_seq, type FROM journal WHERE seq > 7 ORDER BY seq')
        .raw()
        .all();
      // One journal, two chains: the store's seq runs on, each chain's seq from 1 without a gap.
      expect(chain).toEqual([
        [8, 'T1', 8, 'override'], // the manager's approval of the pairing, at T1
        [9, 'T2', 1, 'login'],
        [10, 'T2', 2, 'shift_open'],
        [11, 'T2', 3, 'sale'],
        [12, 'T1', 9, 'sale'],
        [13, 'T2', 4, 'sale'],
        [14, 'T2', 5, 'return'],
      ]);
      expect([a.seq, b.seq, c.seq, r.seq]).toEqual([11, 12, 13, 14]);
      // Every document is queued once, at its own store seq.
      expect(
        node.db.prepare('SELECT seq FROM outbox WHERE seq > 7 ORDER BY seq').pluck().all(),
      ).toEqual([10, 11, 12, 13, 14]);
      // T2's Z report seals T2's chain only: its seqs and its own perpetual grand total.
      const x = xReport(t2);
      const z = closeShift(t2, alice2, x.expected);
      expect([z.first_seq, z.last_seq, z.z_seq]).toEqual([2, 6, 7]);
      expect(z.perpetual_grand_total).toBe(
        new Dec(a.grand_total).plus(c.grand_total).plus(r.grand_total).toFixed(2),
      );
      expect(
        node.db
          .prepare("SELECT chain_seq FROM journal WHERE terminal = 'T2' AND type = 'shift_close'")
          .pluck()
          .get(),
      ).toBe(7);
      // Each till has its own shift: T2's opened itself for its first sale, and closed alone.
      expect(
        node.db.prepare('SELECT terminal, closed_seq FROM shift ORDER BY id').raw().all(),
      ).toEqual([
        ['T1', null],
        ['T2', 7],
      ]);
    } finally {
      node.close();
    }
    const v = await verify(dir);
    expect(v.code).toBe(0);
    expect(terminalsOf(v.out)).toEqual([
      ['T1', true, 9, 9],
      ['T2', true, 7, 7],
    ]);
    const only = await cli(['verify', '--data', dir, '--terminal', 'T2', '--json']);
    expect(terminalsOf(JSON.parse(only.out) as Json)).toEqual([['T2', true, 7, 7]]);
    const unknown = await cli(['verify', '--data', dir, '--terminal', 'T9']);
    expect([unknown.code, (JSON.parse(unknown.out) as { error: Json }).error['field']]).toEqual([
      2,
      '--terminal',
    ]);
    // T2's key and signed head live beside each other in DIR/terminals/T2; T1's stay in DIR.
    const head2 = JSON.parse(
      readFileSync(join(dir, 'terminals', 'T2', 'head.json'), 'utf8'),
    ) as Json;
    expect([head2['terminal'], head2['seq']]).toEqual(['T2', 7]);
    const head1 = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as Json;
    expect([head1['terminal'], head1['seq']]).toEqual(['T1', 9]);
    expect(existsSync(join(dir, 'terminals', 'T2', 'terminal-key.json'))).toBe(true);
    // Each chain exports on its own, signed by its own key.
    const out = join(dir, 'T2.jsonl');
    const exported = await cli([
      'journal',
      'export',
      '--data',
      dir,
      '--terminal',
      'T2',
      '--out',
      out,
    ]);
    expect(exported.code, exported.out).toBe(0);
    const manifest = (JSON.parse(exported.out) as { manifest: Json }).manifest;
    expect([
      manifest['terminal'],
      manifest['first_seq'],
      manifest['last_seq'],
      manifest['count'],
    ]).toEqual(['T2', 1, 7, 7]);
    const keys = new Map(
      (
        JSON.parse(
          readFileSync(join(dir, 'terminals', 'T2', 'terminal-keys.json'), 'utf8'),
        ) as Json[]
      ).map((k) => [String(k['key_id']), String(k['raw_base64'])]),
    );
    const checked = verifyExportFile(out, { publicKeys: keys, terminal: 'T2' });
    expect([checked.ok, checked.count, checked.head?.seq]).toEqual([true, 7, 7]);
  });
});
