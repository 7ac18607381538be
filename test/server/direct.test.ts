import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Caller } from '../../src/server/auth.js';
import { directDispatch, type DirectOptions } from '../../src/server/direct.js';
import { shuttingDown } from '../../src/server/http-errors.js';
import { directRoute, route, type Route } from '../../src/server/routing.js';

// Only its identity is read here.
const caller = { cashier: 'alice' } as unknown as Caller;

function options(over: Partial<DirectOptions> = {}) {
  const refusals: string[] = [];
  const o: DirectOptions = {
    session: () => caller,
    shuttingDown: () => undefined,
    refused: (status, e) => refusals.push(`${status} ${e.kind}`),
    ...over,
  };
  return { o, refusals };
}

const echo = directRoute({
  url: '/api/echo',
  summary: 'echo',
  tag: 'Test',
  query: z.strictObject({ word: z.string() }),
  handler: ({ query, caller: c }) => ({ word: query.word, caller: c === caller }),
});

const tokens = { device: 'd', session: 's' };

describe('directDispatch (the socket’s routes answered without Fastify)', () => {
  it('answers a direct route’s GET; anything else is not its to answer', async () => {
    const { o } = options();
    const dispatch = directDispatch([echo], o);
    expect(await dispatch('GET', '/api/echo?word=hi', tokens)).toEqual({
      status: 200,
      body: '{"word":"hi","caller":true}',
    });
    expect(dispatch('POST', '/api/echo?word=hi', tokens)).toBeUndefined();
    expect(dispatch('GET', '/api/echo/?word=hi', tokens)).toBeUndefined();
    expect(dispatch('GET', '/api/other', tokens)).toBeUndefined();
  });

  it('refuses in the envelope, counted: shutting down, no session, a bad query', async () => {
    const down = options({ shuttingDown: () => shuttingDown() });
    const a = await directDispatch([echo], down.o)('GET', '/api/echo?word=hi', tokens);
    expect(a?.status).toBe(503);
    expect(JSON.parse(a?.body ?? '')).toEqual({
      error: {
        kind: 'ShuttingDown',
        message: 'the store node is shutting down: try again shortly',
      },
    });
    const { o, refusals } = options({
      session: () => {
        throw new Error('no session');
      },
    });
    expect((await directDispatch([echo], o)('GET', '/api/echo?word=hi', tokens))?.status).toBe(500);
    const good = options();
    const bad = await directDispatch([echo], good.o)('GET', '/api/echo?wurd=hi', tokens);
    expect(bad?.status).toBe(400);
    expect(JSON.parse(bad?.body ?? '')).toMatchObject({ error: { kind: 'InvalidInput' } });
    expect([...down.refusals, ...refusals, ...good.refusals]).toEqual([
      '503 ShuttingDown',
      '500 InternalError',
      '400 InvalidInput',
    ]);
  });

  it('refuses to serve a direct route with a path parameter', () => {
    const withParam: Route = { ...echo, url: '/api/echo/:word' };
    expect(() => directDispatch([withParam], options().o)).toThrow(/cannot be answered directly/);
    // An ordinary route is never answered directly.
    const plain = route({
      method: 'GET',
      url: '/api/plain',
      summary: 'plain',
      tag: 'Test',
      access: 'session',
      handler: () => 1,
    });
    expect(directDispatch([plain], options().o)('GET', '/api/plain', tokens)).toBeUndefined();
  });
});
