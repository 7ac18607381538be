import { describe, expect, it } from 'vitest';
import type { SimResponse } from '../../src/sim/http-types.js';
import { AUTH, data, makeSite, rows, type TestSite } from './site.js';

const FORM = 'application/x-www-form-urlencoded';

/** A request as sent over the wire: a text body with its content type. */
function send(
  site: TestSite,
  method: string,
  path: string,
  body: string,
  contentType: string,
  query: Record<string, string> | null = null,
): SimResponse {
  return site.app.handle({
    method,
    path,
    headers: { ...AUTH, 'content-type': contentType },
    body,
    query,
  });
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const excType = (r: SimResponse): unknown => (r.body as { exc_type?: unknown }).exc_type;

describe('form-encoded bodies (frappe/app.py make_form_dict, api/v1.py get_request_form_data)', () => {
  it('v1 insert takes the document from the `data` field, as frappe-client sends it', () => {
    const site = makeSite();
    const doc = { customer_name: 'Form Co', customer_type: 'Company' };
    const r = send(
      site,
      'POST',
      '/api/resource/Customer',
      form({ data: JSON.stringify(doc) }),
      FORM,
    );
    expect(r.status).toBe(200);
    expect(data(r)['customer_name']).toBe('Form Co');
    expect(site.db.exists('Customer', String(data(r)['name']))).toBe(true);
  });

  it('v1 update takes `data` too', () => {
    const site = makeSite();
    const made = site.post('/api/resource/Customer', { customer_name: 'Old Name' });
    const name = String(data(made)['name']);
    const body = form({ data: JSON.stringify({ customer_name: 'New Name' }) });
    const r = send(site, 'PUT', `/api/resource/Customer/${name}`, body, FORM);
    expect(r.status).toBe(200);
    expect(data(r)['customer_name']).toBe('New Name');
  });

  it('v1 insert with plain form fields (no `data`) uses the fields themselves', () => {
    const site = makeSite();
    const body = form({ customer_name: 'Field Co', customer_type: 'Individual' });
    const r = send(site, 'POST', '/api/resource/Customer', body, FORM);
    expect(r.status).toBe(200);
    expect(data(r)['customer_type']).toBe('Individual');
  });

  it('v1 insert with a JSON body but no JSON content type reads the raw body', () => {
    const site = makeSite();
    const body = JSON.stringify({ customer_name: 'Raw Co' });
    const r = send(site, 'POST', '/api/resource/Customer', body, 'text/plain;charset=UTF-8');
    expect(r.status).toBe(200);
    expect(data(r)['customer_name']).toBe('Raw Co');
  });

  it('v2 does not unwrap `data`: form_dict is the document (MandatoryError)', () => {
    const site = makeSite();
    const body = form({ data: JSON.stringify({ customer_name: 'V2 Co' }) });
    const r = send(site, 'POST', '/api/v2/document/Customer', body, FORM);
    expect(r.status).toBe(417);
    const errors = (r.body as { errors: { type: string }[] }).errors;
    expect(errors.map((e) => e.type)).toEqual(['MandatoryError']);
  });

  it('method kwargs are the form fields merged over the query string', () => {
    const site = makeSite();
    site.post('/api/resource/Customer', { customer_name: 'Counted' });
    const body = form({ filters: JSON.stringify({ customer_name: 'Counted' }) });
    const r = send(site, 'POST', '/api/method/frappe.client.get_count', body, FORM, {
      doctype: 'Customer',
    });
    expect(r.body).toEqual({ message: 1 });
  });

  it('a JSON body is the whole form_dict: the query string is then ignored', () => {
    const site = makeSite();
    site.post('/api/resource/Customer', { customer_name: 'Counted' });
    const body = JSON.stringify({ doctype: 'Customer' });
    const filters = JSON.stringify({ customer_name: 'Nobody' });
    const r = send(site, 'POST', '/api/method/frappe.client.get_count', body, 'application/json', {
      filters,
    });
    expect(r.body).toEqual({ message: 1 });
  });

  it('a body that claims JSON and is not answers 500 JSONDecodeError', () => {
    const site = makeSite();
    const r = send(site, 'POST', '/api/resource/Customer', '{"customer_name":', 'application/json');
    expect(r.status).toBe(500);
    expect(excType(r)).toBe('JSONDecodeError');
  });
});

describe('absurd page lengths (frappe/model/db_query.py add_limit, MariaDB LIMIT)', () => {
  const list = (site: TestSite, length: string): SimResponse =>
    site.get('/api/resource/Price List', {
      fields: '["name"]',
      order_by: 'name asc',
      limit_page_length: length,
    });

  it('a page length wider than 64 bits is a MariaDB syntax error: 500 ProgrammingError', () => {
    const r = list(makeSite(), '99999999999999999999');
    expect(r.status).toBe(500);
    expect(excType(r)).toBe('ProgrammingError');
    expect((r.body as { exception: string }).exception).toBe(
      `pymysql.err.ProgrammingError: (1064, "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '99999999999999999999 offset 0' at line 6")`,
    );
  });

  it('a negative page length is refused the same way; 1e30 goes through cint first', () => {
    const site = makeSite();
    expect(excType(list(site, '-5'))).toBe('ProgrammingError');
    const big = list(site, '1e30');
    // cint('1e30') = int(float('1e30')), the double nearest 10^30.
    expect((big.body as { exception: string }).exception).toContain(
      "near '1000000000000000019884624838656 offset 0'",
    );
  });

  it('the largest 64-bit literal MariaDB takes lists everything; text is cint 0 = no limit', () => {
    const site = makeSite();
    const both = [{ name: 'Standard Buying' }, { name: 'Standard Selling' }];
    expect(rows(list(site, '18446744073709551615'))).toEqual(both);
    expect(rows(list(site, 'abc'))).toEqual(both);
  });
});
