import { toDec, type Dec } from '../core/index.js';
import { ReceiptError } from './errors.js';

/** A JSON object as it crossed the boundary: every field is read through a checked accessor. */
type JsonObject = { readonly [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function num(value: unknown, path: string): Dec {
  try {
    return toDec(value, path);
  } catch (e) {
    throw new ReceiptError(e instanceof Error ? e.message : String(e));
  }
}

/** Reads fields of one JSON object, naming the path in every error. */
export class JsonReader {
  constructor(
    private readonly value: JsonObject,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): JsonReader {
    if (!isObject(value)) throw new ReceiptError('expected an object', path);
    return new JsonReader(value, path);
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** A text field; absent or null reads as "" (as Frappe returns unset Data fields). */
  str(key: string): string {
    const v = this.value[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new ReceiptError('expected a string', this.at(key));
    return v;
  }

  /** A number or numeric string, exactly (through its shortest round-trip text). */
  dec(key: string): Dec {
    return num(this.value[key], this.at(key));
  }

  /** A Check field: 1/0 or a boolean. */
  bool(key: string): boolean {
    return !this.dec(key).isZero();
  }

  /** A child table; absent reads as empty. */
  rows(key: string): JsonReader[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new ReceiptError('expected an array', this.at(key));
    return v.map((row, i) => JsonReader.of(row, `${this.at(key)}[${i}]`));
  }

  /** A nested object, or null when absent. */
  obj(key: string): JsonReader | null {
    const v = this.value[key];
    return v === undefined || v === null ? null : JsonReader.of(v, this.at(key));
  }

  /** A field holding JSON text (item_wise_tax_detail), parsed; "" reads as {}. */
  jsonText(key: string): JsonReader {
    const text = this.str(key);
    if (!text) return new JsonReader({}, this.at(key));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ReceiptError('expected JSON text', this.at(key));
    }
    return JsonReader.of(parsed, this.at(key));
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  /** A [number, number] pair such as an item_wise_tax_detail entry. */
  pair(key: string): [Dec, Dec] {
    const v = this.value[key];
    if (!Array.isArray(v) || v.length < 2)
      throw new ReceiptError('expected [rate, amount]', this.at(key));
    return [num(v[0], this.at(key)), num(v[1], this.at(key))];
  }
}
