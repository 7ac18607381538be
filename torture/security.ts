/**
 * Part 6: nobody gets in without a paired device and a cashier. Every route of the OpenAPI
 * document asked with no device token and with unknown, pending, expired and revoked ones (a
 * valid cashier's session sent along or not); PIN guessing locks the cashier and the manager
 * out; the data directory's secrets are 0600 in a 0700 directory and `nobody` cannot read them;
 * injection strings in every text field come back verbatim and the built screen shows them as
 * text (no payload runs in Chromium).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { PartOptions, PartResult, TorturePart } from './types.js';
import { z } from 'zod';
import { parseJsonWith, parseWith } from '../src/core/schema.js';
import { outpostJson } from './lib/cli.js';
import { refusedDevices } from './lib/device-states.js';
import { INJECTIONS } from './lib/injection-strings.js';
import { routesOf } from './lib/openapi-routes.js';
import { validFor } from './lib/fuzz-values.js';
import { serveStore, type ServedNode } from './lib/served-node.js';
import { startTortureSim } from './lib/sim-site.js';
import { CASHIER, MANAGER, makeStore, query } from './lib/store-dir.js';
import { showInScreen } from './lib/ui-injection.js';

type Figures = Record<string, number | string>;

const DEVICE_REFUSALS = new Set([
  'DeviceUnknown',
  'DeviceRevoked',
  'PairingPending',
  'PairingExpired',
]);

export const securityPart: TorturePart = {
  name: 'security',
  title:
    'no device token, no answer; PIN guessing locks out; secrets 0600 and unreadable by nobody; injections stay text',
  async run(o: PartOptions): Promise<PartResult> {
    // A parent only traversable (0711): the store's own modes are the only barrier checked.
    const root = mkdtempSync(join(tmpdir(), 'outpost-torture-security-'));
    chmodSync(root, 0o711);
    const dir = join(root, 'store');
    const figures: Figures = {};
    const failures: string[] = [];
    try {
      const sim = await startTortureSim({ items: 300, customers: 40 });
      try {
        await makeStore(dir, sim.url, 300);
      } finally {
        await sim.close();
      }
      for (const [k, payload] of Object.entries(INJECTIONS)) {
        await outpostJson(
          ['cashier', 'add', '--data', dir, '--id', `inj-${k}`, '--name', payload].concat([
            '--pin',
            '2468',
            '--role',
            'cashier',
          ]),
        );
      }
      const s = await serveStore(dir);
      try {
        await noTokenNoAnswer(s, o.seed, figures, failures);
        await injections(s, figures, failures);
        await pinGuessing(s, figures, failures);
      } finally {
        await s.close();
      }
      fileModes(dir, root, figures, failures);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return { figures, failures };
  },
};

/** Every non-public route, every refused device state, with and without a stolen session. */
async function noTokenNoAnswer(s: ServedNode, seed: number, figures: Figures, failures: string[]) {
  const doc = await s.call('GET', '/api/openapi.json', { device: null });
  const routes = routesOf(await doc.json());
  const expiring = await s.askPairing('torture expired');
  // Past the code's 10 minutes (pos/devices.ts PAIRING_MINUTES): that device is now expired.
  s.advance(11 * 60_000);
  const devices = await refusedDevices(s);
  const stolen = await s.login();
  const tokens: Record<string, string | null> = {
    none: null,
    unknown: devices.unknown,
    pending: devices.pending,
    revoked: devices.revoked,
    expired: expiring.token,
  };
  const guarded = routes.filter((r) => r.access !== 'public');
  figures['routes'] = routes.length;
  figures['public routes'] = routes
    .filter((r) => r.access === 'public')
    .map((r) => `${r.method} ${r.path}`)
    .join(', ');
  let asked = 0;
  let answered2xx = 0;
  let stateOnly = 0;
  const kinds = new Map<string, number>();
  for (const [n, r] of guarded.entries()) {
    const body = r.body
      ? fc.sample(validFor(r.body), { numRuns: 1, seed: seed + n })[0]
      : undefined;
    const path = r.path.replace(/\{[^}]+\}/g, 'x');
    for (const [state, token] of Object.entries(tokens)) {
      for (const session of [stolen, undefined]) {
        const res = await s.call(r.method, path, {
          device: token,
          ...(session !== undefined ? { session } : {}),
          ...(body !== undefined ? { body } : {}),
        });
        const text = await res.text();
        asked += 1;
        const kind = /"kind":"([^"]*)"/.exec(text)?.[1] ?? `HTTP ${res.status}`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        // The one route a device asks its own state on (routes-pairing.ts): the state, nothing else.
        if (
          res.status < 400 &&
          state !== 'none' &&
          state !== 'unknown' &&
          text.includes(`"state":"${state}"`)
        ) {
          stateOnly += 1;
        } else if (res.status < 400) {
          answered2xx += 1;
          failures.push(`${r.method} ${r.path} answered ${res.status} to a ${state} device`);
        } else if (res.status >= 400 && !DEVICE_REFUSALS.has(kind)) {
          failures.push(
            `${r.method} ${r.path}, ${state} device: refused as ${kind}, not for the device`,
          );
        }
      }
    }
  }
  // The device alone is not a cashier: every session route wants a login.
  let noSession = 0;
  for (const r of guarded.filter((x) => x.access === 'session')) {
    const res = await s.call(r.method, r.path.replace(/\{[^}]+\}/g, 'x'), {
      ...(r.body ? { body: {} } : {}),
    });
    const text = await res.text();
    if (res.status < 400 || !text.includes('"SessionRequired"')) {
      failures.push(`${r.method} ${r.path} without a session: ${res.status} ${text.slice(0, 120)}`);
    } else noSession += 1;
  }
  figures['guarded routes'] = guarded.length;
  figures['requests without a valid device'] = asked;
  figures['answered 2xx'] = answered2xx;
  figures['told only their pairing state (GET /api/pairing)'] = stateOnly;
  figures['device refusals'] = [...kinds.entries()].map(([k, v]) => `${k}×${v}`).join(' ');
  figures['session routes refused without a session'] =
    `${noSession}/${guarded.filter((x) => x.access === 'session').length}`;
}

