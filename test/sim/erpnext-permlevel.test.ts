import { describe, expect, it } from 'vitest';
import { CUSTOMER, PROFILE, RULED, cash, makePosSite } from './erpnext-site.js';
import { AUTH } from './site.js';

describe('ignore_pricing_rule is permlevel 1 on POS Invoice (ERPNext v15)', () => {
  it('is kept for an Accounts Manager and silently reset for an Accounts User', () => {
    const site = makePosSite();
    site.open();
    const session = (email: string, roles: string[]): Record<string, string> => {
      site.app.handle({
        method: 'POST',
        path: '/api/resource/User',
        headers: AUTH,
        body: {
          email,
          first_name: email,
          new_password: 'pw',
          roles: roles.map((role) => ({ role })),
        },
      });
      const r = site.app.handle({
        method: 'POST',
        path: '/api/method/login',
        body: { usr: email, pwd: 'pw' },
      });
      const sid = /sid=([^;]+)/.exec(String((r.headers['set-cookie'] as string[])[0]))?.[1] ?? '';
      return { cookie: `sid=${sid}` };
    };
    const sell = (headers: Record<string, string>): Record<string, unknown> => {
      site.clock.advance(1000);
      const r = site.app.handle({
        method: 'POST',
        path: '/api/resource/POS Invoice',
        headers,
        body: {
          company: 'Outpost Demo Retail',
          pos_profile: PROFILE,
          customer: CUSTOMER,
          is_pos: 1,
          ignore_pricing_rule: 1,
          items: [{ item_code: RULED, qty: 1, rate: 20 }],
          docstatus: 0,
          ...cash(20),
        },
      });
      expect(r.status).toBe(200);
      return (r.body as { data: Record<string, unknown> }).data;
    };
    const cashier = sell(session('cashier@example.com', ['Accounts User']));
    expect(cashier['ignore_pricing_rule']).toBe(0);
    expect((cashier['items'] as Record<string, unknown>[])[0]?.['rate']).toBe(18);
    const manager = sell(session('manager@example.com', ['Accounts User', 'Accounts Manager']));
    expect(manager['ignore_pricing_rule']).toBe(1);
    expect((manager['items'] as Record<string, unknown>[])[0]?.['rate']).toBe(20);
  });
});
