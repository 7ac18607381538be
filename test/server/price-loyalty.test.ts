import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTemplate } from '../pos/till-fixture.js';
import { serve, type Served } from './node-fixture.js';

type Json = Record<string, unknown>;

let template: Awaited<ReturnType<typeof makeTemplate>>;
let served: Served | undefined;

beforeAll(async () => {
  template = await makeTemplate();
}, 180_000);

afterEach(async () => {
  await served?.close();
  served = undefined;
});

// Sourdough × 20 for a member of Outpost Rewards (1 point per 1.00, a point worth 0.01):
// grand total 112.00, as test/pos/sale.test.ts works it out by hand.
const CART = { items: [{ item_code: 'SKU-0000002', qty: '20' }], customer: 'Aisha Jackson' };

describe('POST /api/cart/price: the amount due and the customer’s points', () => {
  it('gives the balance, what the sale earns and redeems, and the most it may redeem', async () => {
    served = await serve(template.copy());
    const s = served;
    const session = await s.login();
    const price = async (body: Json): Promise<Json> => {
      const r = await s.api('POST', '/api/cart/price', { session, body });
      expect(r.status).toBe(200);
      return (await r.json()) as Json;
    };
    const before = await price(CART);
    expect(before['amount_due']).toBe('112.00');
    expect(before['loyalty']).toEqual({
      loyalty_program: 'Outpost Rewards',
      conversion_factor: '0.01',
      points_balance: 0,
      points_redeemed: 0,
      loyalty_amount: '0.00',
      points_earned: 112,
      points_after: 112,
      max_redeem_points: 0,
    });
    const sold = await s.api('POST', '/api/sales', { session, body: CART });
    expect(sold.status).toBe(201);

    const redeeming = await price({ ...CART, redeem_loyalty_points: 112 });
    // 112 points × 0.01 = 1.12 off what is due; ERPNext earns on 112.00 − cint(1.12) = 111.
    expect(redeeming['amount_due']).toBe('110.88');
    expect(redeeming['rounded_total']).toBe(112);
    expect(redeeming['loyalty']).toEqual({
      loyalty_program: 'Outpost Rewards',
      conversion_factor: '0.01',
      points_balance: 112,
      points_redeemed: 112,
      loyalty_amount: '1.12',
      points_earned: 111,
      points_after: 111,
      max_redeem_points: 112,
    });
  });

  it('gives no loyalty for a walk-in customer', async () => {
    served = await serve(template.copy());
    const s = served;
    const session = await s.login();
    const r = await s.api('POST', '/api/cart/price', {
      session,
      body: { items: [{ item_code: 'SKU-0000001', qty: '2' }] },
    });
    const body = (await r.json()) as Json;
    expect([body['amount_due'], body['loyalty']]).toEqual(['7.87', null]);
  });
});