/**
 * Each injection in each text field: stored and answered back verbatim, or refused with the
 * envelope naming the field (a format the field has, as ERPNext's); never altered. Then shown in
 * the built screen, where it must stay text.
 */
async function injections(s: ServedNode, figures: Figures, failures: string[]) {
  const session = await s.login();
  const manager = { id: MANAGER.id, pin: MANAGER.pin };
  const tally = new Map<string, { stored: number; verbatim: number; refused: number }>();
  const stored = new Map<string, Set<string>>();
  const count = (field: string, what: 'stored' | 'verbatim' | 'refused', payload: string) => {
    const t = tally.get(field) ?? { stored: 0, verbatim: 0, refused: 0 };
    t[what] += 1;
    tally.set(field, t);
    if (what === 'stored') stored.set(field, (stored.get(field) ?? new Set()).add(payload));
  };
  /** A write with a payload in `field`: its answer when stored, null when refused naming it. */
  const write = async (field: string, payload: string, path: string, body: unknown) => {
    const r = await s.call('POST', path, { session, body });
    const text = await r.text();
    if (r.status === 400 && text.includes(`"field":"${field}"`)) {
      count(field, 'refused', payload);
      return null;
    }
    if (r.status >= 400) throw new Error(`${path} (${field}): ${r.status} ${text}`);
    count(field, 'stored', payload);
    return parseJsonWith(z.record(z.string(), z.unknown()), text, path);
  };
  const verbatim = (field: string, sent: string, got: unknown) => {
    if (got === sent) count(field, 'verbatim', sent);
    else failures.push(`${field}: sent ${JSON.stringify(sent)}, read back ${JSON.stringify(got)}`);
  };
  for (const [k, payload] of Object.entries(INJECTIONS)) {
    await write('customer_name', payload, '/api/customers', {
      customer_name: `Torture ${payload}`,
    });
    for (const field of ['mobile_no', 'email_id']) {
      await write(field, payload, '/api/customers', {
        customer_name: `Torture ${k}`,
        [field]: payload,
      });
    }
    await write('note', payload, '/api/holds', {
      items: [{ item_code: 'SKU-0000001', qty: '1' }],
      note: payload,
    });
    const r = await s.call('POST', '/api/pairing', { device: null, body: { label: payload } });
    await r.text();
    count('label', r.status === 201 ? 'stored' : 'refused', payload);
    const sold = await s.call('POST', '/api/sales', {
      session,
      body: { items: [{ item_code: 'SKU-0000002', qty: '1' }] },
    });
    const sale = parseJsonWith(
      z.object({ invoice_no: z.string() }).loose(),
      await sold.text(),
      'sale',
    );
    await write('reason', payload, '/api/voids', {
      invoice_no: sale.invoice_no,
      manager,
      reason: payload,
    });
  }
  const customers = parseWith(
    z.object({ customers: z.array(z.object({ customer_name: z.string() }).loose()) }),
    await (await s.call('GET', '/api/customers?search=Torture', { session })).json(),
    'customers',
  ).customers;
  const holds = parseWith(
    z.object({ holds: z.array(z.object({ note: z.string() }).loose()) }),
    await (await s.call('GET', '/api/holds', { session })).json(),
    'holds',
  ).holds;
  // The reason goes in the manager's approval record (pos/returns.ts): any record may hold it.
  const voids = query<{ body: string }>(s.dir, 'SELECT body FROM journal');
  const voidTexts = voids.flatMap((v) =>
    stringsIn(parseJsonWith(z.unknown(), v.body, 'journal.body')),
  );
  const labels = s.store.devices().map((d) => d.label);
  const cashiers = query<{ id: string; name: string }>(
    s.dir,
    "SELECT id, name FROM cashier WHERE id LIKE 'inj-%'",
  );
  for (const [k, payload] of Object.entries(INJECTIONS)) {
    count('cashier name', 'stored', payload);
    verbatim('cashier name', payload, cashiers.find((c) => c.id === `inj-${k}`)?.name);
    const find = (xs: readonly string[], x: string) =>
      xs.includes(x) ? x : `none of ${xs.length}`;
    if (stored.get('customer_name')?.has(payload)) {
      const names = customers.map((c) => c.customer_name);
      verbatim('customer_name', `Torture ${payload}`, find(names, `Torture ${payload}`));
    }
    if (stored.get('note')?.has(payload))
      verbatim(
        'note',
        payload,
        find(
          holds.map((h) => h.note),
          payload,
        ),
      );
    if (stored.get('label')?.has(payload)) verbatim('label', payload, find(labels, payload));
    if (stored.get('reason')?.has(payload)) verbatim('reason', payload, find(voidTexts, payload));
  }
  figures['injections'] = Object.keys(INJECTIONS).length;
  figures['fields'] = [...tally.entries()]
    .map(([f, t]) => `${f}: ${t.verbatim}/${t.stored} verbatim, ${t.refused} refused naming it`)
    .join('; ');
  // The screen: a device of its own, the cashier named with the <img onerror> payload.
  await s.call('DELETE', '/api/session', { session });
  const screen = await s.pairDevice();
  const ui = await showInScreen({
    url: s.node.url,
    deviceToken: screen.token,
    cashier: { id: 'inj-img', pin: '2468' },
    customerSearch: 'Torture',
  });
  const shows = (place: string, payload: string) => {
    if (!(ui.shown[place] ?? '').includes(payload)) {
      failures.push(
        `the screen's ${place} does not show ${JSON.stringify(payload)} as text: ${JSON.stringify(ui.shown[place])}`,
      );
    }
  };
  shows('cashier', INJECTIONS['img'] ?? '');
  // The NUL is the one character a DOM text node may not keep as sent.
  for (const p of stored.get('customer_name') ?? [])
    if (!p.includes('\u0000')) shows('customers', p);
  for (const p of stored.get('note') ?? []) if (!p.includes('\u0000')) shows('holds', p);
  if (ui.pwned !== undefined)
    failures.push(
      `an injected script ran in the screen: window.__outpostPwned = ${JSON.stringify(ui.pwned)}`,
    );
  if (ui.injectedElements > 0)
    failures.push(`${ui.injectedElements} elements made from injected HTML in the screen`);
  figures['screen: payload ran'] = ui.pwned === undefined ? 'no' : 'YES';
  figures['screen: elements injected'] = ui.injectedElements;
  figures['screen: CSP reports'] = ui.cspViolations;
}

