import { UnreachableError } from '../erpnext/errors.js';
import { lastPush, pushCounts, recordPushRun, type PushCounts } from '../store/push-status.js';
import type { ErpClient } from '../erpnext/client.js';
import { forcedOfflineUntil } from '../store/connectivity-state.js';
import { markedTerminals, refreshHighWaters } from '../sync/anchor.js';
import { terminalState } from '../store/docs.js';
import { Puller } from '../sync/pull.js';
import type { CycleResult } from '../sync/push/cycle.js';
import type { Io } from './command.js';
import { readStoreConfig } from './config.js';
import { Exit } from './errors.js';
import { progressBar } from './progress.js';
import { pushCycleOf } from './push-setup.js';
import { erpClient, openContext } from './store-context.js';
import { openTill } from './till.js';
import type { Db } from '../store/db.js';

/** How long `--once` waits for ERPNext to consolidate a submitted closing. */
const CLOSING_WAIT_MS = 60_000;

export interface SyncWhat {
  readonly pull: boolean;
  readonly push: boolean;
}

/**
 * One full cycle (`outpost sync --once`): customers, then documents, then the pull. Prints what
 * went and what is left; exit 0 when nothing retryable is left, 5 while something is (a backoff,
 * a closing still consolidating, a customer not yet pushed), 4 when ERPNext does not answer.
 * What waits only on the review queue does not make it fail: a person must act there.
 */
export async function syncOnce(dir: string, what: SyncWhat, io: Io, json: boolean) {
  const config = readStoreConfig(dir);
  const erp = erpClient(dir);
  let offline: string | null = null;
  try {
    await erpClient(dir, 3_000).ping();
  } catch (e) {
    // ERPNext answered, if with an error (a 502 from its proxy, a 429): the cycle meets it
    // again and classifies it, per document.
    if (e instanceof UnreachableError) offline = e.message;
  }
  // A pull alone needs no till (nor its signing key): the store database is enough.
  const till = what.push ? openTill(dir) : null;
  const db: Db = till ? till.db : openContext(dir).db;
  try {
    // A manager forced the till offline: nothing is pulled or pushed until it is lifted.
    const forced = forcedOfflineUntil(db);
    if (forced !== null && forced > Date.now()) {
      offline = `forced offline by a manager until ${new Date(forced).toISOString()} (outpost terminal offline --hours 0 lifts it)`;
    }
    let cycle: CycleResult | null = null;
    let pulled: Awaited<ReturnType<Puller['run']>> | null = null;
    const at = new Date().toISOString();
    if (offline === null && till) {
      cycle = await pushCycleOf(dir, till, config, erp, {
        log: (line) => io.stderr(`${line}\n`),
      }).run({ queuedWaitMs: CLOSING_WAIT_MS });
      recordPushRun(db, {
        at,
        result: cycle.retryable ? 'pending' : 'ok',
        pushed: cycle.pushed.length + cycle.customers.pushed + cycle.customers.matched,
        rejected: cycle.rejected.length + cycle.customers.review,
        error: cycle.retryError,
      });
    } else if (what.push) {
      recordPushRun(db, { at, result: 'offline', pushed: 0, rejected: 0, error: offline });
    }
    if (offline === null && what.pull) {
      try {
        pulled = await new Puller(db, erp, {
          posProfile: config.pos_profile,
          onProgress: progressBar((s) => io.stderr(s), Boolean(process.stderr.isTTY)),
        }).run();
      } catch (e) {
        if (!(e instanceof UnreachableError)) throw e;
        offline = e.message;
      }
    }
    // The store id of the invoice series tells this store's terminals from another's of the
    // same name in ERPNext; a store that never numbered a sale has it fixed at its first one.
    const store = till
      ? till.term.settings.storeId
      : (config.store ?? terminalState(db, 'store_id'));
    if (offline === null && store !== undefined) {
      await askHighWater(db, erp, config.terminal, at, store, io);
    }
    const left = pushCounts(db);
    const report = {
      online: offline === null,
      ...(offline === null ? {} : { offline_reason: offline }),
      posting_mode: config.posting_mode,
      pushed: what.push ? pushedOf(cycle) : null,
      pulled,
      left: {
        ...left,
        blocked: cycle?.blocked ?? 0,
        closings_consolidating: cycle?.queued ?? 0,
        retry_at: cycle?.retryAt ? new Date(cycle.retryAt).toISOString() : null,
        retry_error: cycle?.retryError ?? null,
      },
      last_push: lastPush(db),
    };
    io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : text(report, left, what));
    if (offline !== null) {
      io.stderr(`outpost sync: ${offline}; everything stays queued, the store sells offline.\n`);
      return Exit.Offline;
    }
    return what.push && cycle?.retryable ? Exit.Pending : 0;
  } finally {
    if (till) till.close();
    else db.close();
  }
}

/** ERPNext's high-water mark of every terminal (`pos/chain.ts` stops selling behind it). */
async function askHighWater(
  db: Db,
  erp: ErpClient,
  terminal: string,
  at: string,
  store: string,
  io: Io,
) {
  for (const r of await refreshHighWaters(db, erp, markedTerminals(db, terminal), at, store)) {
    // Before `outpost erpnext-setup` ERPNext has no outpost fields to ask about.
    if (r.error) {
      io.stderr(
        `outpost sync: ERPNext's high-water mark of terminal ${r.terminal} not read: ${r.error.message}\n`,
      );
    }
  }
}

function pushedOf(cycle: CycleResult | null) {
  return {
    customers: cycle?.customers.pushed ?? 0,
    customers_matched: cycle?.customers.matched ?? 0,
    customers_to_review: cycle?.customers.review ?? 0,
    documents: (cycle?.pushed ?? []).map((p) => ({
      seq: p.seq,
      uuid: p.uuid,
      doctype: p.doctype,
      name: p.name,
    })),
    to_review: (cycle?.rejected ?? []).map((r) => ({ seq: r.seq, uuid: r.uuid, reason: r.reason })),
  };
}

function text(
  r: {
    online: boolean;
    pushed: ReturnType<typeof pushedOf> | null;
    pulled: { snapshot: number; deleted: number; counts: Record<string, number> } | null;
    left: { retry_at: string | null; retry_error: string | null };
  },
  left: PushCounts,
  what: SyncWhat,
): string {
  const lines: string[] = [];
  if (!r.online) lines.push('ERPNext does not answer: nothing was sent or pulled.');
  if (r.pushed && r.online) {
    const p = r.pushed;
    lines.push(
      `Pushed ${p.documents.length} document(s), ${p.customers} customer(s) (${p.customers_matched} matched to ERPNext's); ${p.to_review.length + p.customers_to_review} sent to review.`,
    );
  }
  if (r.pulled) {
    const changed = Object.values(r.pulled.counts).reduce((a, b) => a + b, 0);
    lines.push(
      `Pulled: snapshot ${r.pulled.snapshot}, ${changed} record(s) changed, ${r.pulled.deleted} deleted.`,
    );
  }
  if (what.push) {
    lines.push(
      `Left: ${left.pending} document(s) and ${left.customers_pending} customer(s) to push, ${left.in_review} in review (outpost review), ${left.conflicts} conflict(s).`,
    );
    if (r.left.retry_at) lines.push(`Next try at ${r.left.retry_at}: ${r.left.retry_error ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
