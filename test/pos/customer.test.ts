import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { Master } from '../../src/core/index.js';
import { isUuidV7 } from '../../src/journal/index.js';
import { defaultLoyaltyProgram } from '../../src/pos/customers.js';
import { openStore } from '../../src/store/db.js';
import { resolveCustomer } from '../../src/store/customers-local.js';
import { cli, cliJson, makeTemplate, query, sellArgs } from './till-fixture.js';

/**
 * Customers created at the till with ERPNext out of reach (the fixture's simulator is stopped):
 * journaled, searchable and sellable to at once, named as ERPNext would name them.
 */

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

type Json = Record<string, unknown>;

const addArgs = (dir: string, ...rest: string[]): string[] => [
  'customer',
  'add',
  '--data',
  dir,
  '--json',
  ...rest,
];
const add = async (dir: string, ...rest: string[]): Promise<Json> =>
  (await cliJson<{ customer: Json }>(addArgs(dir, ...rest))).customer;
const search = (dir: string, text: string) =>
  cliJson<Json[]>(['customer', 'search', '--data', dir, '--text', text, '--json']);

const count = (dir: string, sql: string, ...args: unknown[]): number =>
  Number(Object.values(query(dir, sql, ...args)[0] ?? {})[0]);

/** Moves the last contact with ERPNext two hours back: the till sells by its offline rules. */
function offline(dir: string): void {
  const db = new Database(join(dir, 'store.db'));
  try {
    db.prepare('UPDATE sync_state SET last_ok_at = ?').run(
      new Date(Date.now() - 2 * 3_600_000).toISOString(),
    );
  } finally {
    db.close();
  }
}

/** What a refusal must leave untouched. */
const footprint = (dir: string) => ({
  journal: count(dir, 'SELECT count(*) FROM journal'),
  local: count(dir, 'SELECT count(*) FROM customer_local'),
  cached: count(dir, "SELECT count(*) FROM doc WHERE doctype = 'Customer'"),
});

