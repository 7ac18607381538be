import type { Anchor } from './closing.js';
import { ANCHOR_DOCTYPES } from './closing.js';
import type { ChainEntry } from './invoice.js';
import { problem, type AuditProblem } from './types.js';

/** `NORTH-T1-2026-000042` → prefix `NORTH-T1-2026-`, number 42 (src/pos/numbering.ts). */
const NUMBERED = /^(.*?)(\d+)$/;

const at = (e: ChainEntry) => ({
  doctype: e.doctype,
  name: e.name,
  terminal: e.header.terminal,
  seq: e.header.seq,
});

/**
 * Consecutive seqs must link: the later record's prev_hash is the earlier one's hash. Records
 * ERPNext never receives (logins, X reports...) leave gaps that are not breaks; the links that
 * ERPNext does hold are all checked.
 */
function links(chain: readonly ChainEntry[]): AuditProblem[] {
  const out: AuditProblem[] = [];
  for (let i = 1; i < chain.length; i++) {
    const a = chain[i - 1] as ChainEntry;
    const b = chain[i] as ChainEntry;
    if (a.header.seq === b.header.seq) {
      out.push(
        problem(
          'chain_break',
          at(b),
          `seq ${b.header.seq} is held twice in ERPNext: ${a.doctype} ${a.name} and ${b.doctype} ${b.name}`,
        ),
      );
    } else if (b.header.seq === a.header.seq + 1 && b.header.prev_hash !== a.hash) {
      out.push(
        problem(
          'chain_break',
          at(b),
          `seq ${b.header.seq} does not link to seq ${a.header.seq} (${a.doctype} ${a.name}): prev_hash ${b.header.prev_hash}, hash ${a.hash}`,
        ),
      );
    }
  }
  return out;
}

/**
 * Receipt numbers: sales and returns share one gapless series per terminal and year, so a
 * number missing between two held ones is a sale or return ERPNext no longer holds.
 */
function numbering(chain: readonly ChainEntry[]): AuditProblem[] {
  const series = new Map<string, { n: number; e: ChainEntry }[]>();
  for (const e of chain) {
    const m = NUMBERED.exec(e.header.invoice_no ?? '');
    if (!m || ANCHOR_DOCTYPES.has(e.doctype)) continue;
    const [, prefix = '', digits = ''] = m;
    const list = series.get(prefix) ?? [];
    list.push({ n: Number(digits), e });
    series.set(prefix, list);
  }
  const out: AuditProblem[] = [];
  for (const [prefix, list] of series) {
    list.sort((x, y) => x.n - y.n);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as (typeof list)[number];
      const b = list[i] as (typeof list)[number];
      if (b.n <= a.n + 1) continue;
      const width = (b.e.header.invoice_no ?? '').length - prefix.length;
      const no = (n: number) => `${prefix}${String(n).padStart(width, '0')}`;
      const gone = b.n - a.n === 2 ? no(a.n + 1) : `${no(a.n + 1)} to ${no(b.n - 1)}`;
      out.push(
        problem(
          'missing_seq',
          { doctype: null, name: null, terminal: b.e.header.terminal, seq: null },
          `receipt ${gone} is not in ERPNext (deleted, or never pushed): it lies between seq ${a.e.header.seq} (${a.e.doctype} ${a.e.name}) and seq ${b.e.header.seq} (${b.e.doctype} ${b.e.name})`,
        ),
      );
    }
  }
  return out;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A closing's (or shift anchor's) signed Z report counts the shift's sales and returns: ERPNext must
 * hold them, the newest included, which no gap in the receipt numbers can show.
 */
function coverage(chain: readonly ChainEntry[], anchor: Anchor): AuditProblem[] {
  const inShift = chain.filter(
    (e) =>
      !ANCHOR_DOCTYPES.has(e.doctype) &&
      e.header.seq >= anchor.firstSeq &&
      e.header.seq <= anchor.lastSeq,
  );
  const sales = inShift.filter((e) => e.header.type === 'sale').length;
  const returns = inShift.filter((e) => e.header.type === 'return').length;
  if (sales === anchor.sales && returns === anchor.returns) return [];
  const where = {
    doctype: anchor.doctype,
    name: anchor.name,
    terminal: anchor.terminal,
    seq: anchor.lastSeq,
  };
  const counted = `${plural(anchor.sales, 'sale', 'sales')} and ${plural(anchor.returns, 'return', 'returns')}`;
  const held = `${plural(sales, 'sale', 'sales')} and ${plural(returns, 'return', 'returns')}`;
  const kind = sales < anchor.sales || returns < anchor.returns ? 'missing_seq' : 'anchor_mismatch';
  return [
    problem(
      kind,
      where,
      `the signed Z report counts ${counted} in seq ${anchor.firstSeq}..${anchor.lastSeq}; ERPNext holds ${held}`,
    ),
  ];
}

/** The chain problems of one terminal's verified records (any order) and its closings. */
export function chainProblems(
  entries: readonly ChainEntry[],
  anchors: readonly Anchor[],
): AuditProblem[] {
  const chain = entries.slice().sort((a, b) => a.header.seq - b.header.seq);
  return [
    ...links(chain),
    ...numbering(chain),
    ...anchors.flatMap((anchor) => coverage(chain, anchor)),
  ];
}
