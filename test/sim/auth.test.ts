import { describe, expect, it } from 'vitest';
import { makeSite, KEY, SECRET } from './site.js';

describe('authentication', () => {
  const site = makeSite();
  const get = (headers: Record<string, string>, path = '/api/resource/Item') =>
    site.app.handle({ method: 'GET', path, headers, query: null });

  it('accepts token and Basic credentials', () => {
    expect(
      get({ Authorization: `token ${KEY}:${SECRET}` }, '/api/method/frappe.auth.get_logged_user')
        .body,
    ).toEqual({
      message: 'Administrator',
    });
    const basic = Buffer.from(`${KEY}:${SECRET}`).toString('base64');
    expect(get({ Authorization: `Basic ${basic}` }).status).toBe(200);
  });

  it('answers 401 AuthenticationError for a wrong secret or unknown key', () => {
    for (const header of [
      `token ${KEY}:wrong`,
      'token nobody:wrong',
      'token garbage',
      'Bearer x',
    ]) {
      const r = get({ Authorization: header });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        exc_type: 'AuthenticationError',
        exception: 'frappe.exceptions.AuthenticationError',
      });
    }
  });

  it('treats no credentials as Guest: 403 on resources, ping allowed', () => {
    const r = get({});
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      exc_type: 'PermissionError',
      _error_message: 'No permission for Item',
    });
    expect(get({}, '/api/method/ping').body).toEqual({ message: 'pong' });
    expect(get({}, '/api/v1/method/frappe.auth.get_logged_user').status).toBe(403);
  });

  it('logs in with a password, keeps a sid session, checks CSRF once the desk loaded', () => {
    const auth = { authorization: `token ${KEY}:${SECRET}` };
    site.app.handle({
      method: 'POST',
      path: '/api/resource/User',
      headers: auth,
      body: {
        email: 'cashier@example.com',
        first_name: 'Cashier',
        new_password: 'pw',
        roles: [{ role: 'Sales User' }],
      },
    });
    const bad = site.app.handle({
      method: 'POST',
      path: '/api/method/login',
      body: { usr: 'cashier@example.com', pwd: 'no' },
    });
    expect(bad.status).toBe(401);
    const ok = site.app.handle({
      method: 'POST',
      path: '/api/method/login',
      body: { usr: 'cashier@example.com', pwd: 'pw' },
    });
    expect(ok.body).toMatchObject({ message: 'Logged In', full_name: 'Cashier' });
    const sid = /sid=([^;]+)/.exec(String((ok.headers['set-cookie'] as string[])[0]))?.[1] ?? '';
    const cookie = { cookie: `sid=${sid}` };
    expect(get(cookie, '/api/method/frappe.auth.get_logged_user').body).toEqual({
      message: 'cashier@example.com',
    });
    // Sales User may not read Deleted Document (System Manager only).
    expect(get(cookie, '/api/resource/Deleted Document').status).toBe(403);
    const count = () =>
      site.app.handle({
        method: 'POST',
        path: '/api/method/frappe.client.get_count',
        headers: cookie,
        body: { doctype: 'Item' },
      });
    expect(count().status).toBe(200);
    const desk = site.app.handle({ method: 'GET', path: '/app', headers: cookie });
    const csrf = /csrf_token = "([^"]+)"/.exec(String(desk.body))?.[1] ?? '';
    expect(count().status).toBe(400);
    const headers = { ...cookie, 'x-frappe-csrf-token': csrf };
    site.app.handle({ method: 'POST', path: '/api/method/logout', headers });
    const after = get(cookie, '/api/method/frappe.auth.get_logged_user');
    expect(after.status).toBe(403);
    expect(after.body).toMatchObject({ session_expired: 1 });
  });
});
