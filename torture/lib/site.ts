import type { Clock } from '../../src/sim/clock.js';
import { Faults } from '../../src/sim/faults.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';
import { startSim, type RunningSim } from '../../src/sim/start.js';
import type { PartOptions } from '../types.js';

/**
 * The ERPNext a torture part regularizes into: the simulator in this process (its HTTP layer
 * takes `Faults`), or a real ERPNext v15 from PartOptions.erpnext. Reads go through `get` /
 * `list`: on the simulator in process, past its faults (the checker is HQ, not the store's
 * link); on a real site over REST with the same token.
 */

export type Json = Record<string, unknown>;

export interface Site {
  /** What the store points at (config.json erpnext_url). */
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  readonly posProfile: string;
  /** A real ERPNext: documents are looked up by this run's uuids only. */
  readonly remote: boolean;
  /** The simulator's fault injection (null on a real site). */
  readonly faults: Faults | null;
  readonly sim: RunningSim | null;
  list(doctype: string, filters: unknown[], fields: string[]): Promise<Json[]>;
  get(doctype: string, name: string): Promise<Json>;
  /**
   * Hears each request the store sends the simulator, before it is decided or performed (the
   * crash part aims kills with it); a no-op on a real site.
   */
  watch(listener: ((req: { path: string; method: string }) => void) | null): void;
  /** Sets an item's on-hand quantity in a warehouse (simulator only: opening stock, no ledger). */
  stock(item: string, warehouse: string, qty: number): void;
  close(): Promise<void>;
}

export const SIM_KEY = 'outpost-torture-key';
export const SIM_SECRET = 'outpost-torture-secret';
export const SIM_PROFILE = 'Store North - Till 1';

/** The simulator (demo seed, `items` items) or the real site of `o.erpnext`. */
export async function openSite(
  o: Pick<PartOptions, 'erpnext' | 'seed'>,
  opts: { items?: number; clock?: Clock } = {},
): Promise<Site> {
  if (o.erpnext) return remoteSite(o.erpnext);
  const faults = new Faults({ seed: o.seed });
  let listener: ((req: { path: string; method: string }) => void) | null = null;
  const sim = await startSim({
    dbPath: ':memory:',
    port: 0,
    timeZone: 'America/New_York',
    ...(opts.clock ? { clock: opts.clock } : {}),
    credentials: { apiKey: SIM_KEY, apiSecret: SIM_SECRET },
    seed: (app) => void loadDemoSeed(app, { items: opts.items ?? 300, customers: 40 }),
    decide: (req) => {
      listener?.({ path: req.path, method: req.method });
      return faults.decide(req);
    },
  });
  const call = (method: string, path: string, query?: Record<string, string>): Json => {
    const r = sim.app.handle({
      method,
      path,
      headers: { authorization: `token ${SIM_KEY}:${SIM_SECRET}` },
      body: undefined,
      query: query ?? null,
    });
    if (r.status !== 200)
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Json;
  };
  return {
    url: `http://127.0.0.1:${sim.port}`,
    key: SIM_KEY,
    secret: SIM_SECRET,
    posProfile: SIM_PROFILE,
    remote: false,
    faults,
    sim,
    watch: (l) => (listener = l),
    list: (doctype, filters, fields) =>
      Promise.resolve(
        call('GET', `/api/resource/${doctype}`, {
          filters: JSON.stringify(filters),
          fields: JSON.stringify(fields),
          limit_page_length: '0',
        })['data'] as Json[],
      ),
    get: (doctype, name) =>
      Promise.resolve(call('GET', `/api/resource/${doctype}/${name}`)['data'] as Json),
    stock: (item, warehouse, qty) => {
      const found = call('GET', '/api/resource/Bin', {
        filters: JSON.stringify([
          ['item_code', '=', item],
          ['warehouse', '=', warehouse],
        ]),
      })['data'] as Json[];
      const bin = sim.app.db.get('Bin', String(found[0]?.['name']));
      if (!bin) throw new Error(`no Bin of ${item} in ${warehouse}`);
      sim.app.db.update({ ...bin, data: { ...bin.data, actual_qty: qty, projected_qty: qty } });
    },
    close: () => sim.close(),
  };
}

function remoteSite(e: NonNullable<PartOptions['erpnext']>): Site {
  const url = e.url.replace(/\/+$/, '');
  const call = async (path: string, query?: Record<string, string>): Promise<Json> => {
    const q = query ? `?${new URLSearchParams(query).toString()}` : '';
    const r = await fetch(`${url}${path}${q}`, {
      headers: { authorization: `token ${e.key}:${e.secret}`, accept: 'application/json' },
    });
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Json;
  };
  return {
    url,
    key: e.key,
    secret: e.secret,
    posProfile: e.posProfile,
    remote: true,
    faults: null,
    sim: null,
    watch: () => undefined,
    list: async (doctype, filters, fields) =>
      (
        await call(`/api/resource/${encodeURIComponent(doctype)}`, {
          filters: JSON.stringify(filters),
          fields: JSON.stringify(fields),
          limit_page_length: '0',
        })
      )['data'] as Json[],
    get: async (doctype, name) =>
      (await call(`/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`))[
        'data'
      ] as Json,
    stock: () => {
      throw new Error('a real site: stock the items beforehand (OUTPOST_SCENARIO_ITEMS)');
    },
    close: () => Promise.resolve(),
  };
}
