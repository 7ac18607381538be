import { describe, expect, it } from 'vitest';
import { cli, query } from '../pos/till-fixture.js';
import { nodesPerTest } from './node-fixture.js';

type Json = Record<string, unknown>;

const nodes = nodesPerTest();

const SALE = { items: [{ item_code: 'SKU-0000001', qty: '1' }] };
const series = (terminal: string, n: number) =>
  Array.from({ length: n }, (_, i) => `STORE-NORTH-${terminal}-2026-00000${i + 1}`);

describe('outpost serve: several terminals', () => {
  it('sells at two terminals at once with their own series, returns at T2 a sale of T1, and both chains verify', async () => {
    const s = await nodes.start();
    const t2 = await s.pairDevice();
    expect(t2.terminal).toBe('T2');
    // Cashiers are the store's: alice at both tills.
    const at1 = await s.login();
    const at2 = await s.login('alice', '1234', t2.token);
    const sell = async (device: string, session: string) => {
      const r = await s.api('POST', '/api/sales', { device, session, body: SALE });
      expect(r.status).toBe(201);
      return String(((await r.json()) as Json)['invoice_no']);
    };
    const sales = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0 ? sell(s.device, at1) : sell(t2.token, at2),
      ),
    );
    const t1Sales = sales.filter((n) => n.includes('-T1-')).sort();
    expect(t1Sales).toEqual(series('T1', 5));
    expect(sales.filter((n) => n.includes('-T2-')).sort()).toEqual(series('T2', 5));
    expect(
      query<{ terminal: string; n: number }>(
        s.dir,
        'SELECT j.terminal, count(*) AS n FROM sale s JOIN journal j ON j.seq = s.seq GROUP BY j.terminal ORDER BY j.terminal',
      ),
    ).toEqual([
      { terminal: 'T1', n: 5 },
      { terminal: 'T2', n: 5 },
    ]);

    const ret = await s.api('POST', '/api/returns', {
      device: t2.token,
      session: at2,
      body: {
        return_against: 'STORE-NORTH-T1-2026-000001',
        items: [{ item_code: 'SKU-0000001', qty: '1' }],
      },
    });
    expect(ret.status).toBe(201);
    expect((await ret.json()) as Json).toMatchObject({
      kind: 'return',
      invoice_no: 'STORE-NORTH-T2-2026-000006',
      return_against: 'STORE-NORTH-T1-2026-000001',
    });

    await s.close();
    const v = await cli(['verify', '--data', s.dir, '--json']);
    expect(v.code).toBe(0);
    const terminals = (JSON.parse(v.out) as { terminals: Json[] }).terminals;
    // T2's chain: alice's login, its shift opened by its first sale, 5 sales and the return.
    expect(
      terminals.map((t) => [t['terminal'], t['ok'], t['count'], (t['head'] as Json)['seq']]),
    ).toEqual([
      ['T1', true, 16, 16],
      ['T2', true, 8, 8],
    ]);
  });
});
