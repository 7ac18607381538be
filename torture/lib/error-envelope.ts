import { z } from 'zod';

/** The one error envelope every refusal answers with (src/server/http-errors.ts). */
export const errorEnvelope = z
  .object({
    error: z
      .object({ kind: z.string().min(1), message: z.string().min(1), field: z.string().optional() })
      .strict(),
  })
  .strict();

/** Why `text` is not the envelope, or null when it is. */
export function envelopeProblem(contentType: string | null, text: string): string | null {
  if (!contentType?.startsWith('application/json')) return `content-type ${String(contentType)}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  const r = errorEnvelope.safeParse(value);
  return r.success ? null : `not the envelope: ${text.slice(0, 120)}`;
}
