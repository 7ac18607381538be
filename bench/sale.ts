/**
 * Sale commit (issue 5): sets up a store from the in-process simulator (first pull, a cashier,
 * an open shift), then in one run on one disk measures
 *
 *  1. the raw fsync-commit rate: a bare better-sqlite3 database next to the store, same pragmas
 *     (WAL, synchronous=FULL), one small INSERT per IMMEDIATE transaction;
 *  2. the raw head-file rate: write a small temp file, fsync, rename (what head.json costs);
 *  3. N sales of 1–5 random catalog lines, exact cash, through `sell()` as the till does, with
 *     `term.transact` wrapped (in this process only; src is unchanged) to split each sale into
 *     prepare (quotes, checks) / BEGIN / body (number, signed record, rows) / COMMIT (WAL fsync)
 *     / head.json advance (sign, rewrite the file in place; no fsync, the head is kept in memory);
 *  4. what-if (bench only, labelled so): the same sales with the head.json advance coalesced to
 *     one write per block, i.e. taken off each sale — what a deferred head writer would give;
 *  5. the storage floor of a sale: on a copy of the store (same schema, indexes and triggers),
 *     the rows of a real sale written again with no JavaScript work at all (the journal record's
 *     stored text reused, new seq/uuid/hash/number), one transaction per sale — what the disk
 *     and SQLite alone allow one till, whatever the code above them does.
 *
 * All of these run in interleaved blocks, so each sees the same background load.
 *
 * The PIN is checked once (scrypt) outside the measured loop; the Cashier is reused.
 *
 *   node --import tsx bench/sale.ts [N=2000]
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { run } from '../src/cli/run.js';
import { keyMap, openTill, readPublicKeys } from '../src/cli/till.js';
import { readHeadFile, signHead } from '../src/journal/index.js';
import { authenticate, sell, PosError, type CartLine, type Tx } from '../src/pos/index.js';
import { createApp } from '../src/sim/app.js';
import { systemClock } from '../src/sim/clock.js';
import { SimDb } from '../src/sim/db.js';
import { seededRandom } from '../src/sim/faults.js';
import { seedEmpty } from '../src/sim/seed-empty.js';
import { loadDemoSeed } from '../src/sim/seed/load.js';
import { listen } from '../src/sim/server.js';

const N = Number(process.argv[2] ?? 2000);
const ITEMS = 1000;
const BLOCKS = 10;
const KEY = 'outpost-bench-key';
const SECRET = 'outpost-bench-secret';
const PROFILE = 'Store North - Till 1';
const CASHIER = { id: 'alice', name: 'Alice Martin', pin: '1234' };

const now = () => performance.now();
const sh = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return '(unavailable)';
  }
};

/** Nearest-rank percentile of ms samples. */
function pct(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
}
const ms = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;

interface Stat {
  samples: number[];
  seconds: number;
}
const newStat = (): Stat => ({ samples: [], seconds: 0 });
const rateOf = (s: Stat) => s.samples.length / s.seconds;

async function cli(args: string[]): Promise<string> {
  let out = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  if (code !== 0) throw new Error(`outpost ${args.join(' ')} → ${code}\n${out}`);
  return out;
}

