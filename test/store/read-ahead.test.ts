import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Lookup } from '../../src/store/lookup.js';
import { StoreMaster } from '../../src/store/master.js';

// What the till reads ahead or keeps for pricing speed must answer exactly as a fresh read.

const tmp = () => join(mkdtempSync(join(tmpdir(), 'outpost-store-')), 'store.db');

const item = (code: string, more: Record<string, unknown> = {}) => ({
  name: code,
  item_code: code,
  item_name: `Item ${code}`,
  item_group: 'All Item Groups',
  stock_uom: 'Nos',
  is_stock_item: 1,
  uoms: [{ uom: 'Nos', conversion_factor: 1 }],
  ...more,
});
const price = (code: string, rate: number) => ({
  name: `IP-${code}`,
  item_code: code,
  price_list: 'Standard Selling',
  price_list_rate: rate,
  selling: 1,
});

function store() {
  const db = openStore(tmp());
  const cat = new Catalog(db);
  db.transaction(() => {
    cat.apply('Item Group', { name: 'All Item Groups', is_group: 1 });
    cat.apply('Item', item('A'));
    cat.apply('Item', item('B'));
    cat.apply('Item', item('OFF', { disabled: 1 }));
    cat.apply('Item Price', price('A', 1.25));
  })();
  return { db, cat };
}

describe('Lookup.withCodes', () => {
  it('answers byCode for the batch as one read per code would, and only while it runs', () => {
    const { db, cat } = store();
    const look = new Lookup(db);
    const single = ['A', 'B', 'OFF', 'NOPE'].map((c) => look.byCode(c));
    expect(single.map((r) => r?.item_code ?? null)).toEqual(['A', 'B', null, null]);

    const inside = look.withCodes(['A', 'OFF', 'NOPE', 'A'], () => {
      // A change made while the batch runs is not seen by the codes read ahead...
      db.transaction(() => cat.apply('Item', item('A', { item_name: 'Renamed' })))();
      return ['A', 'B', 'OFF', 'NOPE'].map((c) => look.byCode(c));
    });
    // ...which answered as the store stood when the batch began; B (not in it) was read alone.
    expect(inside).toEqual(single);
    // Once it has returned, every code is read afresh.
    expect(look.byCode('A')?.item_name).toBe('Renamed');
  });

  it('drops the batch when its callback throws, and restores an outer batch after an inner one', () => {
    const { db, cat } = store();
    const look = new Lookup(db);
    expect(() =>
      look.withCodes(['A'], () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    db.transaction(() => cat.apply('Item', item('A', { item_name: 'After' })))();
    expect(look.byCode('A')?.item_name).toBe('After');

    const names = look.withCodes(['A'], () => {
      db.transaction(() => cat.apply('Item', item('A', { item_name: 'Later' })))();
      const inner = look.withCodes(['B'], () => look.byCode('A')?.item_name);
      return [inner, look.byCode('A')?.item_name];
    });
    // Inside the inner batch A is not read ahead, so it is read afresh; the outer batch is back
    // once the inner one returns.
    expect(names).toEqual(['Later', 'After']);
  });
});

describe('StoreMaster.forCart', () => {
  const rateOf = (m: StoreMaster, code: string) =>
    m
      .forCart([code], '')
      .master.all('Item Price')
      .map((p) => p.str('price_list_rate'));

  it('sees a price a pull publishes, at the next cart', () => {
    const { db, cat } = store();
    db.transaction(() => cat.bumpSnapshot())();
    const m = new StoreMaster(db);
    expect(rateOf(m, 'A')).toEqual(['1.25']);
    db.transaction(() => cat.stage('Item Price', 'IP-A', price('A', 1.5)))();
    cat.publish();
    expect(rateOf(m, 'A')).toEqual(['1.5']);
  });

  it('keeps nothing while the first pull is under way (snapshot 0)', () => {
    const { db, cat } = store();
    const m = new StoreMaster(db);
    expect(m.forCart(['A'], '').snapshot).toBe(0);
    expect(rateOf(m, 'A')).toEqual(['1.25']);
    db.transaction(() => cat.apply('Item Price', price('A', 2)))();
    expect(rateOf(m, 'A')).toEqual(['2']);
  });
});
