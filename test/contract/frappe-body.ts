import { expect } from 'vitest';
import type { Reply } from './target.js';

/** A document or list row as Frappe sends it. */
export type Row = Record<string, unknown>;

function record(value: unknown, what: string): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  }
  return value as Row;
}

/** `body.data` of a /api/resource reply that must be 200. */
export function data(reply: Reply): Row {
  expect(reply.status, JSON.stringify(reply.body).slice(0, 600)).toBe(200);
  return record(record(reply.body, 'body')['data'], 'data');
}

/** `body.data` of a 200 list reply. */
export function rows(reply: Reply): Row[] {
  expect(reply.status, JSON.stringify(reply.body).slice(0, 600)).toBe(200);
  const list = record(reply.body, 'body')['data'];
  if (!Array.isArray(list)) throw new Error(`data is not a list: ${JSON.stringify(list)}`);
  return list.map((r, i) => record(r, `data[${i}]`));
}

/** `body.message` of a 200 /api/method reply. */
export function message(reply: Reply): unknown {
  expect(reply.status, JSON.stringify(reply.body).slice(0, 600)).toBe(200);
  return record(reply.body, 'body')['message'];
}

/**
 * Frappe's `_server_messages`: a JSON string holding a list of JSON strings, each a message
 * object. Decoding it twice is the contract; anything else throws.
 */
export function serverMessages(body: unknown): Row[] {
  const raw = record(body, 'body')['_server_messages'];
  if (typeof raw !== 'string') throw new Error('_server_messages is not a string');
  const outer = JSON.parse(raw) as unknown;
  if (!Array.isArray(outer)) throw new Error('_server_messages is not a JSON list');
  return outer.map((inner, i) => {
    if (typeof inner !== 'string') throw new Error(`_server_messages[${i}] is not a string`);
    return record(JSON.parse(inner), `_server_messages[${i}]`);
  });
}

/**
 * Asserts Frappe's v1 error reply: the status, `exc_type`, and a twice-decodable
 * `_server_messages` whose messages contain `text`. With `messages: false` (replies that carry
 * none, e.g. API-key 401s) `text` is looked for in `exception`. Returns the decoded messages.
 */
export function expectError(
  reply: Reply,
  status: number,
  excType: string,
  opts: { readonly text?: string; readonly messages?: boolean } = {},
): Row[] {
  const dump = JSON.stringify(reply.body).slice(0, 800);
  expect(reply.status, dump).toBe(status);
  expect(reply.headers.get('content-type') ?? '', dump).toContain('application/json');
  const body = record(reply.body, 'body');
  expect(body['exc_type'], dump).toBe(excType);
  if (opts.messages === false) {
    if (opts.text !== undefined) expect(String(body['exception']), dump).toContain(opts.text);
    return [];
  }
  const messages = serverMessages(body);
  expect(messages.length, dump).toBeGreaterThan(0);
  for (const m of messages) expect(typeof m['message'], dump).toBe('string');
  if (opts.text !== undefined) {
    expect(messages.map((m) => String(m['message'])).join('\n'), dump).toContain(opts.text);
  }
  return messages;
}
