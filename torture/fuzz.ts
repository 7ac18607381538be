/**
 * Part 4: random and malformed requests to every route of the store node, the routes read from
 * its own /api/openapi.json at run time (a route added later is fuzzed without a change here).
 * Invariants: no 5xx, the node keeps answering, every 4xx is the one error envelope, and a
 * refused write leaves every table (rows and counts) and the journal as they were.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import type { PartOptions, PartResult, TorturePart } from './types.js';
import { outpost } from './lib/cli.js';
import { changedTables, DbStateProbe } from './lib/db-state.js';
import { refusedDevices } from './lib/device-states.js';
import { envelopeProblem } from './lib/error-envelope.js';
import {
  applySpoil,
  plainFor,
  NASTY_STRINGS,
  RAW_BODIES,
  spoil,
  validFor,
  weirdValue,
  type Spoil,
} from './lib/fuzz-values.js';
import { routesOf, type ApiRoute } from './lib/openapi-routes.js';
import { serveStore, type ServedNode } from './lib/served-node.js';
import { startTortureSim } from './lib/sim-site.js';
import { MANAGER, makeStore } from './lib/store-dir.js';

const AUTHS = [
  'cashier',
  'manager',
  'device-only',
  'none',
  'unknown-device',
  'unknown-session',
  'revoked',
  'pending',
] as const;
type Auth = (typeof AUTHS)[number];

type BodyPlan =
  | { readonly kind: 'schema'; readonly value: unknown; readonly spoil: Spoil }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'content-type'; readonly type: string; readonly value: unknown }
  | { readonly kind: 'any'; readonly value: unknown }
  | { readonly kind: 'none' };

interface Plan {
  readonly route: number;
  readonly auth: Auth;
  readonly path: readonly string[];
  readonly query: readonly (readonly [string, string])[];
  readonly body: BodyPlan;
}

const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('cashier' as const) },
  { weight: 2, arbitrary: fc.constant('manager' as const) },
  { weight: 1, arbitrary: fc.constantFrom(...AUTHS.slice(2)) },
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A path segment of any string; a lone surrogate (no UTF-8 exists for it) as the bytes of one. */
const pathSegment = (s: string): string =>
  s
    .split(LONE_SURROGATE)
    .map((part) => encodeURIComponent(part))
    .join('%ED%A0%BD');

const pathValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS).map(pathSegment),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(pathSegment),
  fc.constantFrom('HOLD-1', 'HOLD-999', 'T1-000001', 'SINV-0001', '%', '%2e%2e', '..', 'a%2Fb'),
);

function planFor(routes: readonly ApiRoute[]): fc.Arbitrary<Plan> {
  return fc.nat(routes.length - 1).chain((i) => {
    const r = routes[i] as ApiRoute;
    const pathParams = r.params.filter((p) => p.in === 'path');
    const queryParams = r.params.filter((p) => p.in === 'query');
    const query = fc.array(
      fc.oneof(
        ...queryParams.map((p) =>
          fc.tuple(fc.constant(p.name), fc.oneof(validFor(p.schema, p.name).map(String), weirdStr)),
        ),
        fc.tuple(fc.constantFrom('limit', 'search', 'x'), weirdStr),
      ),
      { maxLength: 3 },
    );
    const schemaBody = r.body
      ? fc.record({
          kind: fc.constant('schema' as const),
          value: fc.oneof(validFor(r.body), plainFor(r.body)),
          spoil,
        })
      : fc.constant({ kind: 'none' as const });
    const body: fc.Arbitrary<BodyPlan> = fc.oneof(
      { weight: 8, arbitrary: schemaBody },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: rawBody }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('content-type' as const),
          type: fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'application/xml',
            'application/json; charset=latin1',
          ),
          value: r.body ? validFor(r.body) : fc.constant({}),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('any' as const), value: weirdValue }) },
    );
    return fc.record({
      route: fc.constant(i),
      auth: authArb,
      path: fc.array(pathValue, { minLength: pathParams.length, maxLength: pathParams.length }),
      query,
      body,
    });
  });
}

