import type { ErpClient, ErpDoc } from '../../erpnext/client.js';
import { SALE_FIELDS } from '../../erpnext/custom-fields.js';
import { FrappeError } from '../../erpnext/errors.js';
import { SHIFT_ANCHOR_DOCTYPE } from '../../erpnext/push-shift.js';
import type { InvoiceDoctype } from '../../erpnext/push-invoice.js';
import { chainProblems } from './chain.js';
import { ANCHOR_SOURCES, checkClosing, type Anchor, type AnchorSource } from './closing.js';
import { checkInvoice, type ChainEntry } from './invoice.js';
import { registeredKeys } from './keys.js';
import { documentsWith } from './read.js';
import type { AuditProblem, AuditReport, TerminalSummary } from './types.js';

export interface AuditOptions {
  /** Only documents posted (closings: periods starting) on or after this date, YYYY-MM-DD. */
  readonly from: string | null;
}

const DOCTYPES: readonly InvoiceDoctype[] = ['POS Invoice', 'Sales Invoice'];

interface Tally {
  invoices: number;
  closings: number;
  entries: ChainEntry[];
  anchors: Anchor[];
  problems: AuditProblem[];
}

/**
 * The anchors of one kind, shifts opened from `from` on. A site set up before the Outpost Shift
 * Anchor DocType existed has none of them (Frappe answers 404 for an unknown DocType).
 */
async function anchorsOf(
  erp: Pick<ErpClient, 'list' | 'get'>,
  source: AnchorSource,
  from: string | null,
): Promise<ErpDoc[]> {
  const since = from ? { field: source.periodStart, date: from } : null;
  try {
    return await documentsWith(erp, source.doctype, source.fields.terminal, since);
  } catch (e) {
    const absent = e instanceof FrappeError && e.status === 404;
    if (absent && source.doctype === SHIFT_ANCHOR_DOCTYPE) return [];
    throw e;
  }
}

/**
 * HQ's audit of what the tills pushed, from ERPNext alone: every pushed invoice and closing is
 * verified against its signed journal record and the registered keys, ERPNext's figures against
 * the signed ones, and each terminal's records against each other (links, receipt numbers, the
 * counts of the closings and, in the sales_invoice mode, of the shift anchors). Reads only.
 */
export async function runAudit(
  erp: Pick<ErpClient, 'baseUrl' | 'list' | 'get'>,
  opts: AuditOptions,
): Promise<AuditReport> {
  const keys = await registeredKeys(erp);
  const tallies = new Map<string, Tally>();
  const tally = (terminal: string): Tally => {
    let t = tallies.get(terminal);
    if (!t) {
      t = { invoices: 0, closings: 0, entries: [], anchors: [], problems: [] };
      tallies.set(terminal, t);
    }
    return t;
  };
  let invoices = 0;
  for (const doctype of DOCTYPES) {
    const from = opts.from ? { field: 'posting_date', date: opts.from } : null;
    for (const doc of await documentsWith(erp, doctype, SALE_FIELDS[doctype].uuid, from)) {
      const c = checkInvoice(doctype, doc, keys);
      const t = tally(c.terminal);
      t.invoices += 1;
      invoices += 1;
      if (c.entry) t.entries.push(c.entry);
      t.problems.push(...c.problems);
    }
  }
  let closings = 0;
  for (const source of ANCHOR_SOURCES) {
    for (const doc of await anchorsOf(erp, source, opts.from)) {
      const c = checkClosing(doc, keys, source);
      const t = tally(c.terminal);
      t.closings += 1;
      closings += 1;
      if (c.entry) t.entries.push(c.entry);
      if (c.anchor) t.anchors.push(c.anchor);
      t.problems.push(...c.problems);
    }
  }
  const terminals: TerminalSummary[] = [];
  const problems: AuditProblem[] = [];
  for (const [terminal, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    const found = [...t.problems, ...chainProblems(t.entries, t.anchors)];
    const seqs = t.entries.map((e) => e.header.seq);
    terminals.push({
      terminal,
      invoices: t.invoices,
      closings: t.closings,
      first_seq: seqs.length > 0 ? Math.min(...seqs) : null,
      last_seq: seqs.length > 0 ? Math.max(...seqs) : null,
      problems: found.length,
    });
    problems.push(...found.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)));
  }
  return {
    ok: problems.length === 0,
    erpnext: erp.baseUrl,
    from: opts.from,
    checked: { invoices, closings, keys: keys.size },
    terminals,
    problems,
  };
}
