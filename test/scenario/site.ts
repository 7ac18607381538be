import { Frappe } from '../contract/target.js';
import { Faults } from '../../src/sim/faults.js';
import { simWithFields } from '../sync/push-fixture.js';
import { KEY, SECRET, type RunningSim } from '../sync/sim-site.js';

/**
 * The ERPNext the scenario regularizes into: `outpost sim` in this process (default), or a real
 * ERPNext v15 when OUTPOST_CONTRACT_URL / _KEY / _SECRET are set, as the contract suite does
 * (test/contract/target.ts).
 *
 * What differs on a real site: it cannot be stopped, so "down" is the store pointed at an
 * unreachable address while it sells (the site itself stays up for HQ's price changes); it
 * cannot have a stored invoice edited behind its back, so the audit's tamper check runs only
 * against the simulator; its Custom Fields and key registry come from `outpost erpnext-setup`
 * run with a key allowed to install them; it holds other runs' invoices, so documents are
 * looked up by this run's uuids and the audit's counts are not compared; and what it sells
 * must be named (OUTPOST_SCENARIO_ITEMS, OUTPOST_SCENARIO_MEMBER: see ./catalog.ts). The faults
 * test runs against the simulator only: faults are injected by its HTTP layer.
 */

type Json = Record<string, unknown>;

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface Site {
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  readonly remote: boolean;
  /** A REST call as HQ makes it; it reaches ERPNext even while the store cannot. */
  rest(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<Reply>;
  /** The store's side of the link: refused while down. */
  down(): void;
  up(): void;
  /** Rewrites a stored document as someone with database access would; null on a real site. */
  readonly tamper: ((doctype: string, name: string, change: Json) => void) | null;
  /** The running simulator, when there is one (the faults test injects into it). */
  readonly sim: RunningSim | null;
  readonly faults: Faults | null;
  close(): Promise<void>;
}

/** An address nothing listens on: port 9 (discard) of the loopback, refused at once. */
export const UNREACHABLE = 'http://127.0.0.1:9';

export async function openSite(env: NodeJS.ProcessEnv = process.env): Promise<Site> {
  const url = env['OUTPOST_CONTRACT_URL'];
  const key = env['OUTPOST_CONTRACT_KEY'];
  const secret = env['OUTPOST_CONTRACT_SECRET'];
  if (url && key && secret) {
    const api = new Frappe({ url: url.replace(/\/+$/, ''), key, secret });
    return {
      url: url.replace(/\/+$/, ''),
      key,
      secret,
      remote: true,
      rest: async (method, path, body, query) => {
        const r = await api.call(method, path, {
          ...(body === undefined ? {} : { body }),
          ...(query ? { query } : {}),
        });
        return { status: r.status, body: r.body };
      },
      // The store's config is what goes down on a real site (see storeUrl below).
      down: () => undefined,
      up: () => undefined,
      tamper: null,
      sim: null,
      faults: null,
      close: () => Promise.resolve(),
    };
  }
  const faults = new Faults();
  const sim = await simWithFields(faults);
  return {
    url: sim.url,
    key: KEY,
    secret: SECRET,
    remote: false,
    // In process, past the HTTP layer and its faults: HQ's own link is not the store's.
    rest: (method, path, body, query) =>
      Promise.resolve(sim.call(method, decodeURIComponent(path), body, query)),
    down: () => faults.set({ down: true }),
    up: () => faults.clear(),
    tamper: (doctype, name, change) => {
      const row = sim.app.db.get(doctype, name);
      if (!row) throw new Error(`${doctype} ${name} not in the simulator`);
      sim.app.db.update({ ...row, data: { ...row.data, ...change } });
    },
    sim,
    faults,
    close: () => sim.close(),
  };
}

/** Where the store points while it is "offline": the simulator refuses; a real site is avoided. */
export const offlineUrl = (site: Site): string => (site.remote ? UNREACHABLE : site.url);

/** Every row of a list, through REST. */
export async function listAll(
  site: Site,
  doctype: string,
  filters: unknown[],
  fields: string[] = ['name'],
): Promise<Json[]> {
  const r = await site.rest('GET', `/api/resource/${encodeURIComponent(doctype)}`, undefined, {
    filters: JSON.stringify(filters),
    fields: JSON.stringify(fields),
    limit_page_length: '0',
  });
  if (r.status !== 200) throw new Error(`${doctype} list: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { data: Json[] }).data;
}

export async function getOne(site: Site, doctype: string, name: string): Promise<Json> {
  const path = `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`;
  const r = await site.rest('GET', path);
  if (r.status !== 200) throw new Error(`${doctype} ${name}: ${r.status}`);
  return (r.body as { data: Json }).data;
}