const weirdStr = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 30 }));
const rawBody = fc.constantFrom(...RAW_BODIES);

/** The text of a request body as the plan says; undefined: no body. */
function bodyText(b: BodyPlan): { text: string; type: string } | undefined {
  switch (b.kind) {
    case 'none':
      return undefined;
    case 'raw':
      return { text: b.text, type: 'application/json' };
    case 'content-type':
      return { text: JSON.stringify(b.value) ?? '', type: b.type };
    case 'any':
      return { text: JSON.stringify(b.value) ?? 'null', type: 'application/json' };
    case 'schema': {
      const v = applySpoil(b.value, b.spoil);
      return v === undefined ? undefined : { text: JSON.stringify(v), type: 'application/json' };
    }
  }
}

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  rejectedWrites: number;
  unchangedChecked: number;
  pinFailuresJournaled: number;
  accepted: number;
  kinds: Map<string, number>;
}

export const fuzzPart: TorturePart = {
  name: 'fuzz',
  title:
    'random and malformed requests to every route: no 5xx, no crash, one envelope, refusals change nothing',
  async run(o: PartOptions): Promise<PartResult> {
    const total = o.quick ? 1_500 : 10_000;
    const dir = join(o.workDir, 'store');
    const sim = await startTortureSim({ items: 300, customers: 40 });
    try {
      await makeStore(dir, sim.url, 300);
    } finally {
      // The node then runs offline, as in an outage: the fuzz is about its API, not the sync.
      await sim.close();
    }
    const failures: string[] = [];
    const s = await serveStore(dir);
    const probe = new DbStateProbe(dir);
    const tally: Tally = {
      requests: 0,
      byStatus: new Map(),
      rejectedWrites: 0,
      unchangedChecked: 0,
      pinFailuresJournaled: 0,
      accepted: 0,
      kinds: new Map(),
    };
    let routes: ApiRoute[] = [];
    try {
      const doc = await s.call('GET', '/api/openapi.json', { device: null });
      routes = routesOf(await doc.json());
      o.log(`${routes.length} routes in /api/openapi.json; ${total.toLocaleString('en')} requests`);
      const devices = await refusedDevices(s);
      // One session per device (a login replaces the device's session): the manager on its own.
      const managerDevice = (await s.pairDevice('TX8')).token;
      const loginManager = () => s.login(MANAGER.id, MANAGER.pin, managerDevice);
      const sessions = { cashier: await s.login(), manager: await loginManager() };
      const plans = fc.sample(planFor(routes), { numRuns: total, seed: o.seed });
      for (const [n, plan] of plans.entries()) {
        const route = routes[plan.route] as ApiRoute;
        const fail = (what: string) => {
          if (failures.length < 40)
            failures.push(`${route.method} ${route.path} (${plan.auth}, request ${n}): ${what}`);
          else if (failures.length === 40) failures.push('… more failures not listed');
        };
        const write = route.method !== 'GET';
        const before = write ? probe.snapshot() : null;
        const res = await send(s, route, plan, { ...devices, manager: managerDevice }, sessions);
        tally.requests += 1;
        if (typeof res === 'string') {
          fail(`no answer: ${res}`);
          const alive = await health(s);
          if (!alive) {
            failures.push(`the node stopped answering after request ${n}`);
            break;
          }
          continue;
        }
        tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fail(`${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          const problem = envelopeProblem(res.type, res.text);
          if (problem) fail(`${res.status}: ${problem}`);
        }
        if (res.status < 400) tally.accepted += 1;
        else tally.kinds.set(kindOf(res.text), (tally.kinds.get(kindOf(res.text)) ?? 0) + 1);
        if (before && res.status >= 400) {
          tally.rejectedWrites += 1;
          const changed = changedTables(before, probe.snapshot());
          const kind = kindOf(res.text);
          // A wrong PIN is journaled and counted by design (pos/cashiers.ts): the lockout
          // needs the count, the audit needs the attempt.
          const pinFailure =
            (kind === 'AuthenticationFailed' || kind === 'LockedOut') &&
            changed.every((t) => ['journal', 'journal_head', 'cashier'].includes(t));
          if (pinFailure && changed.length > 0) tally.pinFailuresJournaled += 1;
          else if (changed.length > 0)
            fail(`refused (${res.status} ${kind}) but changed ${changed.join(', ')}`);
          else tally.unchangedChecked += 1;
        }
        // The run's own sessions end when a request logs them out: log in again.
        if (route.method === 'DELETE' && route.path === '/api/session' && res.status === 204) {
          if (plan.auth === 'cashier') sessions.cashier = await s.login();
          if (plan.auth === 'manager') sessions.manager = await loginManager();
        }
        if ((n + 1) % 1000 === 0) o.log(`${n + 1} requests`);
      }
      if (!(await health(s))) failures.push('the node does not answer /healthz at the end');
    } finally {
      probe.close();
      await s.close();
    }
    const verify = await outpost(['verify', '--data', dir]);
    if (verify.code !== 0)
      failures.push(`outpost verify after the fuzz: ${verify.out}${verify.err}`);
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b);
    return {
      figures: {
        routes: routes.length,
        requests: tally.requests,
        accepted: tally.accepted,
        refused_writes: tally.rejectedWrites,
        refused_writes_unchanged: tally.unchangedChecked,
        wrong_pins_journaled: tally.pinFailuresJournaled,
        '5xx': statuses.filter(([c]) => c >= 500).reduce((a, [, k]) => a + k, 0),
        statuses: statuses.map(([c, k]) => `${c}×${k}`).join(' '),
        refusals: [...tally.kinds.entries()]
          .sort(([, a], [, b]) => b - a)
          .map(([kind, k]) => `${kind}×${k}`)
          .join(' '),
      },
      failures,
    };
  },
};

function kindOf(text: string): string {
  const m = /"kind":"([^"]*)"/.exec(text);
  return m?.[1] ?? '?';
}

async function health(s: ServedNode): Promise<boolean> {
  try {
    const r = await fetch(`${s.node.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    await r.text();
    return r.status === 200;
  } catch {
    return false;
  }
}

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly text: string;
}

async function send(
  s: ServedNode,
  route: ApiRoute,
  plan: Plan,
  devices: { revoked: string; pending: string; unknown: string; manager: string },
  sessions: { cashier: string; manager: string },
): Promise<Answer | string> {
  const headers: Record<string, string> = {};
  const device = {
    cashier: s.device,
    manager: devices.manager,
    'device-only': s.device,
    none: undefined,
    'unknown-device': devices.unknown,
    'unknown-session': s.device,
    revoked: devices.revoked,
    pending: devices.pending,
  }[plan.auth];
  if (device !== undefined) headers['x-outpost-device'] = device;
  const session =
    plan.auth === 'cashier' || plan.auth === 'revoked' || plan.auth === 'pending'
      ? sessions.cashier
      : plan.auth === 'manager'
        ? sessions.manager
        : plan.auth === 'unknown-session'
          ? 's'.repeat(43)
          : undefined;
  if (session !== undefined) headers['x-outpost-session'] = session;
  let i = 0;
  const path = route.path.replace(/\{[^}]+\}/g, () => plan.path[i++] ?? 'x');
  const query = new URLSearchParams(
    plan.query.map(([k, v]): [string, string] => [k, v]),
  ).toString();
  const body = bodyText(plan.body);
  if (body) headers['content-type'] = body.type;
  try {
    const r = await fetch(`${s.node.url}${path}${query ? `?${query}` : ''}`, {
      method: route.method,
      headers,
      ...(body && route.method !== 'GET' ? { body: body.text } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const type = r.headers.get('content-type');
    // The event stream stays open by design: its status and type are the answer.
    if (type?.startsWith('text/event-stream')) {
      await r.body?.cancel();
      return { status: r.status, type, text: '' };
    }
    return { status: r.status, type, text: await r.text() };
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}
