import { describe, expect, it } from 'vitest';
import { list, pointAt, pushSuite } from '../sync/push-fixture.js';
import { MANAGER, cli, cliJson, sellArgs, shiftArgs } from '../pos/till-fixture.js';

const suite = pushSuite();

/** Closes `terminal`'s shift counting what its X report expects. */
async function closeShift(dir: string, terminal: string): Promise<void> {
  const x = (
    await cliJson<{ x_report: { expected: Record<string, string> } }>([
      'shift',
      'x',
      '--data',
      dir,
      '--terminal',
      terminal,
    ])
  ).x_report;
  const counts = Object.entries(x.expected).flatMap(([m, a]) => ['--count', `${m}:${a}`]);
  await cliJson(shiftArgs(dir, 'close', '--terminal', terminal, ...counts));
}

describe('pos_invoice mode: two terminals of one store each open and close a shift', () => {
  // ERPNext v15.71 keeps no "one open entry per user and POS Profile" rule: a POS Invoice needs
  // some open POS Opening Entry of its profile (pos_invoice.py validate_pos_opening_entry), and
  // a closing merges the POS Invoices it lists, each of its own profile and submitted
  // (pos_closing_entry.py validate_pos_invoices). Each terminal's shift is its own entry pair.
  it("pushes two openings and two closings, each closing consolidating its own terminal's invoices", async () => {
    const dir = suite.copy();
    const sim = await suite.open();
    pointAt(dir, sim, 'pos_invoice');
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
    const t1 = [
      await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1')),
      await cliJson(sellArgs(dir, '--item', 'SKU-0000003:1')),
    ];
    const t2 = [await cliJson(sellArgs(dir, '--terminal', 'T2', '--item', 'SKU-0000004:1'))];
    await closeShift(dir, 'T2');
    await closeShift(dir, 'T1');
    for (let i = 0; i < 3; i++) {
      const r = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
      if (r.code === 0) break;
    }
    const left = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
    expect(left.code, left.out + left.err).toBe(0);

    const openings = list(sim, 'POS Opening Entry', [], ['name', 'status', 'docstatus']);
    expect(openings.map((o) => [o['status'], o['docstatus']])).toEqual([
      ['Closed', 1],
      ['Closed', 1],
    ]);
    const closings = list(sim, 'POS Closing Entry', [], ['name', 'docstatus', 'pos_opening_entry']);
    expect(closings.map((c) => c['docstatus'])).toEqual([1, 1]);
    expect(new Set(closings.map((c) => c['pos_opening_entry'])).size).toBe(2);
    const invoices = list(
      sim,
      'POS Invoice',
      [],
      ['outpost_receipt_no', 'outpost_terminal', 'status', 'consolidated_invoice'],
    );
    const byTerminal = (t: string) =>
      invoices
        .filter((i) => i['outpost_terminal'] === t)
        .map((i) => [i['outpost_receipt_no'], i['status']])
        .sort();
    expect(byTerminal('T1')).toEqual(t1.map((s) => [s['invoice_no'], 'Consolidated']).sort());
    expect(byTerminal('T2')).toEqual([[t2[0]?.['invoice_no'], 'Consolidated']]);
    // One consolidated Sales Invoice per closing: the terminals' sales are not merged together.
    const merged = (t: string) =>
      new Set(
        invoices.filter((i) => i['outpost_terminal'] === t).map((i) => i['consolidated_invoice']),
      );
    const [m1, m2] = [merged('T1'), merged('T2')];
    expect([m1.size, m2.size]).toEqual([1, 1]);
    expect([...m1][0]).not.toBe([...m2][0]);
  }, 180_000);
});
