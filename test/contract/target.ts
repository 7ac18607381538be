import { randomBytes } from 'node:crypto';
import { startSim } from '../../src/sim/start.js';
import { loadDemoSeed } from '../../src/sim/seed/load.js';

/** What the contract suite talks to: a real ERPNext v15 site, or the simulator it started. */
export interface Target {
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  /** True for a site given by environment variables: clean up, expect other users' data. */
  readonly remote: boolean;
  /** OUTPOST_CONTRACT_POS_PROFILE, if set. */
  readonly posProfile: string | undefined;
  close(): Promise<void>;
}

/**
 * The site named by OUTPOST_CONTRACT_URL / _KEY / _SECRET when all three are set; otherwise a
 * simulator with the demo seed (100 items), in process, on a free loopback port.
 */
export async function openTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const url = env['OUTPOST_CONTRACT_URL'];
  const key = env['OUTPOST_CONTRACT_KEY'];
  const secret = env['OUTPOST_CONTRACT_SECRET'];
  const posProfile = env['OUTPOST_CONTRACT_POS_PROFILE'] || undefined;
  if (url && key && secret) {
    const base = url.replace(/\/+$/, '');
    return { url: base, key, secret, remote: true, posProfile, close: () => Promise.resolve() };
  }
  const simKey = randomBytes(8).toString('hex');
  const simSecret = randomBytes(12).toString('hex');
  const sim = await startSim({
    dbPath: ':memory:',
    port: 0,
    credentials: { apiKey: simKey, apiSecret: simSecret },
    seed: (app) => {
      loadDemoSeed(app, { items: 100, customers: 20 });
    },
  });
  return {
    url: `http://127.0.0.1:${sim.port}`,
    key: simKey,
    secret: simSecret,
    remote: false,
    posProfile,
    close: () => sim.close(),
  };
}

/** One HTTP exchange, body parsed as JSON when it is JSON. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface CallOptions {
  /** Query arguments; non-strings are JSON-encoded as Frappe expects (`fields=["name"]`). */
  readonly query?: Readonly<Record<string, unknown>>;
  /** Sent as a JSON body. */
  readonly body?: unknown;
  /** `token` (default): the target's key and secret; `none`; or a literal Authorization value. */
  readonly auth?: 'token' | 'none' | { readonly authorization: string };
  readonly cookie?: string;
}

/** A bare Frappe REST client on `fetch`: the contract is about the server, not our client. */
export class Frappe {
  constructor(private readonly target: Pick<Target, 'url' | 'key' | 'secret'>) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const url = new URL(this.target.url + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    const auth = opts.auth ?? 'token';
    if (auth === 'token')
      headers['Authorization'] = `token ${this.target.key}:${this.target.secret}`;
    else if (auth !== 'none') headers['Authorization'] = auth.authorization;
    if (opts.cookie !== undefined) headers['Cookie'] = opts.cookie;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') {
      parsed = JSON.parse(text) as unknown;
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** `/api/resource/{doctype}[/{name}]`. */
  static resource(doctype: string, name?: string): string {
    const base = `/api/resource/${encodeURIComponent(doctype)}`;
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  list(doctype: string, query: Readonly<Record<string, unknown>> = {}): Promise<Reply> {
    return this.call('GET', Frappe.resource(doctype), { query });
  }

  get(doctype: string, name: string): Promise<Reply> {
    return this.call('GET', Frappe.resource(doctype, name));
  }

  insert(doctype: string, doc: unknown): Promise<Reply> {
    return this.call('POST', Frappe.resource(doctype), { body: doc });
  }

  update(doctype: string, name: string, patch: unknown): Promise<Reply> {
    return this.call('PUT', Frappe.resource(doctype, name), { body: patch });
  }

  delete(doctype: string, name: string): Promise<Reply> {
    return this.call('DELETE', Frappe.resource(doctype, name));
  }

  /** POST `/api/method/{method}` with a JSON body. */
  method(method: string, body: unknown): Promise<Reply> {
    return this.call('POST', `/api/method/${method}`, { body });
  }
}
