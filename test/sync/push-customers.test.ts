import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readStoreConfig } from '../../src/cli/config.js';
import { keyMap, readPublicKeys } from '../../src/cli/terminal-key.js';
import { HttpErpClient } from '../../src/erpnext/client.js';
import { CUSTOM_FIELDS, CUSTOMER_UUID_FIELD } from '../../src/erpnext/custom-fields.js';
import { Faults } from '../../src/sim/faults.js';
import type { FaultDecision } from '../../src/sim/server.js';
import {
  localCustomerByUuid,
  requeueLocalCustomer,
  resolveCustomer,
} from '../../src/store/customers-local.js';
import { openStore, type Db } from '../../src/store/db.js';
import { Lookup } from '../../src/store/lookup.js';
import { Puller } from '../../src/sync/pull.js';
import { pushCustomers } from '../../src/sync/push/customers.js';
import { PROFILE, cliJson, makeTemplate, sellArgs } from '../pos/till-fixture.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

/**
 * Customers created at a till during an outage, pushed to ERPNext (the simulator, seeded as the
 * till's first pull saw it) once the link is back.
 */

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

type Json = Record<string, unknown>;

const open: { sim?: RunningSim; db?: Db }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.db?.close();
    await o.sim?.close();
  }
});

const pass: FaultDecision = { kind: 'pass', delayMs: 0 };

/** The simulator back up, with the Custom Field `outpost erpnext-setup` installs on Customer. */
async function erpnext(decide?: (req: { path: string; method: string }) => FaultDecision) {
  const sim = await startSim({ items: 300, customers: 40, ...(decide ? { decide } : {}) });
  open.push({ sim });
  const spec = CUSTOM_FIELDS.find((f) => f.dt === 'Customer');
  expect(sim.call('POST', '/api/resource/Custom Field', spec).status).toBe(200);
  const client = new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET });
  return { sim, client };
}

function store(dir: string): Db {
  const db = openStore(join(dir, 'store.db'), { mustExist: true });
  open.push({ db });
  return db;
}

/** The till's registered keys: each customer's journal record is verified before it goes. */
const signedBy = (dir: string) => ({
  journal: { publicKeys: keyMap(readPublicKeys(dir)), terminal: readStoreConfig(dir).terminal },
});

const add = async (dir: string, ...rest: string[]): Promise<Json> =>
  (await cliJson<{ customer: Json }>(['customer', 'add', '--data', dir, '--json', ...rest]))
    .customer;

/** ERPNext's customers whose `field` is `value`: name and uuid, oldest first. */
function customersWhere(sim: RunningSim, field: string, value: string): Json[] {
  const r = sim.call('GET', '/api/resource/Customer', undefined, {
    fields: JSON.stringify(['name', 'customer_name', CUSTOMER_UUID_FIELD]),
    filters: JSON.stringify([[field, '=', value]]),
    order_by: 'creation asc',
  });
  expect(r.status).toBe(200);
  return (r.body as { data: Json[] }).data;
}

function customerCount(sim: RunningSim): number {
  const r = sim.call('GET', '/api/method/frappe.client.get_count', undefined, {
    doctype: 'Customer',
  });
  return (r.body as { message: number }).message;
}

/** A customer HQ created in ERPNext during the outage: the till has never seen it. */
function createdAtHq(sim: RunningSim, fields: Json): string {
  const r = sim.call('POST', '/api/resource/Customer', {
    customer_type: 'Individual',
    customer_group: 'Individual',
    territory: 'United States',
    ...fields,
  });
  expect(r.status).toBe(200);
  return String((r.body as { data: Json }).data['name']);
}

const searchNames = (db: Db, text: string): string[] =>
  new Lookup(db).customers(text).map((c) => c['name'] ?? '');

