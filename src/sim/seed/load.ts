import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SimApp } from '../app.js';
import { rowPlan, type RowPlan } from '../bulk.js';
import type { FlatValue } from '../db-rows.js';
import { dbSet, getDoc } from '../document.js';
import { demoSeed, type DemoSeedOptions } from './demo.js';
import { DEMO_TAX_ID, companyAccountDefaults } from './org.js';
import {
  POSTED,
  seedMessages,
  TAKEN,
  type SeedJob,
  type SeedMessage,
  type SeedWorkerData,
} from './stream.js';

interface LoadedSeed {
  /** Documents inserted per doctype (records that `--seed empty` already held are kept). */
  readonly counts: Record<string, number>;
  readonly seconds: number;
}

interface LoadOptions extends Omit<DemoSeedOptions, 'now'> {
  /**
   * Generate and shape the rows in a worker thread while this thread writes them (default:
   * from 20,000 items on, where it pays for the worker's start-up).
   */
  readonly worker?: boolean;
}

/**
 * Rows per batch handed from the generator to the writer, and batches it may run ahead. Small
 * batches die young: both threads' collectors then sweep them cheaply, where 20,000-row batches
 * outlived their scavenges and cost a quarter of each thread's time (at 100,000 items: 28.5 s
 * of CPU with 20,000, 15.9 s with 1,000). The generator runs ahead by up to 64 of them (~40 MB):
 * Items are costlier to shape than to write and prices and bins the reverse, so the slack lets
 * each thread work through the other's slow stretch (1M items: 115 s with 4 ahead, 99 s with 64).
 */
const BATCH_ROWS = 1000;
const AHEAD = 64;
/** Rows per write transaction. */
const TRANSACTION_ROWS = 200_000;
/** A worker that posts nothing for this long is taken for dead (it cannot be awaited here). */
const STALL_MS = 120_000;

/**
 * Loads the demo company into a site that already holds `--seed empty`: stream each doctype's
 * records straight into storage (no per-document validation, as Data Import does at scale),
 * skipping names the site already has, then set the company's default accounts.
 *
 * Generating and shaping the rows (about as much work as writing them) runs in a worker thread
 * for big catalogs, so that it overlaps the SQLite writes on this thread; the rows, and their
 * order, are the same either way.
 */
export function loadDemoSeed(app: SimApp, opts: LoadOptions = {}): LoadedSeed {
  const started = performance.now();
  const ctx = app.contextFor('Administrator');
  const { worker, ...seedOpts } = opts;
  const now = app.time.stamp();
  const doctypes = demoSeed({ ...seedOpts, now }).map((t) => t.doctype);
  const plans: Record<string, RowPlan> = {};
  const held: Record<string, string[]> = {};
  for (const doctype of doctypes) {
    // The names the site holds already, read once per table (not one look-up per record: at a
    // million items those add up); lower-cased as the NOCASE name column compares them.
    held[doctype] = app.db.names(doctype).map((n) => n.toLowerCase());
    plans[doctype] = rowPlan(ctx, doctype);
  }
  const job: SeedJob = { opts: { ...seedOpts, now }, plans, held, batchRows: BATCH_ROWS };
  const threaded = worker ?? (seedOpts.items ?? 0) >= 20_000;
  let summary: Extract<SeedMessage, { kind: 'done' }> | undefined;
  function* batches(): Generator<FlatValue[]> {
    for (const m of threaded ? fromWorker(job) : seedMessages(job)) {
      if (m.kind === 'error') throw new Error(`demo seed: ${m.message}`);
      if (m.kind === 'done') summary = m;
      else yield m.values;
    }
  }
  app.db.bulkInsertFlat(batches(), TRANSACTION_ROWS);
  if (!summary) throw new Error('demo seed: the generator stopped before its end');
  const { counts, series } = summary;
  // Seeded names like PRLE-0007 bypass the naming series: move each counter past them so the
  // next document named by the site does not collide (Frappe's tabSeries after a Data Import).
  app.db.transaction(() => {
    for (const [prefix, n] of series) {
      if (app.db.currentSeries(prefix) < n) app.db.setSeries(prefix, n);
    }
  });
  const company = app.db.exists('Company', 'Outpost Demo Retail')
    ? getDoc(ctx, 'Company', 'Outpost Demo Retail')
    : null;
  if (company)
    app.db.transaction(() =>
      dbSet(ctx, 'Company', company, { ...companyAccountDefaults(), tax_id: DEMO_TAX_ID }),
    );
  return { counts, seconds: (performance.now() - started) / 1000 };
}

/**
 * `seedMessages(job)` run by `seed-worker` in a worker thread, received synchronously (the
 * load is synchronous: this thread is busy writing and never returns to its event loop).
 */
function* fromWorker(job: SeedJob): Generator<SeedMessage> {
  const { port1, port2 } = new MessageChannel();
  const progress = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const data: SeedWorkerData = { job, port: port2, progress, ahead: AHEAD };
  const [entry, how] = workerEntry();
  const thread = new Worker(entry, { ...how, workerData: data, transferList: [port2] });
  // Errors inside the generator arrive as messages; one that kills the worker outright (say, at
  // start-up) could only be heard on this thread's event loop, which the load blocks: it shows
  // as a stall below, and the event, delivered later, must not crash the process.
  thread.on('error', () => undefined);
  let taken = 0;
  try {
    for (;;) {
      const got = receiveMessageOnPort(port1);
      if (got === undefined) {
        if (Atomics.wait(progress, POSTED, taken, STALL_MS) === 'timed-out') {
          throw new Error(`demo seed: the worker sent nothing for ${STALL_MS / 1000} s`);
        }
        continue;
      }
      Atomics.store(progress, TAKEN, ++taken);
      Atomics.notify(progress, TAKEN);
      const m = got.message as SeedMessage;
      yield m;
      if (m.kind !== 'rows') return;
    }
  } finally {
    port1.close();
    void thread.terminate();
  }
}

/**
 * The worker's module, next to this one: `seed-worker.js` in dist/; from TypeScript source
 * (tsx, vitest) `seed-worker.ts`, imported after registering tsx's loader in the worker (under
 * Node 20 a worker's entry does not go through the hooks `--import tsx` registered).
 */
function workerEntry(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./seed-worker.js', import.meta.url), {}];
  // tsx's ESM API by its path (`tsx/esm/api` would resolve to its CommonJS build here).
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx'));
  const tsx = new URL('./esm/api/index.mjs', loader).href;
  const entry = new URL('./seed-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return [code, { eval: true }];
}
