import type { z } from 'zod';
import { invalid, QuoteError } from './errors.js';

/**
 * The one way data from disk or the network becomes a typed value: checked against a zod
 * schema, never cast. A failure is an `InvalidInput` error whose `field` is the path zod reports
 * (e.g. `pos.lockout.minutes`) and whose message names the source too (`config.json: pos...`).
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw schemaError(r.error, where);
}

/** JSON text checked against a schema; text that is not JSON names `where` as the field. */
export function parseJsonWith<S extends z.ZodType>(
  schema: S,
  text: string,
  where: string,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalid(where, `not valid JSON (${(e as Error).message})`);
  }
  return parseWith(schema, value, where);
}

/** The first issue of a zod error as a QuoteError naming its field path. */
export function schemaError(error: z.ZodError, where: string): QuoteError {
  const issue = error.issues[0];
  const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))) ?? [];
  const field = path.reduce<string>(
    (acc, p) => (p.startsWith('[') ? acc + p : acc ? `${acc}.${p}` : p),
    '',
  );
  const problem = issue?.message ?? 'invalid';
  return field
    ? new QuoteError('InvalidInput', `${where}: ${field}: ${problem}`, field)
    : invalid(where, problem);
}