/** The fixture's store: simulator in process, `outpost init`, cashier, open shift. */
async function setUp(dir: string): Promise<void> {
  const db = SimDb.open(':memory:');
  seedEmpty(db, systemClock, { timeZone: 'America/New_York', apiKey: KEY, apiSecret: SECRET });
  const app = createApp({ db, clock: systemClock, config: { timeZone: 'America/New_York' } });
  loadDemoSeed(app, { items: ITEMS, customers: 40 });
  const { server, port } = await listen(app, 0);
  try {
    await cli([
      'init',
      '--data',
      dir,
      '--erpnext',
      `http://127.0.0.1:${port}`,
      '--api-key',
      KEY,
      '--api-secret',
      SECRET,
      '--pos-profile',
      PROFILE,
    ]);
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  await cli([
    'cashier',
    'add',
    '--data',
    dir,
    '--id',
    CASHIER.id,
    '--name',
    CASHIER.name,
    '--pin',
    CASHIER.pin,
    '--role',
    'cashier',
  ]);
  await cli([
    'shift',
    'open',
    '--data',
    dir,
    '--cashier',
    CASHIER.id,
    '--pin',
    CASHIER.pin,
    '--float',
    'Cash:100',
  ]);
}

/** Bare WAL + synchronous=FULL commits of one small row each: the disk's commit rate. */
function rawCommitter(path: string): { run(n: number, into: Stat): void; close(): void } {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = db.transaction((v: string) => insert.run(v));
  for (let i = 0; i < 50; i++) tx.immediate(`warm ${i}`);
  let k = 0;
  return {
    run(n, into) {
      const t0 = now();
      for (let i = 0; i < n; i++) {
        const t = now();
        tx.immediate(`row ${k++} ${t}`);
        into.samples.push(now() - t);
      }
      into.seconds += (now() - t0) / 1000;
    },
    close: () => db.close(),
  };
}

/**
 * A real sale's write set replayed on a copy of the store: journal record (its stored header and
 * body reused, fresh seq/uuid/hash/number so the triggers accept it), sale index row, outbox row,
 * series counter, stock_pending rows; one IMMEDIATE transaction (WAL, synchronous=FULL) each.
 */
function saleRowsCommitter(
  path: string,
  templateSeq: number,
): { run(n: number, into: Stat): void; close(): void } {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const rec = db.prepare('SELECT * FROM journal WHERE seq = ?').get(templateSeq) as Record<
    string,
    unknown
  >;
  const saleRow = db.prepare('SELECT * FROM sale WHERE seq = ?').get(templateSeq) as Record<
    string,
    unknown
  >;
  const outboxRow = db.prepare('SELECT * FROM outbox WHERE seq = ?').get(templateSeq) as Record<
    string,
    unknown
  >;
  const lines = (
    JSON.parse(String(rec['body'])) as { invoice: { items: { item_code: string }[] } }
  ).invoice.items.map((i) => i.item_code);
  const head = db.prepare('SELECT last_seq, last_hash FROM journal_head WHERE terminal = ?');
  const journal = db.prepare(
    `INSERT INTO journal (seq, type, terminal, chain_seq, key_id, uuid, invoice_no, created_at, header,
       body, body_hash, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The store's sequence, while a terminal's chain counts its own records (chain_seq).
  const lastSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM journal').pluck();
  const sale = db.prepare(
    `INSERT INTO sale (seq, invoice_no, uuid, kind, shift_id, against, customer, grand_total, created_at)
     VALUES (?, ?, ?, 'sale', ?, NULL, ?, ?, ?)`,
  );
  const outbox = db.prepare(
    'INSERT INTO outbox (uuid, seq, doctype, invoice_no, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const series = db.prepare(
    "INSERT INTO invoice_series (prefix, last_no) VALUES ('REPLAY-', 1) ON CONFLICT (prefix) DO UPDATE SET last_no = last_no + 1",
  );
  const stock = db.prepare(
    `INSERT INTO stock_pending (item_code, warehouse, qty) VALUES (?, 'bench', '1')
     ON CONFLICT (item_code, warehouse) DO UPDATE SET qty = qty + 1`,
  );
  const terminal = String(rec['terminal']);
  let k = 0;
  const one = db.transaction(() => {
    const h = head.get(terminal) as { last_seq: number; last_hash: string };
    const seq = (lastSeq.get() as number) + 1;
    const tag = `${process.pid}-${k++}`;
    const uuid = `replay-${tag}`;
    const invoiceNo = `REPLAY-${tag}`;
    const hash = `${String(rec['hash']).slice(0, 40)}${tag.padStart(24, '0')}`;
    journal.run(
      seq,
      rec['type'],
      terminal,
      h.last_seq + 1,
      rec['key_id'],
      uuid,
      invoiceNo,
      rec['created_at'],
      rec['header'],
      rec['body'],
      rec['body_hash'],
      h.last_hash,
      hash,
      rec['signature'],
    );
    sale.run(
      seq,
      invoiceNo,
      uuid,
      saleRow['shift_id'],
      saleRow['customer'],
      saleRow['grand_total'],
      saleRow['created_at'],
    );
    outbox.run(uuid, seq, outboxRow['doctype'], invoiceNo, outboxRow['payload'], rec['created_at']);
    series.run();
    for (const item of lines) stock.run(item);
  });
  return {
    run(n, into) {
      const t0 = now();
      for (let i = 0; i < n; i++) {
        const t = now();
        one.immediate();
        into.samples.push(now() - t);
      }
      into.seconds += (now() - t0) / 1000;
    },
    close: () => db.close(),
  };
}

/** A head.json-sized file written to a temp name, fsynced and renamed over, n times. */
function rawFileSyncs(dir: string, n: number, into: Stat): void {
  const target = join(dir, 'raw-head.json');
  const body = `${JSON.stringify({ kind: 'x', seq: 0, hash: 'f'.repeat(64), sig: 'a'.repeat(88) }, null, 2)}\n`;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    const temp = join(dir, `.raw-${i}.tmp`);
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    into.samples.push(now() - t);
  }
  into.seconds += (now() - t0) / 1000;
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'outpost-bench-sale-'));
  const dir = join(base, 'store');
  console.log(`bench/sale.ts  N=${N}  ${new Date().toISOString()}`);
  console.log(`dir: ${dir}`);
  console.log(`filesystem: ${sh('df', ['-T', base]).split('\n').slice(-1)[0] ?? ''}`);
  console.log(`cpu: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}`);
  console.log(`uptime (start): ${sh('uptime', [])}`);

  const tSetup = now();
  await setUp(dir);
  console.log(
    `setup (simulator ${ITEMS} items, init, cashier, shift): ${((now() - tSetup) / 1000).toFixed(1)} s`,
  );

  const till = openTill(dir);
  const term = till.term;
  const sqlite = till.db.prepare('SELECT sqlite_version()').pluck().get() as string;
  // The PIN (scrypt) once, outside the measured loop.
  const cashier = authenticate(term, CASHIER.id, CASHIER.pin);

  // Instrument the one write path, in this process: src is not changed.
  let tBegin = 0;
  let tBodyEnd = 0;
  let tHead0 = 0;
  let tHead1 = 0;
  const hooked = term as unknown as { advanceHead(record: unknown): void };
  const advanceHead = hooked.advanceHead.bind(term);
  // What-if (bench only): the head advance taken off the sale, coalesced to one write per block.
  let deferHead = false;
  let pendingHead: unknown = null;
  hooked.advanceHead = (record) => {
    if (deferHead) {
      pendingHead = record;
      return;
    }
    tHead0 = now();
    advanceHead(record);
    tHead1 = now();
  };
  const transact = term.transact.bind(term);
  const phase = {
    begin: [] as number[],
    body: [] as number[],
    commit: [] as number[],
    head: [] as number[],
    txn: [] as number[],
  };
  const deferredTxn: number[] = [];
  let measuring = false;
  term.transact = <T>(fn: (tx: Tx) => T): T => {
    const t0 = now();
    tHead0 = tHead1 = 0;
    const result = transact((tx) => {
      tBegin = now();
      try {
        return fn(tx);
      } finally {
        tBodyEnd = now();
      }
    });
    const t1 = now();
    if (measuring && deferHead) {
      deferredTxn.push(t1 - t0);
    } else if (measuring) {
      const committed = tHead0 || t1;
      phase.begin.push(tBegin - t0);
      phase.body.push(tBodyEnd - tBegin);
      phase.commit.push(committed - tBodyEnd);
      phase.head.push(tHead1 - tHead0);
      phase.txn.push(t1 - t0);
    }
    return result;
  };

  // The catalog: enabled, sellable items of the store. Each is sold once alone as warm-up, which
  // also drops any the engine refuses (so the measured loop has no refusals).
  const candidates = till.db
    .prepare('SELECT item_code FROM item WHERE disabled = 0 AND has_variants = 0 LIMIT 200')
    .pluck()
    .all() as string[];
  const catalog: string[] = [];
  for (const code of candidates) {
    try {
      sell(term, { cashier, lines: [{ item_code: code }] });
      catalog.push(code);
    } catch (e) {
      if (!(e instanceof PosError)) throw e;
    }
  }
  console.log(`catalog: ${catalog.length} of ${candidates.length} items sell (warm-up sales done)`);
  if (catalog.length === 0) throw new Error('no sellable item');

  const rand = seededRandom(5);
  const cart = (): CartLine[] =>
    Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ({
      item_code: catalog[Math.floor(rand() * catalog.length)] as string,
      qty: String(1 + Math.floor(rand() * 3)),
    }));
  const carts = Array.from({ length: N }, cart);
  const whatIfCarts = Array.from({ length: N }, cart);

  let refused = 0;
  /** Sells `list` back to back; end-to-end times into `into`. */
  const saleBlock = (list: readonly CartLine[][], into: Stat): number => {
    const n0 = into.samples.length;
    const s0 = into.seconds;
    measuring = true;
    const t0 = now();
    for (const lines of list) {
      const t = now();
      try {
        sell(term, { cashier, lines });
      } catch (e) {
        if (!(e instanceof PosError)) throw e;
        refused++;
        continue;
      }
      into.samples.push(now() - t);
    }
    into.seconds += (now() - t0) / 1000;
    measuring = false;
    return (into.samples.length - n0) / (into.seconds - s0);
  };

  // Interleaved blocks (raw commits, sales, what-if sales, raw file fsyncs) so that all see the
  // same background load on this shared machine.
  const raw = rawCommitter(join(base, 'raw.db'));
  const rawStat = newStat();
  // The storage floor: a copy of the store after the warm-up sales, replaying the last one.
  const lastSale = till.db
    .prepare("SELECT max(seq) FROM sale WHERE kind = 'sale'")
    .pluck()
    .get() as number;
  const replayPath = join(base, 'replay.db');
  till.db.exec(`VACUUM INTO '${replayPath.replaceAll("'", "''")}'`);
  const replay = saleRowsCommitter(replayPath, lastSale);
  const replayStat = newStat();
  const fileStat = newStat();
  const sales = newStat();
  const whatIf = newStat();
  const blockRates: string[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const from = Math.floor((b * N) / BLOCKS);
    const to = Math.floor(((b + 1) * N) / BLOCKS);
    const r0 = rawStat.samples.length;
    const rs = rawStat.seconds;
    raw.run(to - from, rawStat);
    replay.run(to - from, replayStat);
    const sr = saleBlock(carts.slice(from, to), sales);
    deferHead = true;
    const wr = saleBlock(whatIfCarts.slice(from, to), whatIf);
    deferHead = false;
    if (pendingHead) hooked.advanceHead(pendingHead);
    pendingHead = null;
    rawFileSyncs(base, to - from, fileStat);
    const rr = (rawStat.samples.length - r0) / (rawStat.seconds - rs);
    blockRates.push(`${sr.toFixed(0)}/${wr.toFixed(0)}/${rr.toFixed(0)}`);
  }
  raw.close();
  replay.close();

  // The CPU part of the head advance: signing it (the old head is not re-read: kept in memory).
  const headPath = join(dir, 'head.json');
  const keys = keyMap(readPublicKeys(dir));
  const headNow = readHeadFile(headPath, keys);
  const signVerify: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = now();
    signHead(term.key, { seq: headNow.seq, hash: headNow.hash });
    signVerify.push(now() - t);
  }
  const walBytes = (() => {
    try {
      return statSync(join(dir, 'store.db-wal')).size;
    } catch {
      return 0;
    }
  })();
  till.close();

  const endToEnd = sales.samples;
  const salesPerSec = rateOf(sales);
  const rawRate = rateOf(rawStat);
  const { txn, head } = phase;
  const prepare = endToEnd.map((e, i) => e - (txn[i] ?? 0));
  const lineCount = carts.reduce((a, c) => a + c.length, 0);
  const commitP99 = pct(txn, 0.99);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const p = (a: readonly number[]) => `p50 ${ms(pct(a, 0.5))} / p99 ${ms(pct(a, 0.99))}`;
  const pm = (a: readonly number[]) => `${p(a)} (mean ${ms(mean(a))})`;

  const rows: [string, string, string][] = [
    [
      'raw commit: bare WAL + synchronous=FULL, 1 INSERT per txn',
      `${rawRate.toFixed(0)} commits/s; ${p(rawStat.samples)}`,
      '–',
    ],
    [
      "storage floor: a sale's rows on a copy of the store, no JS work, 1 txn each",
      `${rateOf(replayStat).toFixed(0)} commits/s = ${(rateOf(replayStat) / rawRate).toFixed(2)} × raw; ${p(replayStat.samples)}`,
      '–',
    ],
    [
      'raw file write + fsync + rename (head.json-sized)',
      `${rateOf(fileStat).toFixed(0)} /s; ${p(fileStat.samples)}`,
      '–',
    ],
    [
      'sale commit: transact() = BEGIN…COMMIT + head.json',
      pm(txn),
      `p99 ≤ 10 ms ${commitP99 <= 10 ? '✅' : '❌'}`,
    ],
    ['  body: number, signed record, sale/outbox/stock/loyalty rows', pm(phase.body), ''],
    ['  COMMIT (WAL fsync)', pm(phase.commit), ''],
    ['  head.json advance (sign, rewrite in place; no fsync)', pm(head), ''],
    ['    of which signing (no I/O)', pm(signVerify), ''],
    ['  BEGIN IMMEDIATE', p(phase.begin), ''],
    ['sale prepare: 2 quotes, customer, checks (before transact)', pm(prepare), ''],
    ['sale end to end: sell()', pm(endToEnd), ''],
    [
      `sustained: ${endToEnd.length} sales (${lineCount} lines), ${refused} refused`,
      `${salesPerSec.toFixed(0)} sales/s`,
      '',
    ],
    [
      'sales/s ÷ raw commits/s',
      salesPerSec / rawRate < 0.01 ? 'n/a' : (salesPerSec / rawRate).toFixed(2),
      `≥ 0.5 ${salesPerSec / rawRate >= 0.5 ? '✅' : '❌'}`,
    ],
    [
      `what-if, head.json once per ${Math.round(N / BLOCKS)} sales: transact()`,
      pm(deferredTxn),
      `p99 ≤ 10 ms ${pct(deferredTxn, 0.99) <= 10 ? '✅' : '❌'}`,
    ],
    ['what-if: sell() end to end', pm(whatIf.samples), ''],
    [
      'what-if: sustained',
      `${rateOf(whatIf).toFixed(0)} sales/s = ${(rateOf(whatIf) / rawRate).toFixed(2)} × raw`,
      `≥ 0.5 ${rateOf(whatIf) / rawRate >= 0.5 ? '✅' : '❌'}`,
    ],
  ];
  const share = (x: number[]) => `${((100 * mean(x)) / mean(endToEnd)).toFixed(0)}%`;

  console.log('');
  console.log(`uptime (end): ${sh('uptime', [])}`);
  console.log(`date -u: ${sh('date', ['-u'])}; load avg ${load}; SQLite ${sqlite}`);
  console.log(`store WAL at end: ${(walBytes / 1024).toFixed(0)} KiB`);
  console.log(`per block sales/s / what-if sales/s / raw commits/s: ${blockRates.join('  ')}`);
  const w = ([0, 1] as const).map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) {
    console.log(`${r[0].padEnd(w[0] ?? 0)} | ${r[1].padEnd(w[1] ?? 0)} | ${r[2]}`);
  }
  console.log(
    `\nshare of mean sale time: prepare ${share(prepare)}, body ${share(phase.body)}, COMMIT ${share(phase.commit)}, head.json ${share(head)}`,
  );
}

await main();