describe('outpost customer add, offline', () => {
  it('journals the customer and makes it searchable at once', async () => {
    const dir = template.copy();
    const head = count(dir, 'SELECT max(seq) FROM journal');
    const c = await add(
      dir,
      '--name',
      '  Ada   Lovelace ',
      '--phone',
      '+1 555 0199 001',
      '--email',
      'ada@example.com',
      '--group',
      'Gold',
    );
    expect(isUuidV7(c['uuid'])).toBe(true);
    expect(c).toEqual({
      name: 'Ada Lovelace',
      customer_name: 'Ada Lovelace',
      customer_group: 'Gold',
      // The walk-in customer's territory: the profile's default customer is in United States.
      territory: 'United States',
      mobile_no: '+1 555 0199 001',
      email_id: 'ada@example.com',
      // The seed's only program is not auto opt-in: ERPNext would set none either.
      loyalty_program: '',
      uuid: c['uuid'],
      seq: head + 1,
      created_at: c['created_at'],
      state: 'pending',
      erpnext_name: '',
    });

    // The signed record: an event whose uuid is the customer's, in the chain.
    const [rec] = query<{ type: string; uuid: string; body: string; created_at: string }>(
      dir,
      'SELECT type, uuid, body, created_at FROM journal WHERE seq = ?',
      head + 1,
    );
    expect(rec?.type).toBe('event');
    expect(rec?.uuid).toBe(c['uuid']);
    expect(rec?.created_at).toBe(c['created_at']);
    expect(JSON.parse(rec?.body ?? '')).toEqual({
      event: 'customer_added',
      customer: {
        uuid: c['uuid'],
        name: 'Ada Lovelace',
        customer_name: 'Ada Lovelace',
        mobile_no: '+1 555 0199 001',
        email_id: 'ada@example.com',
        customer_group: 'Gold',
        territory: 'United States',
        loyalty_program: '',
      },
    });
    const verified = await cli(['verify', '--data', dir]);
    expect(verified.code, verified.out + verified.err).toBe(0);

    const hit = {
      name: 'Ada Lovelace',
      customer_name: 'Ada Lovelace',
      mobile_no: '+1 555 0199 001',
      email_id: 'ada@example.com',
      loyalty_program: '',
      customer_group: 'Gold',
      pending_push: true,
      uuid: c['uuid'],
    };
    expect(await search(dir, 'ada')).toEqual([hit]);
    expect(await search(dir, 'lovel')).toEqual([hit]);
    // By the end of the phone number, however it was typed, and by e-mail.
    expect(await search(dir, '0199001')).toEqual([hit]);
    expect(await search(dir, 'ada@example.com')).toEqual([hit]);

    const db = openStore(`${dir}/store.db`, { mustExist: true });
    try {
      expect(resolveCustomer(db, 'Ada Lovelace')).toEqual({
        kind: 'pending',
        uuid: c['uuid'],
        state: 'pending',
      });
      // A name that is not a customer created here is ERPNext's own.
      expect(resolveCustomer(db, 'Aisha Jackson')).toEqual({
        kind: 'erpnext',
        name: 'Aisha Jackson',
      });
    } finally {
      db.close();
    }
  });

  it('sells to the new customer offline at its group’s prices and rules', async () => {
    const dir = template.copy();
    offline(dir);
    await add(dir, '--name', 'Ada Lovelace', '--group', 'Gold');
    const [gold] = query<{ name: string }>(
      dir,
      "SELECT name FROM customer WHERE customer_group = 'Gold' AND disabled = 0 AND name <> 'Ada Lovelace' ORDER BY name LIMIT 1",
    );
    // Greek yogurt (Dairy, under Grocery): 5.49, 5.22 at member prices, 7% off for Gold.
    const cart = ['--item', 'SKU-0000022'];
    const quote = (customer: string) =>
      cliJson(['quote', '--data', dir, ...cart, '--customer', customer]);
    const mine = await quote('Ada Lovelace');
    const theirs = await quote(gold?.name ?? '');
    const walkIn = await quote('Walk-in Customer');
    const lines = (q: Json) =>
      (q['items'] as Json[]).map((i) => ({
        item_code: i['item_code'],
        price_list_rate: i['price_list_rate'],
        rate: i['rate'],
        pricing_rules: i['pricing_rules'],
      }));
    // Priced as an existing Gold customer is: the Gold group's price list and its 7% rule.
    expect(mine['selling_price_list']).toBe('Member Selling');
    expect(lines(mine)).toEqual(lines(theirs));
    expect(mine['grand_total']).toBe(theirs['grand_total']);
    expect(walkIn['selling_price_list']).toBe('Standard Selling');
    expect(lines(mine)).toEqual([
      {
        item_code: 'SKU-0000022',
        price_list_rate: 5.22,
        rate: 4.85,
        pricing_rules: '[\n "PRLE-0014"\n]',
      },
    ]);
    expect(lines(walkIn)).toEqual([
      { item_code: 'SKU-0000022', price_list_rate: 5.49, rate: 5.49, pricing_rules: '' },
    ]);
    // Grocery's Reduced Rate item tax (2%): 4.85 + 0.10, against 5.49 + 0.11 for a walk-in.
    expect([mine['grand_total'], walkIn['grand_total']]).toEqual([4.95, 5.6]);

    const sale = await cliJson(sellArgs(dir, ...cart, '--customer', 'Ada Lovelace'));
    expect(sale['offline']).toBe(true);
    expect(sale['grand_total']).toBe(Number(mine['grand_total']).toFixed(2));
    expect(query(dir, 'SELECT customer FROM sale WHERE uuid = ?', sale['uuid'])).toEqual([
      { customer: 'Ada Lovelace' },
    ]);
  });

  it('names a customer as ERPNext would: a taken name gets " - n"', async () => {
    const dir = template.copy();
    // Aisha Jackson is a pulled customer; ERPNext would name a second one "Aisha Jackson - 1".
    expect((await add(dir, '--name', 'Aisha Jackson'))['name']).toBe('Aisha Jackson - 1');
    expect((await add(dir, '--name', 'aisha jackson'))['name']).toBe('aisha jackson - 2');
    const again = await add(dir, '--name', 'Ada Lovelace');
    expect(again['name']).toBe('Ada Lovelace');
    expect((await add(dir, '--name', 'Ada Lovelace'))['name']).toBe('Ada Lovelace - 1');
    expect(
      (await search(dir, 'aisha'))
        .map((c) => c['name'])
        .sort((a, b) => String(a).localeCompare(String(b))),
    ).toEqual(['Aisha Jackson', 'Aisha Jackson - 1', 'aisha jackson - 2']);
  });

  it('refuses bad input in the envelope naming the field, writing nothing', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const cases: [string[], string, string][] = [
      [['--name', '   '], 'InvalidInput', 'customer_name'],
      [['--name', 'Ada <b>'], 'InvalidInput', 'customer_name'],
      [['--name', 'Ada', '--email', 'ada@'], 'InvalidInput', 'email_id'],
      [['--name', 'Ada', '--email', 'ada example.com'], 'InvalidInput', 'email_id'],
      [['--name', 'Ada', '--phone', 'call me'], 'InvalidInput', 'mobile_no'],
      [['--name', 'Ada', '--phone', '+1 555 0100 0000 0000 0000'], 'InvalidInput', 'mobile_no'],
      [['--name', 'Ada', '--group', 'Nobody'], 'InvalidInput', 'customer_group'],
      // The phone of a customer the store knows (James Smith: +1-555-200-0000), respelt.
      [['--name', 'Jim', '--phone', '(555) 200 0000'], 'InvalidInput', 'mobile_no'],
      [['--name', 'Jim', '--email', 'JAMES.SMITH@example.com'], 'InvalidInput', 'email_id'],
      // A Customer Group of that name exists: ERPNext refuses such a customer on save.
      [['--name', 'Gold'], 'InvalidInput', 'customer_name'],
    ];
    for (const [args, kind, field] of cases) {
      const r = await cli(addArgs(dir, ...args));
      expect(r.code, args.join(' ')).toBe(2);
      const envelope = (JSON.parse(r.out) as { error: Json }).error;
      expect({ kind: envelope['kind'], field: envelope['field'] }, args.join(' ')).toEqual({
        kind,
        field,
      });
    }
    const taken = await cli(addArgs(dir, '--name', 'Jim', '--phone', '(555) 200 0000'));
    expect((JSON.parse(taken.out) as { error: Json }).error['message']).toBe(
      "mobile_no: this phone is already customer James Smith's: sell to James Smith",
    );
    const noName = await cli(['customer', 'add', '--data', dir]);
    expect(noName.code).toBe(2);
    expect(JSON.parse(noName.out)).toEqual({
      error: {
        kind: 'InvalidInput',
        message: '--name: required (the customer name)',
        field: '--name',
      },
    });
    expect(footprint(dir)).toEqual(before);
  });
});

