import { GENESIS_PREV_HASH } from './digest.js';
import type { Entry, RawRecord } from './inspect.js';
import type { Header } from './record.js';
import { inspect } from './inspect.js';
import type { Head } from './journal.js';
import type { Anchor, VerifyOptions } from './problems.js';
import type { ProblemList } from './problems.js';
import { checkSignatures } from './signatures.js';

/** An entry whose header parsed: it has a place in the chain. */
type Chained = Entry & { readonly header: Header };

/**
 * Verifies records given in storage order against each other and against anchors. Pure: the
 * database and export readers feed it, so both detect tampering the same way.
 */
export function analyzeChain(
  raws: readonly RawRecord[],
  options: VerifyOptions,
  anchors: readonly Anchor[],
  problems: ProblemList,
): Head | null {
  const entries = raws.map((raw, i) => inspect(raw, i, problems));
  const parsed = entries.filter((e): e is Chained => e.header !== null);
  if (options.terminal !== undefined) {
    for (const e of parsed) {
      if (e.header.terminal !== options.terminal) {
        problems.add('ALTERED', e.header.seq, `record of terminal ${e.header.terminal}`);
      }
    }
  }
  checkStorageOrder(parsed, problems);
  const chain = [...parsed].sort((a, b) => a.header.seq - b.header.seq || a.index - b.index);
  const signed = checkSignatures(chain, options.publicKeys, problems);
  const authentic = (e: Entry) => e.intact && signed.has(e);

  const bySeq = pickVersions(chain, authentic, problems);
  const claimants = findBranches(bySeq, problems);
  // An unreadable record is reported as ALTERED where it stands, not as missing too.
  const unreadable = new Set(entries.filter((e) => e.header === null).map((e) => e.seq));
  checkGaps([...bySeq.keys()], unreadable, problems);
  checkLinks(bySeq, claimants, authentic, problems);
  const last = [...bySeq.values()].at(-1);
  const head = last?.hash ? { seq: last.header.seq, hash: last.hash } : null;
  for (const anchor of anchors) checkAnchor(anchor, head, bySeq, authentic, problems);
  return head;
}

/** One version per seq, preferring an authentic one; any other version is a FORK. */
function pickVersions(
  chain: readonly Chained[],
  authentic: (e: Entry) => boolean,
  problems: ProblemList,
): Map<number, Chained> {
  const bySeq = new Map<number, Chained>();
  for (const e of chain) {
    const seen = bySeq.get(e.header.seq);
    if (!seen) bySeq.set(e.header.seq, e);
    else if (seen.hash !== e.hash) {
      problems.add('FORK', e.header.seq, `two different records claim seq ${e.header.seq}`);
      if (!authentic(seen) && authentic(e)) bySeq.set(e.header.seq, e);
    }
  }
  return bySeq;
}

/** Records by the prev_hash they claim; a hash claimed twice is a branch (FORK at the later). */
function findBranches(
  bySeq: ReadonlyMap<number, Chained>,
  problems: ProblemList,
): Map<string, Chained[]> {
  const claimants = new Map<string, Chained[]>();
  for (const e of bySeq.values()) {
    const list = claimants.get(e.header.prev_hash) ?? [];
    list.push(e);
    claimants.set(e.header.prev_hash, list);
  }
  for (const [first, ...later] of claimants.values()) {
    for (const e of later) {
      problems.add('FORK', e.header.seq, `claims the same predecessor as seq ${first!.header.seq}`);
    }
  }
  return claimants;
}

/**
 * Storage order must be seq order: a database row holds its own seq, and an export line must
 * follow the line before it.
 */
function checkStorageOrder(parsed: readonly Chained[], problems: ProblemList): void {
  let previous = 0;
  for (const e of parsed) {
    const seq = e.header.seq;
    if (e.storedSeq !== null && e.storedSeq !== seq) {
      problems.add('REORDERED', seq, `record ${seq} is stored at seq ${e.storedSeq}`);
    } else if (e.storedSeq === null && seq <= previous) {
      problems.add('REORDERED', seq, `record ${seq} comes after record ${previous}`);
    }
    previous = Math.max(previous, seq);
  }
}

function checkGaps(
  seqs: readonly number[],
  unreadable: ReadonlySet<number | null>,
  problems: ProblemList,
): void {
  let expected = 1;
  for (const seq of seqs) {
    while (expected < seq && unreadable.has(expected)) expected += 1;
    if (seq > expected) {
      const range = seq - 1 === expected ? `seq ${expected} is` : `seqs ${expected}–${seq - 1} are`;
      problems.add('MISSING', expected, `${range} missing`);
    }
    expected = seq + 1;
  }
}

/**
 * Each record must name its predecessor's hash. A signed, intact record whose prev_hash names
 * nothing we hold proves its predecessor was replaced: ALTERED if that predecessor is not
 * authentic, FORK if it is (the key signed two versions of that seq).
 */
function checkLinks(
  bySeq: ReadonlyMap<number, Chained>,
  claimants: ReadonlyMap<string, readonly Chained[]>,
  authentic: (e: Entry) => boolean,
  problems: ProblemList,
): void {
  const byHash = new Map([...bySeq.values()].map((e) => [e.hash, e]));
  for (const [seq, e] of bySeq) {
    const prev = e.header.prev_hash;
    if (seq === 1) {
      if (prev !== GENESIS_PREV_HASH && authentic(e)) {
        problems.add('FORK', 1, 'the first record does not start a new chain');
      }
      continue;
    }
    const predecessor = bySeq.get(seq - 1);
    if (!predecessor || prev === predecessor.hash) continue; // a gap is reported as MISSING
    if ((claimants.get(prev)?.length ?? 0) > 1) continue; // reported as FORK
    const linked = byHash.get(prev);
    if (linked) {
      problems.add('REORDERED', seq, `links to record ${linked.header.seq}, not ${seq - 1}`);
    } else if (authentic(e)) {
      const code = authentic(predecessor) ? 'FORK' : 'ALTERED';
      problems.add(code, seq - 1, `record ${seq} was chained to a different record ${seq - 1}`);
    }
  }
}

function checkAnchor(
  anchor: Anchor,
  head: Head | null,
  bySeq: ReadonlyMap<number, Chained>,
  authentic: (e: Entry) => boolean,
  problems: ProblemList,
): void {
  const last = head?.seq ?? 0;
  if (anchor.seq > last) {
    problems.add(
      'TRUNCATED',
      last + 1,
      `the journal ends at seq ${last} but ${anchor.source} is at seq ${anchor.seq}`,
    );
    return;
  }
  if (anchor.seq < 1) return;
  const entry = bySeq.get(anchor.seq);
  if (entry && entry.hash !== anchor.hash) {
    // An altered record explains the mismatch; a validly signed one means a second chain.
    const code = authentic(entry) ? 'FORK' : 'ALTERED';
    problems.add(code, anchor.seq, `record ${anchor.seq} differs from ${anchor.source}`);
  }
  if (anchor.exact && anchor.seq < last) {
    problems.add(
      'FORK',
      anchor.seq + 1,
      `records after seq ${anchor.seq} are not covered by ${anchor.source}`,
    );
  }
}
