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
  readonly store: string | null;
  readonly terminal: string;
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

/** One document as checked: an invoice, or a closing (with its anchor). */
interface Checked {
  readonly terminal: string;
  readonly entry: ChainEntry | null;
  readonly anchor: Anchor | null;
  readonly problems: readonly AuditProblem[];
  readonly closing: boolean;
}

/**
 * The store of a receipt number of `terminal`'s series (`{store}-{terminal}-{year}-{n}`,
 * src/pos/numbering.ts), or null.
 */
function storeOf(invoiceNo: string | null, terminal: string): string | null {
  if (!invoiceNo) return null;
  const tail = `-${terminal}-`;
  const at = invoiceNo.lastIndexOf(tail);
  if (at <= 0 || !/^\d{4}-\d+$/.test(invoiceNo.slice(at + tail.length))) return null;
  return invoiceNo.slice(0, at);
}

/**
 * Which chain each document belongs to. Terminal names are per store (every store's first till
 * is T1), so a chain is a store's terminal: the store read from the signed receipt numbers of
 * its sales and returns, and a closing (which has no number) placed by its signing key, as the
 * key's sales are (a key rotation keeps the store's series). A key none of whose sales ERPNext
 * holds leaves its closings under the terminal name alone (store null).
 */
function chains(checked: readonly Checked[]) {
  const storeOfKey = new Map<string, string>();
  for (const c of checked) {
    const h = c.entry?.header;
    const store = h ? storeOf(h.invoice_no, h.terminal) : null;
    if (h && store !== null && !storeOfKey.has(h.key_id)) storeOfKey.set(h.key_id, store);
  }
  return (c: Checked): { store: string | null; terminal: string } => {
    const h = c.entry?.header;
    if (!h) return { store: null, terminal: c.terminal };
    const store = storeOf(h.invoice_no, h.terminal) ?? storeOfKey.get(h.key_id) ?? null;
    return { store, terminal: c.terminal };
  };
}

/**
 * HQ's audit of what the tills pushed, from ERPNext alone: every pushed invoice and closing is
 * verified against its signed journal record and the registered keys, ERPNext's figures against
 * the signed ones, and each chain's records against each other (links, receipt numbers, the
 * counts of the closings and, in the sales_invoice mode, of the shift anchors) — a chain being
 * one store's terminal (`chains`). Reads only.
 */
export async function runAudit(
  erp: Pick<ErpClient, 'baseUrl' | 'list' | 'get'>,
  opts: AuditOptions,
): Promise<AuditReport> {
  const keys = await registeredKeys(erp);
  const checked: Checked[] = [];
  let invoices = 0;
  for (const doctype of DOCTYPES) {
    const from = opts.from ? { field: 'posting_date', date: opts.from } : null;
    for (const doc of await documentsWith(erp, doctype, SALE_FIELDS[doctype].uuid, from)) {
      checked.push({ ...checkInvoice(doctype, doc, keys), anchor: null, closing: false });
      invoices += 1;
    }
  }
  let closings = 0;
  for (const source of ANCHOR_SOURCES) {
    for (const doc of await anchorsOf(erp, source, opts.from)) {
      checked.push({ ...checkClosing(doc, keys, source), closing: true });
      closings += 1;
    }
  }
  const chainOf = chains(checked);
  const tallies = new Map<string, Tally>();
  for (const c of checked) {
    const { store, terminal } = chainOf(c);
    const id = `${store ?? ''}\u0000${terminal}`;
    let t = tallies.get(id);
    if (!t) {
      t = { store, terminal, invoices: 0, closings: 0, entries: [], anchors: [], problems: [] };
      tallies.set(id, t);
    }
    if (c.closing) t.closings += 1;
    else t.invoices += 1;
    if (c.entry) t.entries.push(c.entry);
    if (c.anchor) t.anchors.push(c.anchor);
    t.problems.push(...c.problems);
  }
  const terminals: TerminalSummary[] = [];
  const problems: AuditProblem[] = [];
  const order = (t: Tally) => `${t.terminal}\u0000${t.store ?? ''}`;
  for (const t of [...tallies.values()].sort((a, b) => order(a).localeCompare(order(b)))) {
    const found = [...t.problems, ...chainProblems(t.entries, t.anchors)];
    const seqs = t.entries.map((e) => e.header.seq);
    terminals.push({
      terminal: t.terminal,
      store: t.store,
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
