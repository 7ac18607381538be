/**
 * kill -9 during a commit never leaves half a sale: the number, the journal record and the
 * outbox row exist together or not at all (tested with a real child process).
 *
 * A child (sell-loop.ts) sells as fast as it can through the src/pos API; the test SIGKILLs it
 * at a random moment after it starts selling, several times over the same store, and after
 * each kill checks the database and runs `outpost verify`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, cli, cliJson, makeTemplate, sellArgs } from './till-fixture.js';

const ROOT = join(import.meta.dirname, '../..');
const LOOP = join(import.meta.dirname, 'sell-loop.ts');
const ITEM = 'SKU-0000001';
const ROUNDS = 6;

interface Round {
  readonly killAfterMs: number;
  /** Invoice numbers the child printed, each after sell() returned (so after the commit). */
  readonly reported: string[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/** Starts the selling child and SIGKILLs it `killAfterMs` after it reports it is selling. */
function runRound(dir: string, killAfterMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', LOOP, dir, CASHIER.id, CASHIER.pin, ITEM],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let stderr = '';
    let started = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never started selling:\n${stderr}`));
    }, 20_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!started && out.startsWith('selling\n')) {
        started = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      // A line cut by the kill is not a reported sale.
      const lines = out.split('\n');
      const complete = lines.slice(1, -1);
      resolve({ killAfterMs, reported: complete, signal, code, stderr });
    });
  });
}

interface JournalRow {
  seq: number;
  type: string;
  uuid: string;
  invoice_no: string | null;
  hash: string;
}
interface SaleRow {
  seq: number;
  invoice_no: string | null;
  uuid: string;
  kind: string;
}
interface OutboxRow {
  uuid: string;
  seq: number;
  doctype: string;
  invoice_no: string | null;
}

interface Facts {
  /** Sales in the sale table. */
  readonly sales: number;
  readonly lastSeq: number;
  readonly invoices: ReadonlySet<string>;
}

/** Asserts that every sale is whole: number, journal record, sale row, outbox row, stock. */
function checkInvariants(dbPath: string, context: string): Facts {
  // A read-write connection, as the next till start would open it (recovers the WAL).
  const db = new Database(dbPath);
  try {
    const journal = db
      .prepare('SELECT seq, type, uuid, invoice_no, hash FROM journal ORDER BY seq')
      .all() as JournalRow[];
    const sales = db
      .prepare('SELECT seq, invoice_no, uuid, kind FROM sale ORDER BY seq')
      .all() as SaleRow[];
    const outbox = db
      .prepare('SELECT uuid, seq, doctype, invoice_no FROM outbox ORDER BY seq')
      .all() as OutboxRow[];
    const series = db.prepare('SELECT prefix, last_no FROM invoice_series').all() as {
      prefix: string;
      last_no: number;
    }[];
    const head = db.prepare('SELECT last_seq, last_hash FROM journal_head').get() as
      { last_seq: number; last_hash: string } | undefined;

    // The journal: seq 1..N without a gap, and its head row at the end.
    expect(
      journal.map((j) => j.seq),
      context,
    ).toEqual(journal.map((_, i) => i + 1));
    const end = journal.at(-1);
    expect(head, context).toEqual({ last_seq: end?.seq, last_hash: end?.hash });

    const journalBySeq = new Map(journal.map((j) => [j.seq, j]));
    const saleBySeq = new Map(sales.map((s) => [s.seq, s]));
    const outboxByUuid = new Map(outbox.map((o) => [o.uuid, o]));

    // Every sale row has its journal record and its outbox row, all naming the same sale.
    for (const s of sales) {
      expect(s.kind, context).toBe('sale');
      const j = journalBySeq.get(s.seq);
      expect(j, `${context}: journal record of sale seq ${s.seq}`).toMatchObject({
        seq: s.seq,
        type: 'sale',
        uuid: s.uuid,
        invoice_no: s.invoice_no,
      });
      expect(outboxByUuid.get(s.uuid), `${context}: outbox row of sale seq ${s.seq}`).toEqual({
        uuid: s.uuid,
        seq: s.seq,
        doctype: 'POS Invoice',
        invoice_no: s.invoice_no,
      });
    }
    // Every sale record has its sale row and outbox row; no outbox invoice without a sale.
    const saleRecords = journal.filter((j) => j.type === 'sale');
    for (const j of saleRecords) {
      expect(saleBySeq.get(j.seq), `${context}: sale row of record ${j.seq}`).toMatchObject({
        uuid: j.uuid,
        invoice_no: j.invoice_no,
      });
      expect(outboxByUuid.has(j.uuid), `${context}: outbox row of record ${j.seq}`).toBe(true);
    }
    expect(saleRecords.length, context).toBe(sales.length);
    expect(outbox.filter((o) => o.doctype === 'POS Invoice').length, context).toBe(sales.length);

    // The series: last_no numbers issued, exactly 1..last_no, each once.
    expect(series.length, context).toBe(sales.length > 0 ? 1 : 0);
    for (const { prefix, last_no } of series) {
      const numbers = sales
        .map((s) => s.invoice_no ?? '')
        .filter((n) => n.startsWith(prefix))
        .map((n) => Number(n.slice(prefix.length)))
        .sort((a, b) => a - b);
      expect(numbers, `${context}: numbers of ${prefix}`).toEqual(
        Array.from({ length: last_no }, (_, i) => i + 1),
      );
    }

    // The stock the sales took, booked in the same transaction: one unit per sale.
    const pending = db
      .prepare('SELECT qty FROM stock_pending WHERE item_code = ?')
      .pluck()
      .get(ITEM) as string | undefined;
    expect(Number(pending ?? 0), `${context}: stock_pending of ${ITEM}`).toBe(sales.length);

    return {
      sales: sales.length,
      lastSeq: end?.seq ?? 0,
      invoices: new Set(sales.map((s) => s.invoice_no ?? '')),
    };
  } finally {
    db.close();
  }
}

const headJsonSeq = (dir: string): number =>
  (JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { seq: number }).seq;

describe('kill -9 while selling', () => {
  let dir = '';
  beforeAll(async () => {
    const t = await makeTemplate({ items: 60 });
    dir = t.copy();
  }, 60_000);

  it('never leaves half a sale, and the journal still verifies', async () => {
    const dbPath = join(dir, 'store.db');
    let before = checkInvariants(dbPath, 'before any kill');
    expect(before.sales).toBe(0);
    let lagging = 0;
    let unreported = 0;
    const log: string[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const killAfterMs = 50 + Math.floor(Math.random() * 350);
      const r = await runRound(dir, killAfterMs);
      const context = `round ${round} (killed ${killAfterMs} ms after the start of selling)`;
      expect(r.signal, `${context}\n${r.stderr}`).toBe('SIGKILL');

      // Verify the store exactly as the kill left it (WAL and all). head.json may be behind.
      const v = await cli(['verify', '--data', dir]);
      expect(v.code, `${context}: outpost verify\n${v.out}${v.err}`).toBe(0);
      expect(v.out, context).toMatch(/^OK: /);
      expect(v.err, context).toBe('');

      const after = checkInvariants(dbPath, context);
      // Everything the child saw committed is there (durable), and sales only ever accrue.
      for (const no of r.reported) expect(after.invoices.has(no), `${context}: ${no}`).toBe(true);
      expect(after.sales, context).toBeGreaterThanOrEqual(before.sales + r.reported.length);
      expect(after.sales - before.sales, context).toBeLessThanOrEqual(r.reported.length + 1);

      const headSeq = headJsonSeq(dir);
      expect(headSeq, context).toBeLessThanOrEqual(after.lastSeq);
      if (headSeq < after.lastSeq) lagging += 1;
      if (after.sales > before.sales + r.reported.length) unreported += 1;
      log.push(
        `${context}: +${after.sales - before.sales} sales (${r.reported.length} reported), head.json ${headSeq}/${after.lastSeq}`,
      );
      before = after;
    }
    console.info(
      `${log.join('\n')}\nkills after a commit but before its report: ${unreported}; head.json behind: ${lagging}`,
    );
    expect(before.sales, 'the child sold something between kills').toBeGreaterThan(0);

    // The till carries on: the next number follows on, and head.json catches up.
    const next = await cliJson<{ invoice_no: string; seq: number }>(sellArgs(dir, '--item', ITEM));
    expect(Number(next.invoice_no.slice(-6))).toBe(before.sales + 1);
    expect(next.seq).toBe(before.lastSeq + 1);
    const final = checkInvariants(dbPath, 'after the last kill and one more sale');
    expect(final.sales).toBe(before.sales + 1);
    expect(headJsonSeq(dir)).toBe(final.lastSeq);
    const v = await cli(['verify', '--data', dir]);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toContain(`OK: ${final.lastSeq} records, head seq ${final.lastSeq} `);
  }, 90_000);
});
