import { describe, expect, it } from 'vitest';
import { data, makeSite, rows } from './site.js';

describe('seedEmpty', () => {
  const site = makeSite();
  const get = (path: string) => data(site.get(path));

  it('holds the tree roots, UOMs, currency, settings and price lists of a fresh ERPNext', () => {
    expect(get('/api/resource/Item Group/All Item Groups')['is_group']).toBe(1);
    expect(get('/api/resource/Customer Group/All Customer Groups')['is_group']).toBe(1);
    expect(get('/api/resource/Territory/All Territories')['is_group']).toBe(1);
    const uoms = rows(site.get('/api/resource/UOM', { fields: '["name","must_be_whole_number"]' }));
    expect(Object.fromEntries(uoms.map((u) => [u['name'], u['must_be_whole_number']]))).toEqual({
      Box: 1,
      Gram: 0,
      Kg: 0,
      Litre: 0,
      Nos: 1,
      Unit: 1,
    });
    expect(get('/api/resource/Currency/USD')['smallest_currency_fraction_value']).toBe(0.01);
    expect(get('/api/resource/System Settings/System Settings')).toMatchObject({
      float_precision: '3',
      currency_precision: '2',
      rounding_method: "Banker's Rounding",
      time_zone: 'America/New_York',
    });
    expect(get('/api/resource/Price List/Standard Selling')).toMatchObject({
      selling: 1,
      currency: 'USD',
    });
    expect(get('/api/resource/Price List/Standard Buying')).toMatchObject({ buying: 1 });
    expect(get('/api/resource/Fiscal Year/2026')['year_start_date']).toBe('2026-01-01');
  });

  it('sets up the company with ERPNext-named default accounts, a warehouse and payment modes', () => {
    const company = get('/api/resource/Company/Outpost Demo Retail');
    expect(company).toMatchObject({
      abbr: 'ODR',
      default_currency: 'USD',
      default_cash_account: 'Cash - ODR',
      default_receivable_account: 'Debtors - ODR',
      default_income_account: 'Sales - ODR',
      round_off_account: 'Round Off - ODR',
      cost_center: 'Main - ODR',
    });
    expect(get('/api/resource/Warehouse/Stores - ODR')['company']).toBe('Outpost Demo Retail');
    expect(get('/api/resource/Mode of Payment/Cash')['accounts']).toMatchObject([
      { company: 'Outpost Demo Retail', default_account: 'Cash - ODR' },
    ]);
    expect(get('/api/resource/Mode of Payment/Credit Card')['type']).toBe('Bank');
  });

  it('lets Administrator in with the API key and by password', () => {
    expect(site.get('/api/method/frappe.auth.get_logged_user').body).toEqual({
      message: 'Administrator',
    });
    const login = site.app.handle({
      method: 'POST',
      path: '/api/method/login',
      body: { usr: 'Administrator', pwd: 'admin' },
    });
    expect(login.status).toBe(200);
  });
});
