import { z } from 'zod';
import { parseWith } from '../core/index.js';
import type { ErpClient } from '../erpnext/client.js';
import { CLOSING_ANCHOR_FIELDS, SALE_FIELDS } from '../erpnext/custom-fields.js';
import { FrappeError } from '../erpnext/errors.js';
import { SHIFT_ANCHOR_DOCTYPE, SHIFT_ANCHOR_FIELDS } from '../erpnext/push-shift.js';
import {
  laterReceipt,
  marksOfPushed,
  pushedHighWater,
  raiseHighWater,
  readHighWater,
  type HighWater,
} from '../store/high-water.js';
import type { Db } from '../store/db.js';
import { listTerminals } from '../store/terminals.js';

const seqOf = z.coerce.number().int().min(0);
const hashOf = z.string().regex(/^[0-9a-f]{64}$/);

interface Top {
  readonly doctype: string;
  readonly name: string;
  readonly seq: number;
  readonly hash: string;
  readonly receipt: string | null;
}

/** What tells a terminal's chain apart in ERPNext from another store's terminal of that name. */
export interface ChainIdentity {
  /** The store id of its invoice series (`{store}-{terminal}-{YYYY}-{seq}`). */
  readonly store: string;
  /** Every key its records were signed with (anchors carry the key, not the series). */
  readonly keyIds: readonly string[];
}

/** `terminal`'s chain identity from the local journal: the store's id and its keys. */
export function chainOf(db: Db, store: string, terminal: string): ChainIdentity {
  const keyIds = db
    .prepare('SELECT DISTINCT key_id FROM journal WHERE terminal = ? ORDER BY key_id')
    .pluck()
    .all(terminal) as string[];
  return { store, keyIds };
}

/**
 * The highest journal seq ERPNext holds for `terminal`, asked of ERPNext itself: the top
 * `outpost_seq` of its POS Invoices and Sales Invoices (drafts and cancelled ones too: their seq
 * is used), the top `outpost_last_seq` of its POS Closing Entries (the anchor a closing
 * carries) and the top `last_seq` of its Outpost Shift Anchors (the closings of the
 * `sales_invoice` mode). Null when ERPNext holds nothing of this terminal.
 *
 * A terminal's name is its store's, not the chain's: every store's first till is T1. So a
 * sale is this chain's when its receipt number is in the chain's series (`{store}-{terminal}-`,
 * pos/numbering.ts; the store id is in every signed record), and an anchor when it is signed
 * by one of the chain's keys — else one store's T1 would read another's seqs as its own mark
 * and stop selling (ChainBehind).
 */
export async function askHighWater(
  erp: ErpClient,
  terminal: string,
  at: string,
  chain: ChainIdentity,
): Promise<HighWater | null> {
  const tops: Top[] = [];
  for (const dt of ['POS Invoice', 'Sales Invoice'] as const) {
    const f = SALE_FIELDS[dt];
    const rows = await erp.list(dt, {
      fields: ['name', f.seq, f.recordHash, f.receiptNo],
      filters: [
        [f.terminal, '=', terminal],
        [f.receiptNo, 'like', `${chain.store}-${terminal}-%`],
      ],
      order_by: `${f.seq} desc`,
      limit_page_length: 1,
    });
    const row = rows[0];
    if (!row) continue;
    const where = `${dt} ${String(row['name'])}`;
    tops.push({
      doctype: dt,
      name: parseWith(z.string(), row['name'], `${where}: name`),
      seq: parseWith(seqOf, row[f.seq], `${where}: ${f.seq}`),
      hash: parseWith(hashOf, row[f.recordHash], `${where}: ${f.recordHash}`),
      receipt:
        parseWith(z.string().nullable(), row[f.receiptNo] ?? null, `${where}: receipt`) || null,
    });
  }
  const c = CLOSING_ANCHOR_FIELDS;
  const a = SHIFT_ANCHOR_FIELDS;
  const keys = chain.keyIds;
  for (const [dt, f] of [
    [
      'POS Closing Entry',
      { terminal: c.terminal, lastSeq: c.lastSeq, headHash: c.headHash, keyId: c.keyId },
    ],
    [
      SHIFT_ANCHOR_DOCTYPE,
      { terminal: a.terminal, lastSeq: a.lastSeq, headHash: a.headHash, keyId: a.keyId },
    ],
  ] as const) {
    if (keys.length === 0) break;
    const top = await topAnchor(erp, dt, f, terminal, keys);
    if (top) tops.push(top);
  }
  const best = tops.filter((t) => t.seq > 0).sort((a, b) => b.seq - a.seq)[0];
  if (!best) return null;
  const receipt = tops.reduce<string | null>((r, t) => laterReceipt(r, t.receipt), null);
  return {
    seq: best.seq,
    hash: best.hash,
    doctype: best.doctype,
    name: best.name,
    receipt_no: receipt,
    checked_at: at,
  };
}

