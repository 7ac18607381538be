import { describe, expect, it } from 'vitest';
import { cli, cliJson, query, sellArgs, shiftArgs } from '../pos/till-fixture.js';
import { getDoc, list, pointAt, pushSuite } from './push-fixture.js';

/**
 * A shift opened by a sale (auto_open_shift, no float counted) still reaches ERPNext: POS
 * Opening Entry's balance_details is mandatory (pos_opening_entry.json, reqd), so its opening
 * lists every mode of the profile at 0, as ERPNext's own opening dialog does.
 */
const suite = pushSuite();

describe('a shift opened by a sale', () => {
  it('is pushed as a POS Opening Entry with every mode of the profile at 0, before its sale', async () => {
    const dir = suite.copy();
    // The template's shift (float Cash 100) is closed; the next sale opens one by itself.
    expect((await cli(shiftArgs(dir, 'close', '--count', 'Cash:100'))).code).toBe(0);
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    const sim = await suite.open();
    pointAt(dir, sim, 'pos_invoice');
    const r = await cli(['sync', '--data', dir, '--push', '--once', '--json']);
    expect(r.code, r.out + r.err).toBe(0);
    const auto = query<{ uuid: string }>(dir, 'SELECT uuid FROM shift ORDER BY id DESC LIMIT 1')[0];
    const [opening] = list(
      sim,
      'POS Opening Entry',
      [['outpost_shift_uuid', '=', auto?.uuid]],
      ['name', 'docstatus'],
    );
    expect(opening?.['docstatus']).toBe(1);
    const doc = getDoc(sim, 'POS Opening Entry', String(opening?.['name']));
    const profile = getDoc(sim, 'POS Profile', String(doc['pos_profile']));
    const modes = (profile['payments'] as Record<string, unknown>[]).map(
      (p) => p['mode_of_payment'],
    );
    expect(
      (doc['balance_details'] as Record<string, unknown>[]).map((b) => [
        b['mode_of_payment'],
        b['opening_amount'],
      ]),
    ).toEqual(modes.map((m) => [m, 0]));
    expect(list(sim, 'POS Invoice', [['outpost_uuid', '=', sale['uuid']]], ['docstatus'])).toEqual([
      { docstatus: 1 },
    ]);
  }, 120_000);
});
