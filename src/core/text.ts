/** A JSON value as text: strings as they are, numbers in their shortest form, anything else ''. */
export function asText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
