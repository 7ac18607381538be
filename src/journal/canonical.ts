/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so hashes and
 * signatures over JSON are reproducible by any verifier (ERPNext, an auditor's script, a phone).
 *
 * Numbers use ECMAScript's Number::toString, which is exactly the serialization JCS specifies;
 * strings use JSON.stringify's escaping, which is JCS's; object keys sort by UTF-16 code units.
 * Anything that is not I-JSON (NaN, Infinity, lone surrogates, undefined, class instances) is
 * refused rather than silently dropped or coerced, because a silently different byte sequence
 * would only surface later as a signature that fails to verify.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Canonical JSON text of `value`, e.g. `canonicalize({b: 1, a: [2.50]})` is `{"a":[2.5],"b":1}`. */
export function canonicalize(value: unknown): string {
  // Every sale is serialized inside the store's write: the fast path builds no paths; only a
  // value it refuses is walked again to name where the problem is.
  const text = fast(value);
  return text ?? serialize(value, '$');
}

/** No lone surrogate (ES2024's String.prototype.isWellFormed, in Node 20; our lib is ES2022). */
const wellFormed = (s: string): boolean =>
  (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The canonical text, or undefined at the first value that is not I-JSON (no path kept). */
function fast(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'string':
      return wellFormed(value) ? JSON.stringify(value) : undefined;
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = fast(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const member = fast(record[key]);
        if (member === undefined || !wellFormed(key)) return undefined;
        out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${member}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not I-JSON`);
      // Number::toString already prints -0 as "0", as JCS requires.
      return String(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      if (Array.isArray(value)) {
        return `[${value.map((v: unknown, i) => serialize(v, `${path}[${i}]`)).join(',')}]`;
      }
      return serializeObject(value, path);
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} is not JSON`);
  }
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(path, 'lone UTF-16 surrogate');
  return JSON.stringify(value);
}

function serializeObject(value: object, path: string): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A Date, Decimal or Map would serialize through toJSON or not at all: make the caller
    // choose the representation explicitly (e.g. a decimal string).
    throw new CanonicalJsonError(path, 'only plain objects and arrays are JSON');
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is JCS's ordering (RFC 8785 §3.2.3).
  const keys = Object.keys(record).sort();
  const members = keys.map((key) => {
    const memberPath = `${path}.${key}`;
    return `${serializeString(key, memberPath)}:${serialize(record[key], memberPath)}`;
  });
  return `{${members.join(',')}}`;
}
