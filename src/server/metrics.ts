import type { Db } from '../store/db.js';
import { pushCounts } from '../store/push-status.js';
import type { CheckpointStats } from '../store/wal-checkpointer.js';

/** The states a connectivity gauge has a series for (src/sync/connectivity.ts). */
const STATES = ['unknown', 'online', 'offline', 'forced_offline'] as const;

/** Errors answered, by envelope kind: the one mutable figure; the rest is read from the store. */
export class ErrorCounts {
  private readonly byKind = new Map<string, number>();

  note(kind: string): void {
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  entries(): [string, number][] {
    return [...this.byKind.entries()].sort(([a], [b]) => a.localeCompare(b));
  }
}

/** A label value as Prometheus' text format wants it (backslash, quote, newline escaped). */
const label = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * `/metrics` in the Prometheus text exposition format (version 0.0.4): the till's records by
 * kind, the push's pending and rejected documents, the age of the last complete pull, where
 * connectivity stands, and the errors answered by kind.
 */
export function renderMetrics(
  db: Db,
  o: {
    now: number;
    connectivity: string;
    errors: ErrorCounts;
    /** How the sales' commits were made durable, and the WAL's checkpoints (the node's). */
    writes?: {
      readonly flushes: { readonly inline: number; readonly pooled: number };
      readonly checkpoints: CheckpointStats | undefined;
    };
  },
): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const kinds = db
    .prepare('SELECT kind, count(*) AS n FROM sale GROUP BY kind ORDER BY kind')
    .all() as { kind: string; n: number }[];
  metric(
    'outpost_sales_total',
    'counter',
    "Records of the till's sale index by kind (sale, return, training...).",
    kinds.map((k) => [`{kind="${label(k.kind)}"}`, k.n]),
  );
  const push = pushCounts(db);
  metric('outpost_push_pending', 'gauge', 'Outbox documents not yet in ERPNext (not in review).', [
    ['', push.pending],
  ]);
  metric(
    'outpost_push_rejected',
    'gauge',
    'Documents and customers ERPNext refused, waiting in review.',
    [['', push.in_review]],
  );
  const lastOk = db
    .prepare("SELECT value FROM meta WHERE key = 'last_pull_ok_at'")
    .pluck()
    .get() as string | undefined;
  const age = lastOk ? Math.max(0, Math.floor((o.now - Date.parse(lastOk)) / 1000)) : -1;
  metric(
    'outpost_pull_age_seconds',
    'gauge',
    'Seconds since the last complete pull from ERPNext (-1: never).',
    [['', age]],
  );
  metric(
    'outpost_connectivity',
    'gauge',
    'Whether ERPNext answers: 1 for the current state.',
    STATES.map((s) => [`{state="${s}"}`, s === o.connectivity ? 1 : 0]),
  );
  metric(
    'outpost_errors_total',
    'counter',
    'Error answers of the API by envelope kind.',
    o.errors.entries().map(([k, n]) => [`{kind="${label(k)}"}`, n]),
  );
  if (o.writes) writeMetrics(metric, o.writes);
  return `${lines.join('\n')}\n`;
}

type Metric = (name: string, type: string, help: string, samples: [string, number][]) => void;

/** The sales' group commits' syncs, and the WAL checkpoints off and on the event loop. */
function writeMetrics(
  metric: Metric,
  w: NonNullable<Parameters<typeof renderMetrics>[1]['writes']>,
) {
  metric(
    'outpost_commit_syncs_total',
    'counter',
    'Group commits made durable on the event loop (inline) or in the thread pool (pooled).',
    [
      ['{where="inline"}', w.flushes.inline],
      ['{where="pooled"}', w.flushes.pooled],
    ],
  );
  const c = w.checkpoints;
  if (!c) return;
  metric(
    'outpost_wal_checkpoints_total',
    'counter',
    "WAL checkpoints that copied pages: by the checkpointer's worker thread, or by the node's connection letting the WAL start again.",
    [
      ['{by="worker"}', c.worker],
      ['{by="node"}', c.own],
    ],
  );
  metric(
    'outpost_wal_checkpoint_node_max_seconds',
    'gauge',
    "The longest checkpoint on the node's connection (the event loop), seconds.",
    [['', c.ownMaxMs / 1000]],
  );
  metric('outpost_wal_checkpoint_errors_total', 'counter', 'WAL checkpoints that failed.', [
    ['', c.errors],
  ]);
}