describe('pushCustomers', () => {
  it('inserts a customer once: a retry after a lost reply finds it by its uuid', async () => {
    const dir = template.copy();
    const ada = await add(
      dir,
      '--name',
      'Ada Lovelace',
      '--phone',
      '+1 555 0199 001',
      '--group',
      'Gold',
    );
    const uuid = String(ada['uuid']);
    // ERPNext commits the first insert, then the answer is lost.
    const faults = new Faults({ commitThenDropRate: 1 });
    let dropped = false;
    const { sim, client } = await erpnext((req) => {
      if (dropped || req.method !== 'POST' || req.path !== '/api/resource/Customer') return pass;
      dropped = true;
      return faults.decide(req);
    });
    const db = store(dir);
    const before = customerCount(sim);

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 0,
      review: 0,
      pending: 1,
    });
    expect(faults.counters()['commit-then-drop']).toBe(1);
    const waiting = localCustomerByUuid(db, uuid);
    expect([waiting?.state, waiting?.attempts, waiting?.erpnext_name]).toEqual(['pending', 1, '']);
    expect(waiting?.last_error).toMatch(/^cannot reach ERPNext at http:\/\/127\.0\.0\.1:\d+: /);
    expect(resolveCustomer(db, 'Ada Lovelace')).toEqual({
      kind: 'pending',
      uuid,
      state: 'pending',
    });
    // The lost insert did happen.
    expect(customersWhere(sim, CUSTOMER_UUID_FIELD, uuid).map((c) => c['name'])).toEqual([
      'Ada Lovelace',
    ]);

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 1,
      matched: 0,
      review: 0,
      pending: 0,
    });
    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 0,
      review: 0,
      pending: 0,
    });
    expect(customerCount(sim)).toBe(before + 1);
    expect(customersWhere(sim, 'customer_name', 'Ada Lovelace')).toEqual([
      { name: 'Ada Lovelace', customer_name: 'Ada Lovelace', [CUSTOMER_UUID_FIELD]: uuid },
    ]);
    const stored = sim.call('GET', '/api/resource/Customer/Ada Lovelace').body as { data: Json };
    expect(stored.data).toMatchObject({
      customer_group: 'Gold',
      territory: 'United States',
      mobile_no: '+1 555 0199 001',
    });
    const done = localCustomerByUuid(db, uuid);
    expect([done?.state, done?.erpnext_name, done?.last_error]).toEqual([
      'done',
      'Ada Lovelace',
      '',
    ]);
    expect(resolveCustomer(db, 'Ada Lovelace')).toEqual({ kind: 'erpnext', name: 'Ada Lovelace' });

    // The next pull brings ERPNext's record over the stand-in: one entry, ERPNext's.
    await new Puller(db, client, { posProfile: PROFILE }).run();
    expect(searchNames(db, 'lovelace')).toEqual(['Ada Lovelace']);
    const cached = db
      .prepare("SELECT data FROM doc WHERE doctype = 'Customer' AND name = 'Ada Lovelace'")
      .pluck()
      .get() as string;
    expect(JSON.parse(cached)).toMatchObject({
      modified: (stored.data['modified'] as string) ?? '',
      customer_group: 'Gold',
    });
  }, 60_000);

  it('two runs racing insert it once: the loser’s uniqueness error means "already there"', async () => {
    const dir = template.copy();
    const ada = await add(dir, '--name', 'Ada Lovelace', '--group', 'Gold');
    const { sim, client } = await erpnext();
    const [one, two] = [store(dir), store(dir)];
    const results = await Promise.all([
      pushCustomers(one, client, signedBy(dir)),
      pushCustomers(two, client, signedBy(dir)),
    ]);
    expect(results).toEqual([
      { pushed: 1, matched: 0, review: 0, pending: 0 },
      { pushed: 1, matched: 0, review: 0, pending: 0 },
    ]);
    expect(customersWhere(sim, 'customer_name', 'Ada Lovelace').map((c) => c['name'])).toEqual([
      'Ada Lovelace',
    ]);
    expect(localCustomerByUuid(one, String(ada['uuid']))?.erpnext_name).toBe('Ada Lovelace');
  }, 60_000);

  it('matches a customer ERPNext already has by phone or e-mail instead of duplicating it', async () => {
    const dir = template.copy();
    const { sim, client } = await erpnext();
    const grace = createdAtHq(sim, {
      customer_name: 'Grace Hopper',
      mobile_no: '+1 555 0142 777',
      email_id: 'grace@navy.example',
    });
    const alan = createdAtHq(sim, {
      customer_name: 'Alan Turing',
      email_id: 'alan@bletchley.example',
    });
    // The till never saw them: the cashier creates them again, spelt differently.
    const g = await add(dir, '--name', 'G. Hopper', '--phone', '555-0142-777', '--group', 'Gold');
    const a = await add(dir, '--name', 'A. M. Turing', '--email', 'ALAN@Bletchley.example');
    const db = store(dir);
    const before = customerCount(sim);

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 2,
      review: 0,
      pending: 0,
    });
    expect(customerCount(sim)).toBe(before);
    expect(customersWhere(sim, 'customer_name', 'G. Hopper')).toEqual([]);
    expect(localCustomerByUuid(db, String(g['uuid']))?.erpnext_name).toBe(grace);
    expect(localCustomerByUuid(db, String(a['uuid']))?.erpnext_name).toBe(alan);
    expect(resolveCustomer(db, 'G. Hopper')).toEqual({ kind: 'erpnext', name: 'Grace Hopper' });
    expect(resolveCustomer(db, 'A. M. Turing')).toEqual({ kind: 'erpnext', name: 'Alan Turing' });
    // Search shows ERPNext's customer, not a second entry under the till's name.
    expect(searchNames(db, '0142777')).toEqual(['Grace Hopper']);
    expect(searchNames(db, 'turing')).toEqual(['Alan Turing']);
  }, 60_000);

  it('takes the name ERPNext gives a duplicate customer_name', async () => {
    const dir = template.copy();
    const { sim, client } = await erpnext();
    // Another Ada Lovelace, created at HQ during the outage.
    expect(createdAtHq(sim, { customer_name: 'Ada Lovelace', mobile_no: '+1 555 0100 111' })).toBe(
      'Ada Lovelace',
    );
    const ada = await add(
      dir,
      '--name',
      'Ada Lovelace',
      '--phone',
      '+1 555 0199 001',
      '--group',
      'Gold',
    );
    expect(ada['name']).toBe('Ada Lovelace');
    const sale = await cliJson(
      sellArgs(dir, '--item', 'SKU-0000022', '--customer', 'Ada Lovelace'),
    );
    const db = store(dir);

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 1,
      matched: 0,
      review: 0,
      pending: 0,
    });
    expect(customersWhere(sim, 'customer_name', 'Ada Lovelace')).toEqual([
      { name: 'Ada Lovelace', customer_name: 'Ada Lovelace', [CUSTOMER_UUID_FIELD]: null },
      {
        name: 'Ada Lovelace - 1',
        customer_name: 'Ada Lovelace',
        [CUSTOMER_UUID_FIELD]: ada['uuid'],
      },
    ]);
    expect(localCustomerByUuid(db, String(ada['uuid']))?.erpnext_name).toBe('Ada Lovelace - 1');
    // The sale made offline names the till's customer; the push will send ERPNext's name.
    expect(db.prepare('SELECT customer FROM sale WHERE uuid = ?').pluck().get(sale['uuid'])).toBe(
      'Ada Lovelace',
    );
    expect(resolveCustomer(db, 'Ada Lovelace')).toEqual({
      kind: 'erpnext',
      name: 'Ada Lovelace - 1',
    });
    expect(searchNames(db, 'lovelace')).toEqual(['Ada Lovelace - 1']);

    // After the pull: HQ's Ada and ours, each under its ERPNext name, each once.
    await new Puller(db, client, { posProfile: PROFILE }).run();
    const hits = new Lookup(db).customers('lovelace').map((c) => [c['name'], c['mobile_no']]);
    expect(hits.sort(([x], [y]) => String(x).localeCompare(String(y)))).toEqual([
      ['Ada Lovelace', '+1 555 0100 111'],
      ['Ada Lovelace - 1', '+1 555 0199 001'],
    ]);
  }, 60_000);

  it('puts a customer ERPNext refuses in review with its message; the next ones still go', async () => {
    const dir = template.copy();
    const { sim, client } = await erpnext();
    expect(
      sim.call('POST', '/api/resource/Customer Group', {
        customer_group_name: 'Students',
        parent_customer_group: 'All Customer Groups',
      }).status,
    ).toBe(200);
    const db = store(dir);
    await new Puller(db, client, { posProfile: PROFILE }).run();
    const sam = await add(dir, '--name', 'Sam Student', '--group', 'Students');
    const ada = await add(dir, '--name', 'Ada Lovelace', '--group', 'Gold');
    // HQ removes the group while the till is offline.
    expect(sim.call('DELETE', '/api/resource/Customer Group/Students').status).toBe(202);

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 1,
      matched: 0,
      review: 1,
      pending: 0,
    });
    const refused = localCustomerByUuid(db, String(sam['uuid']));
    expect([refused?.state, refused?.attempts, refused?.erpnext_name]).toEqual(['review', 1, '']);
    expect(refused?.last_error).toBe(
      'LinkValidationError (417): Could not find Customer Group: Students',
    );
    expect(resolveCustomer(db, 'Sam Student')).toEqual({
      kind: 'pending',
      uuid: sam['uuid'],
      state: 'review',
    });
    expect(localCustomerByUuid(db, String(ada['uuid']))?.state).toBe('done');
    // Review is not retried by itself.
    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 0,
      review: 0,
      pending: 0,
    });
    // Once HQ restores the group, a person puts it back in the queue and it goes.
    expect(
      sim.call('POST', '/api/resource/Customer Group', {
        customer_group_name: 'Students',
        parent_customer_group: 'All Customer Groups',
      }).status,
    ).toBe(200);
    expect(requeueLocalCustomer(db, String(sam['uuid']))).toBe(true);
    expect(requeueLocalCustomer(db, String(sam['uuid']))).toBe(false);
    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 1,
      matched: 0,
      review: 0,
      pending: 0,
    });
    expect(resolveCustomer(db, 'Sam Student')).toEqual({ kind: 'erpnext', name: 'Sam Student' });
  }, 60_000);

  it('sends only what was signed: an edited row or journal record goes to review, unsent', async () => {
    const dir = template.copy();
    const ada = await add(dir, '--name', 'Ada Lovelace', '--group', 'Gold');
    const alan = await add(dir, '--name', 'Alan Turing', '--group', 'Gold');
    const { sim, client } = await erpnext();
    const before = customerCount(sim);
    const db = store(dir);
    db.prepare("UPDATE customer_local SET customer_group = 'Individual' WHERE uuid = ?").run(
      ada['uuid'],
    );
    // An attacker with the file: the triggers that guard the journal dropped first.
    db.exec('DROP TRIGGER journal_no_update');
    db.prepare("UPDATE journal SET body = replace(body, 'Gold', 'Members') WHERE seq = ?").run(
      alan['seq'],
    );

    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 0,
      review: 2,
      pending: 0,
    });
    expect(customerCount(sim)).toBe(before);
    expect(localCustomerByUuid(db, String(ada['uuid']))?.last_error).toBe(
      `customer ${String(ada['uuid'])}: customer_local.customer_group differs from the signed record (journal seq ${String(ada['seq'])})`,
    );
    expect(localCustomerByUuid(db, String(alan['uuid']))?.last_error).toBe(
      `journal seq ${String(alan['seq'])} fails verification: ALTERED: the body does not match body_hash`,
    );
  }, 60_000);

  it('leaves everything pending while ERPNext is unreachable', async () => {
    const dir = template.copy();
    const a = await add(dir, '--name', 'Ada Lovelace');
    const b = await add(dir, '--name', 'Alan Turing');
    const { sim, client } = await erpnext();
    await sim.close();
    open.splice(0, 1);
    const db = store(dir);
    expect(await pushCustomers(db, client, signedBy(dir))).toEqual({
      pushed: 0,
      matched: 0,
      review: 0,
      pending: 2,
    });
    // The first failure stops the run: the second was not tried.
    expect(localCustomerByUuid(db, String(a['uuid']))?.attempts).toBe(1);
    expect(localCustomerByUuid(db, String(b['uuid']))?.attempts).toBe(0);
  }, 60_000);
});
