/**
 * A small seeded PRNG (mulberry32). Records are generated from `Rng.at(seed, stream, index)`, a
 * generator keyed by position, so record N never depends on records before it: any doctype can be
 * streamed lazily, or regenerated out of order, and still come out identical.
 */
export class Rng {
  private constructor(private state: number) {}

  /** A generator for one record: `stream` names the doctype, `index` the record. */
  static at(seed: number, stream: number, index: number): Rng {
    return new Rng(mix(mix(mix(seed >>> 0) ^ stream) ^ index));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    const v = list[Math.floor(this.next() * list.length)];
    if (v === undefined) throw new RangeError('pick from an empty list');
    return v;
  }
}

/** lowbias32 (Chris Wellons): spreads consecutive keys across the whole 32-bit state. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