function stringsIn(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsIn(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stringsIn(x, out);
  return out;
}

/** Wrong PINs until the lockout, for a cashier's login and a manager's approval. */
async function pinGuessing(s: ServedNode, figures: Figures, failures: string[]) {
  const guess = (i: number) => String(100_000 + i).slice(-4);
  let attempts = 0;
  let status = 0;
  while (attempts < 50) {
    const pin = guess(attempts) === CASHIER.pin ? '0000' : guess(attempts);
    const r = await s.call('POST', '/api/session', { body: { cashier: CASHIER.id, pin } });
    await r.text();
    attempts += 1;
    status = r.status;
    if (r.status === 423) break;
  }
  figures['cashier: wrong PINs until locked'] =
    status === 423 ? attempts - 1 : `not locked after ${attempts}`;
  if (status !== 423) failures.push(`the cashier was not locked out after ${attempts} wrong PINs`);
  const right = await s.call('POST', '/api/session', {
    body: { cashier: CASHIER.id, pin: CASHIER.pin },
  });
  await right.text();
  figures['cashier: right PIN while locked'] = right.status;
  if (right.status < 400) failures.push('the right PIN logged the locked-out cashier in');

  // The manager's PIN guessed through an approval, by a cashier who is logged in.
  const session = await s.login('inj-sql', '2468');
  const { code } = await s.askPairing('torture guess');
  let tries = 0;
  let last = 0;
  while (tries < 50) {
    const pin = guess(tries) === MANAGER.pin ? '0000' : guess(tries);
    const r = await s.call('POST', '/api/pairing/approve', {
      session,
      body: { code, manager: { id: MANAGER.id, pin } },
    });
    await r.text();
    tries += 1;
    last = r.status;
    if (r.status === 423) break;
  }
  figures['manager: wrong PINs until locked'] =
    last === 423 ? tries - 1 : `not locked after ${tries}`;
  if (last !== 423) failures.push(`the manager was not locked out after ${tries} wrong PINs`);
}

/** The data directory's secrets: modes, and a read as `nobody` (setpriv), with a control. */
function fileModes(dir: string, root: string, figures: Figures, failures: string[]) {
  const dirs = [dir].concat(
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(e.parentPath, e.name)),
  );
  const open = dirs.filter((d) => (statSync(d).mode & 0o077) !== 0);
  for (const d of open) {
    failures.push(`directory ${d} is mode ${(statSync(d).mode & 0o777).toString(8)}, not 700`);
  }
  figures['directories 0700'] = `${dirs.length - open.length}/${dirs.length}`;
  const secrets = secretFiles(dir);
  const loose = secrets.filter((f) => (statSync(f).mode & 0o077) !== 0);
  for (const f of loose)
    failures.push(`${f.slice(dir.length + 1)} is mode ${(statSync(f).mode & 0o777).toString(8)}`);
  figures['secret files 0600'] = `${secrets.length - loose.length}/${secrets.length}`;
  figures['files checked'] = secrets.map((f) => f.slice(dir.length + 1)).join(' ');
  // The probe itself: a file nobody may read must be read, or the check proves nothing.
  const control = join(root, 'control.txt');
  writeFileSync(control, 'readable', { mode: 0o644 });
  const asNobody = (file: string) =>
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', file], {
      encoding: 'utf8',
    });
  const probe = asNobody(control);
  if (probe.error || probe.status !== 0) {
    figures['read as nobody'] =
      `not possible here (${probe.error?.message ?? probe.stderr.trim()})`;
    return;
  }
  let refused = 0;
  for (const f of secrets) {
    const r = asNobody(f);
    if (r.status === 0) failures.push(`nobody read ${f.slice(dir.length + 1)}`);
    else refused += 1;
  }
  figures['read as nobody'] =
    `${refused}/${secrets.length} refused (setpriv --reuid=65534; the control file read)`;
}

/** Every file under the data directory but the public head anchors (head.json is signed, not secret). */
function secretFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || e.name === 'head.json') continue;
    out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}
