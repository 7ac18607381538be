import type { Db } from '../store/db.js';
import { pushCounts } from '../store/push-status.js';

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
  o: { now: number; connectivity: string; errors: ErrorCounts },
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
  return `${lines.join('\n')}\n`;
}
