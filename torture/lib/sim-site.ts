import { z } from 'zod';
import { parseWith } from '../../src/core/schema.js';
import { CUSTOM_FIELDS } from '../../src/erpnext/custom-fields.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';
import { startSim, type RunningSim } from '../../src/sim/start.js';
import { ANCHOR_DOCTYPE_DEFINITION } from '../../src/sync/setup-anchor.js';

export const SIM_KEY = 'outpost-torture-key';
export const SIM_SECRET = 'outpost-torture-secret';

export interface TortureSim {
  readonly url: string;
  readonly sim: RunningSim;
  /** The names (and `fields`) of `doctype`'s documents matching `filters`, from the site itself. */
  list(doctype: string, filters: unknown[], fields?: string[]): Record<string, unknown>[];
  close(): Promise<void>;
}

const listAnswer = z.object({ data: z.array(z.record(z.string(), z.unknown())) });

/**
 * The demo-seeded simulator on a free loopback port, with Outpost's custom fields and its
 * shift-anchor DocType (what `outpost erpnext setup` installs on a real site), so pushed sales
 * carry their seq and hash and ERPNext has a high-water mark to report.
 */
export async function startTortureSim(o: {
  items: number;
  customers: number;
}): Promise<TortureSim> {
  // Seeded a day back: the catalogue's prices and rules are valid from before today's sales.
  let offset = 86_400_000;
  const sim = await startSim({
    dbPath: ':memory:',
    port: 0,
    timeZone: 'America/New_York',
    clock: { now: () => Date.now() - offset },
    credentials: { apiKey: SIM_KEY, apiSecret: SIM_SECRET },
    seeded: (app) => app.db.exists('Item', 'SKU-0000001'),
    seed: (app) => void loadDemoSeed(app, { items: o.items, customers: o.customers }),
  });
  offset = 0;
  const headers = { authorization: `token ${SIM_KEY}:${SIM_SECRET}` };
  const call = (path: string, body: unknown) =>
    sim.app.handle({
      method: 'POST',
      path,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      query: null,
    });
  for (const spec of CUSTOM_FIELDS) {
    const r = call('/api/resource/Custom Field', spec);
    if (r.status !== 200) throw new Error(`custom field ${spec.dt}-${spec.fieldname}: ${r.status}`);
  }
  const anchor = call('/api/resource/DocType', ANCHOR_DOCTYPE_DEFINITION);
  if (anchor.status !== 200) throw new Error(`DocType Outpost Shift Anchor: ${anchor.status}`);
  return {
    url: `http://127.0.0.1:${sim.port}`,
    sim,
    list: (doctype, filters, fields = ['name']) => {
      const r = sim.app.handle({
        method: 'GET',
        path: `/api/resource/${doctype}`,
        headers,
        body: undefined,
        query: {
          filters: JSON.stringify(filters),
          fields: JSON.stringify(fields),
          limit_page_length: '0',
        },
      });
      if (r.status !== 200) throw new Error(`${doctype} list: ${r.status}`);
      return parseWith(listAnswer, r.body, `${doctype} list`).data;
    },
    close: () => sim.close(),
  };
}
