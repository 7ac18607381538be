import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_FIELDS } from '../../src/erpnext/custom-fields.js';
import { askHighWater } from '../../src/sync/anchor.js';
import { KEY_DOCTYPE_DEFINITION } from '../../src/sync/setup-keys.js';
import { runAudit } from '../../src/sync/audit/audit.js';
import { client } from './push-fixture.js';
import { startSim, type RunningSim } from './sim-site.js';

/**
 * A site set up by an Outpost from before the Outpost Shift Anchor DocType (fields and key
 * registry only): Frappe
 * answers 404 for a list of a DocType it does not know (pinned in setup.contract.test.ts), and
 * the high-water mark and the audit read that as "no anchors", not as a failure.
 */
describe('a site set up without the Outpost Shift Anchor DocType', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ items: 20, customers: 5 });
    for (const spec of CUSTOM_FIELDS) {
      expect(sim.call('POST', '/api/resource/Custom Field', spec).status).toBe(200);
    }
    expect(sim.call('POST', '/api/resource/DocType', KEY_DOCTYPE_DEFINITION).status).toBe(200);
  }, 60_000);
  afterAll(() => sim.close());

  it('has no high-water mark for a terminal and audits clean', async () => {
    expect(sim.call('GET', '/api/resource/Outpost Shift Anchor').status).toBe(404);
    const erp = client(sim);
    expect(
      await askHighWater(erp, 'T1', '2026-12-07T00:00:00.000Z', { store: 'STORE', keyIds: ['k1'] }),
    ).toBeNull();
    expect(await runAudit(erp, { from: null })).toEqual({
      ok: true,
      erpnext: sim.url,
      from: null,
      checked: { invoices: 0, closings: 0, keys: 0 },
      terminals: [],
      problems: [],
    });
  });
});
