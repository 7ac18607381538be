import type { MessagePort } from 'node:worker_threads';
import type { RowPlan } from '../bulk.js';
import { appendRows } from '../bulk.js';
import type { FlatValue } from '../db-rows.js';
import { demoSeed, type DemoSeedOptions } from './demo.js';

/**
 * Everything generating the demo seed's stored rows needs, as plain (structured-cloneable)
 * data, so that it can run in a worker thread while another thread writes: the generator's
 * options, each table's shaping plan (new_doc defaults, read from the site), and the names the
 * site already holds per doctype (lower-cased: the name column compares case-insensitively).
 */
export interface SeedJob {
  readonly opts: DemoSeedOptions;
  readonly plans: Readonly<Record<string, RowPlan>>;
  readonly held: Readonly<Record<string, readonly string[]>>;
  /** Rows per `rows` message. */
  readonly batchRows: number;
}

/** What the generator sends: batches of flat rows (`FLAT_ROW_WIDTH` values each), then a summary. */
export type SeedMessage =
  | { readonly kind: 'rows'; readonly values: FlatValue[] }
  | {
      readonly kind: 'done';
      /** Documents per doctype (records the site already held are skipped). */
      readonly counts: Record<string, number>;
      /** The highest number each seeded `PREFIX0007` name carries, by prefix. */
      readonly series: [prefix: string, current: number][];
    }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string };

/** What `seed-worker.ts` is started with. */
export interface SeedWorkerData {
  readonly job: SeedJob;
  readonly port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [batches posted, batches taken]. */
  readonly progress: Int32Array;
  /** How many batches the worker may post beyond those taken. */
  readonly ahead: number;
}

/** Indexes into `SeedWorkerData.progress`. */
export const POSTED = 0;
export const TAKEN = 1;

/**
 * The demo seed's stored rows in insertion order (table by table, each document followed by
 * its child rows), `batchRows` rows per message, skipping names the site already holds; last a
 * `done` message. The same whether it runs in a worker thread or inline.
 */
export function* seedMessages(job: SeedJob): Generator<SeedMessage> {
  const counts: Record<string, number> = {};
  const series = new Map<string, number>();
  let values: FlatValue[] = [];
  let rows = 0;
  for (const table of demoSeed(job.opts)) {
    const plan = job.plans[table.doctype];
    if (!plan) throw new Error(`seed: no row plan for ${table.doctype}`);
    const held = new Set(job.held[table.doctype] ?? []);
    let docs = 0;
    for (const doc of table.records) {
      if (held.has(doc.name.toLowerCase())) continue;
      // Seeded names like PRLE-0007 bypass the naming series: the loader moves each counter
      // past them so the next document named by the site does not collide.
      const m = /^(.*?)(\d+)$/.exec(doc.name);
      if (m?.[1]) series.set(m[1], Math.max(series.get(m[1]) ?? 0, Number(m[2])));
      rows += appendRows(
        plan,
        doc.doctype === table.doctype ? doc : { ...doc, doctype: table.doctype },
        values,
      );
      docs++;
      if (rows >= job.batchRows) {
        yield { kind: 'rows', values };
        values = [];
        rows = 0;
      }
    }
    counts[table.doctype] = (counts[table.doctype] ?? 0) + docs;
  }
  if (rows > 0) yield { kind: 'rows', values };
  yield { kind: 'done', counts, series: [...series] };
}
