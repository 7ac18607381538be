import type { KeyObject } from 'node:crypto';
import type { Head } from './journal.js';

/** What the verifier can find wrong, per record (`seq`) or for the whole journal (`seq: null`). */
type ProblemCode =
  /** A header or body does not match its hash or body_hash, or the stored copy disagrees. */
  | 'ALTERED'
  /** A seq gap: records are absent from the middle of the chain. */
  | 'MISSING'
  /** Records are stored out of seq order, or a record links past its predecessor. */
  | 'REORDERED'
  /** Two versions of the chain: same seq or same prev_hash, or a divergence from an anchor. */
  | 'FORK'
  /** The chain ends before an anchor (ERPNext's high-water mark, head.json, head row, manifest). */
  | 'TRUNCATED'
  /** A signature does not verify under the terminal's active, registered key. */
  | 'BAD_SIGNATURE';

export interface Problem {
  readonly code: ProblemCode;
  /** The record at fault; null for the journal as a whole (schema, head row, manifest). */
  readonly seq: number | null;
  readonly detail: string;
}

export interface VerifyOptions {
  /** The terminal's registered keys by key_id, as KeyObjects, SPKI PEM or raw base64. */
  readonly publicKeys: ReadonlyMap<string, KeyObject | string>;
  /**
   * A head held outside this database: the last seq/hash ERPNext acknowledged, a signed
   * head.json, a printed Z. Without one, restoring an older copy of the file is undetectable.
   */
  readonly expectedHead?: Head;
  /** When given, every record must belong to this terminal. */
  readonly terminal?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Sorted by seq (journal-wide problems first), then code. */
  readonly problems: readonly Problem[];
  /** Records examined. */
  readonly count: number;
  /** The highest seq found and its header hash, as the verifier computed it. */
  readonly head: Head | null;
}

/** An anchor the chain is compared with; `source` names it in problem details. */
export interface Anchor extends Head {
  readonly source: string;
  /** A head row must match the chain's end exactly; an external anchor may lag behind it. */
  readonly exact: boolean;
}

/** Collects problems, merging repeats of the same code at the same seq into one. */
export class ProblemList {
  private readonly byKey = new Map<
    string,
    { code: ProblemCode; seq: number | null; details: string[] }
  >();

  add(code: ProblemCode, seq: number | null, detail: string): void {
    const key = `${code}@${seq}`;
    const found = this.byKey.get(key);
    if (found) {
      if (!found.details.includes(detail)) found.details.push(detail);
    } else this.byKey.set(key, { code, seq, details: [detail] });
  }

  has(code: ProblemCode, seq: number | null): boolean {
    return this.byKey.has(`${code}@${seq}`);
  }

  sorted(): Problem[] {
    return [...this.byKey.values()]
      .map(({ code, seq, details }) => ({ code, seq, detail: details.join('; ') }))
      .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.code.localeCompare(b.code));
  }
}
