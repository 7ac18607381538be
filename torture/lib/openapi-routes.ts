import { z } from 'zod';
import { parseWith } from '../../src/core/schema.js';

/** A JSON Schema as the node's OpenAPI document carries it (only what the fuzzer reads). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ApiParam {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface ApiRoute {
  readonly method: string;
  /** OpenAPI's template (`/api/holds/{name}/recall`). */
  readonly path: string;
  /** What the route asks for: nothing, a paired device, or a device and a cashier's session. */
  readonly access: 'public' | 'device' | 'session';
  readonly params: readonly ApiParam[];
  readonly body: JsonSchema | null;
}

const schemaObject = z.record(z.string(), z.unknown());
const operationSchema = z.object({
  security: z.array(z.record(z.string(), z.array(z.string()))).default([]),
  parameters: z
    .array(
      z.object({
        name: z.string(),
        in: z.enum(['path', 'query']),
        required: z.boolean().default(false),
        schema: schemaObject,
      }),
    )
    .default([]),
  requestBody: z
    .object({ content: z.object({ 'application/json': z.object({ schema: schemaObject }) }) })
    .optional(),
});
const documentSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), operationSchema)),
});

/** Every route of the node's OpenAPI document, so a route added later is fuzzed too. */
export function routesOf(document: unknown): ApiRoute[] {
  const doc = parseWith(documentSchema, document, 'openapi.json');
  const routes: ApiRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schemes = new Set(op.security.flatMap((s) => Object.keys(s)));
      routes.push({
        method: method.toUpperCase(),
        path,
        access: schemes.has('session') ? 'session' : schemes.has('device') ? 'device' : 'public',
        params: op.parameters,
        body: op.requestBody?.content['application/json'].schema ?? null,
      });
    }
  }
  return routes;
}