describe('the loyalty program ERPNext gives a new customer', () => {
  const tree = {
    'Customer Group': [
      { name: 'All Customer Groups', is_group: 1 },
      { name: 'Gold', parent_customer_group: 'All Customer Groups', is_group: 1 },
      { name: 'Gold VIP', parent_customer_group: 'Gold' },
      { name: 'Individual', parent_customer_group: 'All Customer Groups' },
    ],
    Territory: [
      { name: 'All Territories', is_group: 1 },
      { name: 'North', parent_territory: 'All Territories' },
    ],
  };
  const program = (name: string, fields: Json) => ({
    name,
    auto_opt_in: 1,
    from_date: '2026-01-01',
    customer_group: 'All Customer Groups',
    customer_territory: 'All Territories',
    ...fields,
  });
  const pick = (programs: Json[], group: string, territory = 'North') =>
    defaultLoyaltyProgram(
      new Master({ ...tree, 'Loyalty Program': programs }),
      group,
      territory,
      '2026-12-06',
    );

  it('is the one auto opt-in program in force whose group and territory take the customer', () => {
    expect(pick([program('Rewards', {})], 'Gold')).toBe('Rewards');
    expect(pick([program('Rewards', { auto_opt_in: 0 })], 'Gold')).toBe('');
    expect(pick([program('Rewards', { to_date: '2026-12-05' })], 'Gold')).toBe('');
    expect(pick([program('Rewards', { from_date: '2026-12-07' })], 'Gold')).toBe('');
    expect(pick([program('Rewards', { customer_group: 'Individual' })], 'Gold')).toBe('');
    // A blank group or territory takes everyone.
    expect(
      pick([program('Rewards', { customer_group: '', customer_territory: '' })], 'Gold VIP'),
    ).toBe('Rewards');
  });

  it('reads one level of the tree, as get_nested_links does', () => {
    // Gold is a child of the program's group; Gold VIP, a grandchild, is not taken.
    expect(pick([program('Rewards', {})], 'Gold VIP')).toBe('');
    expect(pick([program('Rewards', { customer_group: 'Gold' })], 'Gold VIP')).toBe('Rewards');
  });

  it('is none when several programs fit (ERPNext asks a person to choose)', () => {
    expect(pick([program('Rewards', {}), program('Club', {})], 'Gold')).toBe('');
  });
});
