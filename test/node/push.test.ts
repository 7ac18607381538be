import { describe, expect, it } from 'vitest';
import { list, pointAt, pushSuite } from '../sync/push-fixture.js';
import { MANAGER, cli, cliJson, query, sellArgs } from '../pos/till-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();

describe('the push of a node with two terminals', () => {
  it("sends both terminals' sales, each under its own terminal, seq and number", async () => {
    const dir = suite.copy();
    const sim = await suite.open();
    pointAt(dir, sim, 'sales_invoice');
    const pairing = (
      await cliJson<{ pairing: { code: string } }>(['terminal', 'pair', '--data', dir])
    ).pairing;
    await cliJson([
      'terminal',
      'approve',
      pairing.code,
      '--data',
      dir,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--terminal',
      'T2',
    ]);
    const a = await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000001:2'));
    const b = await cliJson(sellArgs(dir, '--item', 'SKU-0000002:1'));
    const c = await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000003:1'));
    expect([a['invoice_no'], b['invoice_no'], c['invoice_no']]).toEqual([
      'STORE-NORTH-T2-2026-000001',
      'STORE-NORTH-T1-2026-000001',
      'STORE-NORTH-T2-2026-000002',
    ]);

    const pushed = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
    expect(pushed.code, pushed.out + pushed.err).toBe(0);
    expect(query(dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'")).toEqual([
      { n: 0 },
    ]);
    const held = list(
      sim,
      'Sales Invoice',
      [],
      ['outpost_si_receipt_no', 'outpost_si_terminal', 'outpost_si_seq'],
    )
      .map((r: Json) => [r['outpost_si_receipt_no'], r['outpost_si_terminal'], r['outpost_si_seq']])
      .sort();
    // Each sale under its own chain's seq: T1's after its cashiers, login, shift and the
    // pairing approval; T2's after its login and shift_open.
    expect(held).toEqual([
      ['STORE-NORTH-T1-2026-000001', 'T1', 6],
      ['STORE-NORTH-T2-2026-000001', 'T2', 3],
      ['STORE-NORTH-T2-2026-000002', 'T2', 4],
    ]);
    const verified = await cli(['verify', '--data', dir]);
    expect(verified.code, verified.out).toBe(0);
  }, 120_000);
});
