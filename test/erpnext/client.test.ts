import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErpClient } from '../../src/erpnext/client.js';
import { FrappeError } from '../../src/erpnext/errors.js';

/** What the stand-in server answers next: status, content type and body text. */
let answer: { status: number; type: string; body: string } = {
  status: 200,
  type: 'application/json',
  body: '{}',
};
let server: Server;
let erp: HttpErpClient;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  erp = new HttpErpClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', apiSecret: 's' });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answering = (body: unknown, status = 200) => {
  answer = { status, type: 'application/json', body: JSON.stringify(body) };
};

/** The FrappeError a call rejects with, as the fields a caller reads. */
async function failure(call: Promise<unknown>) {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FrappeError);
  const f = e as FrappeError;
  return { status: f.status, excType: f.excType, field: f.field, message: f.message };
}

describe('HttpErpClient reads answers through their schemas', () => {
  it('returns the document of a {"data": …} answer with every field kept', async () => {
    answering({ data: { name: 'I-1', modified: '2026-11-27 01:37:40.014484', custom_x: 7 } });
    expect(await erp.get('Item', 'I-1')).toEqual({
      name: 'I-1',
      modified: '2026-11-27 01:37:40.014484',
      custom_x: 7,
    });
  });

  it('refuses a document answer without `data`, naming the field', async () => {
    answering({ message: 'ok' });
    expect(await failure(erp.get('Item', 'I-1'))).toEqual({
      status: 200,
      excType: 'InvalidResponse',
      field: 'data',
      message: 'Item I-1: data: Invalid input: expected object, received undefined',
    });
  });

  it('refuses a list whose `data` is not a list of objects, naming the row', async () => {
    answering({ data: [{ name: 'a' }, 'b'] });
    expect(await failure(erp.list('Item', { fields: ['name'] }))).toMatchObject({
      excType: 'InvalidResponse',
      field: 'data[1]',
    });
    answering({ data: { name: 'a' } });
    expect(await failure(erp.list('Item', {}))).toMatchObject({ field: 'data' });
  });

  it('refuses a get_list answer that is not a list', async () => {
    answering({ message: { name: 'a' } });
    expect(await failure(erp.listLong('Item Barcode', { parent: 'Item' }))).toMatchObject({
      excType: 'InvalidResponse',
      message: 'Item Barcode get_list: message: Invalid input: expected array, received object',
    });
  });

  it('reads a count, and refuses a count that is not a whole number', async () => {
    answering({ message: 20 });
    expect(await erp.count('Item')).toBe(20);
    answering({ message: '20' });
    expect(await failure(erp.count('Item'))).toMatchObject({ field: 'message' });
    answering({});
    expect(await failure(erp.count('Item'))).toMatchObject({ field: 'message' });
  });

  it('refuses a logged user that is not text', async () => {
    answering({ message: null });
    expect(await failure(erp.loggedUser())).toMatchObject({
      excType: 'InvalidResponse',
      field: 'message',
    });
  });

  it('refuses a 200 answer that is not JSON, or is empty, naming the request', async () => {
    answer = { status: 200, type: 'text/html', body: '<html>login</html>' };
    expect(await failure(erp.call('ping'))).toMatchObject({
      status: 200,
      excType: 'InvalidResponse',
      field: 'POST /api/method/ping',
    });
    answer = { status: 200, type: 'application/json', body: '' };
    expect(await failure(erp.insert('Customer', { customer_name: 'x' }))).toMatchObject({
      excType: 'InvalidResponse',
      field: 'new Customer',
    });
  });
});

describe('HttpErpClient reads Frappe error bodies', () => {
  it('takes exc_type and the decoded _server_messages (fixture 037)', async () => {
    answering(
      {
        exc_type: 'DoesNotExistError',
        _server_messages: JSON.stringify([
          JSON.stringify({ message: 'Item <b>AR-NO-SUCH-ITEM</b> not found', indicator: 'red' }),
        ]),
      },
      404,
    );
    expect(await failure(erp.get('Item', 'AR-NO-SUCH-ITEM'))).toEqual({
      status: 404,
      excType: 'DoesNotExistError',
      field: undefined,
      message: 'Item AR-NO-SUCH-ITEM not found',
    });
  });

  it('falls back to `exception`, then to the status, when fields are missing or mistyped', async () => {
    answering({ exc_type: 'AuthenticationError', exception: 'frappe.exceptions.Auth' }, 401);
    expect(await failure(erp.loggedUser())).toMatchObject({
      status: 401,
      excType: 'AuthenticationError',
      message: 'frappe.exceptions.Auth',
    });
    answering({ exc_type: 5, message: ['x'] }, 500);
    expect(await failure(erp.ping())).toMatchObject({
      excType: 'HTTP 500',
      message: 'GET /api/method/ping answered 500',
    });
    answer = { status: 502, type: 'text/html', body: '<html>Bad Gateway</html>' };
    expect(await failure(erp.ping())).toMatchObject({ status: 502, excType: 'HTTP 502' });
  });

  it('keeps _server_messages as sent when it is not a JSON list', async () => {
    answering({ exc_type: 'ValidationError', _server_messages: 'plain words' }, 417);
    expect(await failure(erp.call('x.y'))).toMatchObject({ message: 'plain words' });
  });
});
