import { z } from 'zod';
import { readHead } from '../journal/index.js';
import type { Db } from '../store/db.js';
import {
  HIGH_WATER_SQL,
  parseHighWater,
  splitReceipt,
  type HighWater,
} from '../store/high-water.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin } from './cashiers.js';
import { PosError, invalid } from './errors.js';
import { parseStored } from './journal-reads.js';
import type { Terminal } from './terminal.js';

/** The mark a manager acknowledged (terminal_state `chain_ack`): selling goes on past it. */
const ackSchema = z.object({ seq: z.number().int().min(1), hash: z.string() });

export interface ChainBehind {
  /** The local journal's head (seq 0 on an empty journal). */
  readonly local: { readonly seq: number; readonly hash: string | null };
  readonly erpnext: HighWater;
  /** behind: ERPNext holds seqs past the local head; forked: a different record at its seq. */
  readonly reason: 'behind' | 'forked';
}

/** What the check reads of one terminal: a Terminal, or `chainReadsOf` for the loops. */
type ChainReads = Pick<Terminal, 'db' | 'name' | 'stmt' | 'localState'>;

/**
 * Whether the local journal is behind what ERPNext holds for this terminal (a restored backup,
 * a cloned disk) and no manager acknowledged it; null when selling may go on. Each terminal of
 * the node is checked against its own mark: one restored terminal stops alone.
 */
export function chainBehind(term: ChainReads): ChainBehind | null {
  // Every sale asks: statements prepared once per connection (term.stmt).
  const text = term.stmt(HIGH_WATER_SQL).pluck().get({ terminal: term.name }) as string | null;
  const mark = parseHighWater(text ?? undefined, term.name);
  if (!mark) return null;
  const ack = term.localState('chain_ack');
  if (ack !== undefined) {
    const a = parseStored(ackSchema, ack, 'terminal_state chain_ack');
    if (a.seq === mark.seq && a.hash === mark.hash) return null;
  }
  const head = readHead(term.db, term.name);
  const local = { seq: head?.seq ?? 0, hash: head?.hash ?? null };
  if (local.seq < mark.seq) return { local, erpnext: mark, reason: 'behind' };
  const atMark = term
    .stmt('SELECT hash FROM journal WHERE terminal = ? AND chain_seq = ?')
    .pluck()
    .get(term.name, mark.seq) as string | undefined;
  if (atMark !== mark.hash) return { local, erpnext: mark, reason: 'forked' };
  return null;
}

/** The check's reads of terminal `name` without opening it (its key): for the loops. */
export function chainReadsOf(db: Db, name: string): ChainReads {
  return {
    db,
    name,
    stmt: (sql) => db.prepare(sql),
    localState: (key) =>
      db
        .prepare('SELECT value FROM terminal_local WHERE terminal = ? AND key = ?')
        .pluck()
        .get(name, key) as string | undefined,
  };
}

/** Refuses to sell while `chainBehind`: the envelope names the gap and the way out. */
export function assertChainCurrent(term: Terminal): void {
  const b = chainBehind(term);
  if (!b) return;
  const where = `${b.erpnext.doctype} ${b.erpnext.name}`;
  const gap =
    b.reason === 'behind'
      ? `the local journal ends at seq ${b.local.seq} but ERPNext already holds seq ${b.erpnext.seq} of this terminal (${where}): seq ${b.local.seq + 1} to ${b.erpnext.seq} are missing here`
      : `ERPNext holds a different record at seq ${b.erpnext.seq} of this terminal (${where}) than the local journal`;
  throw new PosError(
    'ChainBehind',
    `${gap}. This database was restored from a backup or copied from another till. Selling is stopped until a manager acknowledges it: \`outpost terminal acknowledge --terminal ${term.name} --cashier M --pin P --note TEXT\``,
    'journal',
  );
}

export interface Acknowledgement {
  readonly seq: number;
  readonly erpnext: HighWater;
  readonly local: ChainBehind['local'];
  /** Where the invoice series goes on: the next receipt number is after `continues_after`. */
  readonly invoice_series: { readonly prefix: string; readonly continues_after: number } | null;
}

/**
 * A manager acknowledges that the local journal is behind ERPNext, journaled as a signed
 * `chain_behind_acknowledged` event that records the fork (the local head the chain goes on
 * from, and ERPNext's seq range this journal will never hold), so HQ's audit can explain two
 * records with one seq. In the same transaction the invoice series moves past ERPNext's
 * highest receipt number: no receipt number is issued twice.
 */
export function acknowledgeChainBehind(
  term: Terminal,
  manager: Cashier,
  note: string,
): Acknowledgement {
  if (manager.role !== 'manager') {
    throw new PosError(
      'NotPermitted',
      `${manager.id} is not a manager: only a manager may acknowledge a journal behind ERPNext`,
      'cashier',
    );
  }
  const text = note.trim();
  if (text === '') throw invalid('note', 'required: say why the journal is behind ERPNext');
  const b = chainBehind(term);
  if (!b) {
    throw new PosError('NotFound', 'the journal is not behind ERPNext: nothing to acknowledge');
  }
  return term.transact((tx) => {
    let series: Acknowledgement['invoice_series'] = null;
    if (b.erpnext.receipt_no !== null) {
      const [prefix, n] = splitReceipt(b.erpnext.receipt_no);
      term
        .stmt(
          `INSERT INTO invoice_series (prefix, last_no) VALUES (?, ?)
           ON CONFLICT (prefix) DO UPDATE SET last_no = max(last_no, excluded.last_no)`,
        )
        .run(prefix, n);
      series = { prefix, continues_after: n };
    }
    ensureLogin(term, tx, manager);
    const record = tx.append({
      type: 'event',
      body: {
        event: 'chain_behind_acknowledged',
        reason: b.reason,
        erpnext: {
          seq: b.erpnext.seq,
          hash: b.erpnext.hash,
          doctype: b.erpnext.doctype,
          name: b.erpnext.name,
          receipt_no: b.erpnext.receipt_no,
          checked_at: b.erpnext.checked_at,
        },
        local_head: b.local,
        // Where the chain forks: ERPNext's records in that range belong to the lost branch.
        fork:
          b.reason === 'behind'
            ? {
                after_seq: b.local.seq,
                erpnext_from_seq: b.local.seq + 1,
                erpnext_to_seq: b.erpnext.seq,
              }
            : { differs_at_seq: b.erpnext.seq },
        invoice_series: series,
        manager: { id: manager.id, name: manager.name },
        note: text,
      },
    });
    term.setLocalState('chain_ack', JSON.stringify({ seq: b.erpnext.seq, hash: b.erpnext.hash }));
    return { seq: record.header.seq, erpnext: b.erpnext, local: b.local, invoice_series: series };
  });
}
