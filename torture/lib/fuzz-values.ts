import fc from 'fast-check';
import type { JsonSchema } from './openapi-routes.js';

/** Strings that have broken servers before: injection, encodings, numbers in disguise. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  "'; DROP TABLE sale; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '%s%s%s%n%x',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '\u202Egnp.exe',
  '💥🧾\uD83D',
  'Ω≈ç√∫˜µ≤≥÷',
  '１２３',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0',
  '0x1F',
  '1e309',
  '1e-400',
  ' 1',
  '1.',
  '.5',
  '1,5',
  '9'.repeat(400),
  '0.' + '0'.repeat(300) + '1',
  'null',
  'true',
  '__proto__',
  'constructor',
  'HOLD-0',
  'HOLD-99999999999999999999',
  'SKU-0000001',
];

/** Values of every JSON type at their edges (numbers that JSON can carry, containers). */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, 1e-320),
  fc.constantFrom([], {}, [null], { '': 1 }, { __proto__: { admin: true } }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

const DECIMAL = '^\\d+(\\.\\d+)?$';

/** A catalog code that exists in the demo seed (so a request can get past the look-up). */
const itemCode = fc.integer({ min: 1, max: 60 }).map((n) => `SKU-${String(n).padStart(7, '0')}`);

function stringFor(s: JsonSchema, key: string): fc.Arbitrary<string> {
  const pattern = s['pattern'];
  if (pattern === DECIMAL) {
    return fc.oneof(
      fc.integer({ min: 0, max: 20 }).map(String),
      fc
        .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }))
        .map(([a, b]) => `${a}.${b}`),
    );
  }
  if (pattern === '^HOLD-\\d+$') return fc.nat(50).map((n) => `HOLD-${n}`);
  if (pattern === '^\\d{4}-\\d{2}-\\d{2}$') {
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  }
  if (typeof pattern === 'string' && pattern.startsWith('^[A-Za-z0-9_-]')) {
    return fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
  }
  if (key === 'item_code') return itemCode;
  if (key === 'mode_of_payment') return fc.constantFrom('Cash', 'Credit Card', 'Gift');
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const max = typeof s['maxLength'] === 'number' ? s['maxLength'] : 60;
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 24)) });
}

/** A value the schema accepts (mostly), with the demo catalog's codes where a code is asked. */
export function validFor(s: JsonSchema, key = ''): fc.Arbitrary<unknown> {
  if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as unknown[]));
  if ('const' in s) return fc.constant(s['const']);
  const alts = s['anyOf'] ?? s['oneOf'];
  if (Array.isArray(alts)) return fc.oneof(...(alts as JsonSchema[]).map((a) => validFor(a, key)));
  switch (s['type']) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
      const required = (s['required'] ?? []) as string[];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, p] of Object.entries(props)) model[k] = validFor(p, k);
      return fc.record(model, { requiredKeys: required });
    }
    case 'array': {
      const min = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
      const items = (s['items'] ?? {}) as JsonSchema;
      return fc.array(validFor(items, key), { minLength: min, maxLength: Math.max(min, 3) });
    }
    case 'string':
      return stringFor(s, key);
    case 'integer':
      return fc.integer({
        min: typeof s['minimum'] === 'number' ? s['minimum'] : -1000,
        max: Math.min(typeof s['maximum'] === 'number' ? s['maximum'] : 1000, 1000),
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** How a valid value is spoiled. `at` picks the spot among the value's paths. */
export type Spoil =
  | { readonly kind: 'none' }
  | { readonly kind: 'replace'; readonly at: number; readonly with: unknown }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'extra'; readonly at: number; readonly key: string; readonly with: unknown }
  | { readonly kind: 'huge'; readonly at: number; readonly length: number };

export const spoil: fc.Arbitrary<Spoil> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' } as const) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: weirdValue }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'qty ', 'admin'), fc.string()),
      with: weirdValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fc.nat(),
      length: fc.constantFrom(10_000, 100_000, 2_000_000),
    }),
  },
);

type Container = Record<string, unknown> | unknown[];
interface Spot {
  readonly parent: Container;
  readonly key: string | number;
}

function spots(v: unknown, out: Spot[] = []): Spot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      spots(x, out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      spots(x, out);
    }
  }
  return out;
}

/** `value` spoiled as `s` says (a fresh copy; the top level replaced when it has no spot). */
export function applySpoil(value: unknown, s: Spoil): unknown {
  if (s.kind === 'none') return value;
  const copy: unknown = structuredClone(value);
  const all = spots(copy);
  const spot = all.length > 0 ? all[s.at % all.length] : undefined;
  const set = (x: unknown): unknown => {
    if (!spot) return x;
    if (Array.isArray(spot.parent)) spot.parent[spot.key as number] = x;
    else spot.parent[spot.key as string] = x;
    return copy;
  };
  switch (s.kind) {
    case 'replace':
      return set(s.with);
    case 'huge':
      return set('x'.repeat(s.length));
    case 'drop':
      if (!spot) return undefined;
      if (Array.isArray(spot.parent)) spot.parent.splice(spot.key as number, 1);
      else delete spot.parent[spot.key as string];
      return copy;
    case 'extra': {
      const target = spot && typeof spot.parent === 'object' ? spot.parent : copy;
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, s.key, { value: s.with, enumerable: true });
        return copy;
      }
      return { extra: s.with };
    }
  }
}

/** Raw bodies that are not the JSON a route documents. */
export const RAW_BODIES: readonly string[] = [
  '',
  '{',
  '{"items": [',
  'null',
  '[]',
  '"a string"',
  '12',
  '{"items": 1e309}',
  '{"qty": NaN}',
  '{"a":1,"a":2}',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"admin": true}}}',
  '\u0000',
  '\uFEFF{}',
  '['.repeat(5_000) + ']'.repeat(5_000),
  '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000),
];

/**
 * The plainest value the schema accepts: an object's required fields (and its lines) only, so
 * that a request gets past validation into the use case often enough to exercise it.
 */
export function plainFor(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s['type'] !== 'object') return validFor(s);
  const props = (s['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s['required'] ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, p] of Object.entries(props)) {
    if (required.has(k) || k === 'items') model[k] = validFor(p, k);
  }
  return fc.record(model);
}
