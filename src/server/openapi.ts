import { z } from 'zod';
import { DEVICE_HEADER, SESSION_HEADER } from './auth.js';
import type { Route } from './routing.js';

type Json = Record<string, unknown>;

const envelopeSchema = z.object({
  error: z.object({
    kind: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});

/** A request schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), as the client sends it. */
function jsonSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Json;
  delete out['$schema'];
  return out;
}

/** `/api/holds/:name/recall` → `/api/holds/{name}/recall`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema);
  const props = (s['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((s['required'] ?? []) as string[]);
  return Object.entries(props).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema,
  }));
}

function operation(r: Route): Json {
  const ok = r.method === 'DELETE' ? '204' : r.created ? '201' : '200';
  const content: Json = {};
  for (const type of r.produces ?? ['application/json']) {
    content[type] = { schema: r.response ? jsonSchema(r.response) : {} };
  }
  return {
    operationId: `${r.method.toLowerCase()}${openApiPath(r.url)
      .replace(/[{}]/g, '')
      .split(/[/.-]/)
      .filter(Boolean)
      .map((p) => p[0]?.toUpperCase() + p.slice(1))
      .join('')}`,
    summary: r.summary,
    tags: [r.tag],
    security:
      r.access === 'session'
        ? [{ device: [], session: [] }]
        : r.access === 'device' || r.readsDevice
          ? [{ device: [] }]
          : [],
    parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(r.body) } },
          },
        }
      : {}),
    responses: {
      [ok]: ok === '204' ? { description: 'Done' } : { description: 'OK', content },
      '4XX': {
        description: 'Refused: the one error envelope, naming the field',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      '5XX': {
        description: 'The node failed (disk, database): the one error envelope, never a stack',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
  };
}

/** The OpenAPI 3.1 document of `routes`, generated from the zod schemas they validate with. */
export function openApiDocument(
  routes: readonly Route[],
  version: string,
  /** Paths served outside `routes` (the WebSocket), documented as given. */
  more: Record<string, Json> = {},
): Json {
  const paths: Record<string, Json> = { ...more };
  for (const r of routes) {
    const path = openApiPath(r.url);
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: operation(r) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outpost store node',
      version,
      description:
        "The store node's API for the store's terminals. Every /api route but the login, pairing and this document needs the token of a paired device and a cashier's session; the device acts at the terminal it is bound to.",
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(envelopeSchema) },
      securitySchemes: {
        device: { type: 'apiKey', in: 'header', name: DEVICE_HEADER },
        session: { type: 'apiKey', in: 'header', name: SESSION_HEADER },
      },
    },
  };
}