/** The anchor with the highest last seq of `terminal` in `doctype`, or null. */
async function topAnchor(
  erp: ErpClient,
  doctype: string,
  f: {
    readonly terminal: string;
    readonly lastSeq: string;
    readonly headHash: string;
    readonly keyId: string;
  },
  terminal: string,
  keyIds: readonly string[],
): Promise<Top | null> {
  let rows;
  try {
    rows = await erp.list(doctype, {
      fields: ['name', f.lastSeq, f.headHash],
      filters: [
        [f.terminal, '=', terminal],
        [f.keyId, 'in', [...keyIds]],
      ],
      order_by: `${f.lastSeq} desc`,
      limit_page_length: 1,
    });
  } catch (e) {
    // A site set up before the anchor DocType existed holds no anchor of that kind.
    if (doctype === SHIFT_ANCHOR_DOCTYPE && e instanceof FrappeError && e.status === 404) {
      return null;
    }
    throw e;
  }
  const row = rows[0];
  if (!row) return null;
  const where = `${doctype} ${String(row['name'])}`;
  return {
    doctype,
    name: parseWith(z.string(), row['name'], `${where}: name`),
    seq: parseWith(seqOf, row[f.lastSeq], `${where}: ${f.lastSeq}`),
    hash: parseWith(hashOf, row[f.headHash], `${where}: ${f.headHash}`),
    receipt: null,
  };
}

/**
 * Asks ERPNext for `terminal`'s mark and records it, with what this store's push proves;
 * returns the mark now recorded (null while ERPNext holds nothing of this terminal). Network
 * first, then one short write: no transaction is held across the request.
 */
export async function refreshHighWater(
  db: Db,
  erp: ErpClient,
  terminal: string,
  at: string,
  store: string,
): Promise<HighWater | null> {
  const asked = await askHighWater(erp, terminal, at, chainOf(db, store, terminal));
  const pushed = pushedHighWater(db, terminal, at);
  if (pushed) raiseHighWater(db, terminal, pushed);
  if (asked) raiseHighWater(db, terminal, asked);
  return readHighWater(db, terminal);
}

/**
 * The terminals whose marks are asked: `first` (config.json's, registered at its first write)
 * and every other the node holds, retired ones too (a restored copy could still sell as one).
 */
export function markedTerminals(db: Db, first: string): string[] {
  return [...new Set([first, ...listTerminals(db).map((t) => t.name)])];
}

/** Asks ERPNext for each terminal's mark; one terminal's failure does not hide the others'. */
export async function refreshHighWaters(
  db: Db,
  erp: ErpClient,
  terminals: readonly string[],
  at: string,
  store: string,
): Promise<{ terminal: string; mark: HighWater | null; error: Error | null }[]> {
  const out: { terminal: string; mark: HighWater | null; error: Error | null }[] = [];
  for (const name of terminals) {
    try {
      out.push({
        terminal: name,
        mark: await refreshHighWater(db, erp, name, at, store),
        error: null,
      });
    } catch (e) {
      out.push({
        terminal: name,
        mark: null,
        error: e instanceof Error ? e : new Error(String(e)),
      });
    }
  }
  return out;
}

/**
 * Records what a push cycle proves, from the documents it pushed (no request, a point lookup
 * each): the loop calls it every cycle, so it never scans the push's history.
 */
export function notePushedHighWater(
  db: Db,
  pushed: readonly { seq: number; doctype: string; name: string }[],
  at: string,
): void {
  for (const [terminal, mark] of marksOfPushed(db, pushed, at)) raiseHighWater(db, terminal, mark);
}
