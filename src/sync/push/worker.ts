import type { PostingMode } from '../../erpnext/push-invoice.js';
import type { Db } from '../../store/db.js';
import { backoffMs } from './backoff.js';
import { insertBatch, type BatchDraft } from './batch.js';
import { classify, EntryError } from './classify.js';
import type { Outcome, PushContext } from './context.js';
import { pushInvoice, pushVoid } from './invoice.js';
import { PushJobs, type Job } from './jobs.js';
import { pushClosing, pushOpening } from './shift.js';
import {
  erpnextCustomers,
  systemPushClock,
  type CustomerResolver,
  type PushClient,
  type PushClock,
  type PushEntry,
  type PushSource,
} from './types.js';

export interface PushOptions {
  readonly db: Db;
  readonly client: PushClient;
  readonly source: PushSource;
  readonly mode: PostingMode;
  readonly customers?: CustomerResolver;
  readonly clock?: PushClock;
  /** How often a queued closing is looked at again (ms). */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export interface Pushed {
  readonly uuid: string;
  readonly seq: number;
  readonly doctype: string;
  readonly name: string;
}

/** What one pass through the stream did and left. */
export interface PassResult {
  readonly pushed: readonly Pushed[];
  /** Sent to the review queue in this pass. */
  readonly rejected: readonly { uuid: string; seq: number; reason: string }[];
  /** Waiting on a dependency in review or a customer not yet in ERPNext. */
  readonly blocked: number;
  /** Closings waiting for ERPNext's background consolidation. */
  readonly queued: number;
  /** Set when the stream stopped on a retryable failure: when to go on (epoch ms). */
  readonly retryAt: number | null;
  readonly retryError: string | null;
}

/**
 * The push: the terminal's outbox as one ordered stream towards ERPNext.
 *
 * Each pass walks the open jobs in journal order. A job whose dependency is not done waits
 * (a dependency in review blocks only its dependants); a rejection goes to the review queue
 * and the stream goes on; a retryable failure stops the stream there, to resume after a
 * bounded, jittered backoff, so documents reach ERPNext in the order they were signed.
 * No SQLite transaction is open while a request is out: each step commits on its own, and a
 * crash anywhere leaves a state the next pass resumes from (see push-schema.ts).
 */
export class PushWorker {
  private readonly jobs: PushJobs;
  private readonly clock: PushClock;
  private readonly log: (line: string) => void;

  constructor(private readonly o: PushOptions) {
    this.jobs = new PushJobs(o.db);
    this.clock = o.clock ?? systemPushClock;
    this.log = o.log ?? (() => {});
  }

  /** One pass over the open work. */
  async pass(): Promise<PassResult> {
    const pushed: Pushed[] = [];
    const rejected: { uuid: string; seq: number; reason: string }[] = [];
    let blocked = 0;
    let queued = 0;
    let user: Promise<string> | null = null;
    const ctx: PushContext = {
      jobs: this.jobs,
      client: this.o.client,
      source: this.o.source,
      mode: this.o.mode,
      customers: this.o.customers ?? erpnextCustomers,
      clock: this.clock,
      pollMs: this.o.pollMs ?? 2_000,
      user: () => (user ??= this.o.client.loggedUser()),
      stamp: () => new Date(this.clock.now()).toISOString(),
    };
    const open = this.jobs.open();
    let drafted = new Map<string, BatchDraft>();
    const batched = new Set<string>();
    for (const [i, job] of open.entries()) {
      const now = this.clock.now();
      if (job.state === 'queued' && job.nextAt > now) {
        queued++;
        continue;
      }
      if (job.nextAt > now) {
        return {
          pushed,
          rejected,
          blocked,
          queued,
          retryAt: job.nextAt,
          retryError: job.lastError,
        };
      }
      if (!drafted.has(job.uuid)) drafted = await insertBatch(ctx, open, i, now, batched);
      const draft = drafted.get(job.uuid);
      const attempts = draft
        ? (this.jobs.get(job.uuid)?.attempts ?? 1)
        : this.jobs.beginAttempt(job.uuid, ctx.stamp());
      let outcome: Outcome;
      try {
        outcome = await this.handle(ctx, { ...job, attempts }, draft);
      } catch (e) {
        const verdict = classify(e);
        if (verdict.kind === 'retryable') {
          const at = now + backoffMs(attempts, this.clock.random(), verdict.retryAfterMs);
          this.jobs.backoff(job.uuid, at, verdict.message, ctx.stamp());
          this.log(
            `push: seq ${job.seq} ${job.doctype}: ${verdict.message}; retry at ${new Date(at).toISOString()}`,
          );
          return { pushed, rejected, blocked, queued, retryAt: at, retryError: verdict.message };
        }
        const left = await this.withdrawDraft(job.uuid);
        this.jobs.toReview(
          job.uuid,
          {
            status: verdict.status,
            excType: verdict.excType,
            message: verdict.message,
            reason: `${verdict.reason}${left.note}`,
          },
          ctx.stamp(),
          left.deleted,
        );
        rejected.push({ uuid: job.uuid, seq: job.seq, reason: verdict.reason });
        this.log(`push: seq ${job.seq} ${job.doctype} rejected: ${verdict.message}`);
        continue;
      }
      switch (outcome.kind) {
        case 'done':
          pushed.push({
            uuid: job.uuid,
            seq: job.seq,
            doctype: outcome.doctype,
            name: outcome.name,
          });
          break;
        case 'queued':
          queued++;
          break;
        case 'blocked':
          blocked++;
          break;
        case 'wait':
          // An earlier job of the stream is not done and did not stop the pass: only one
          // queued or blocked can be in the way, which the counts above already show.
          break;
        case 'review':
          this.jobs.toReview(
            job.uuid,
            {
              status: 0,
              excType: 'OutpostDependency',
              message: outcome.message,
              reason: outcome.reason,
            },
            ctx.stamp(),
          );
          rejected.push({ uuid: job.uuid, seq: job.seq, reason: outcome.reason });
          break;
      }
    }
    return { pushed, rejected, blocked, queued, retryAt: null, retryError: null };
  }

  /**
   * A document ERPNext refused on submit leaves its draft there; a sale is never left parked as
   * a draft (someone could submit it by hand, or it lingers unseen), so the draft is deleted
   * (ERPNext keeps a Deleted Document copy) and a retry inserts it afresh. If the delete fails,
   * the review says so and a retry submits that same draft.
   */
  private async withdrawDraft(uuid: string): Promise<{ deleted: boolean; note: string }> {
    const held = this.jobs.get(uuid);
    if (held?.state !== 'draft' || !held.remoteName) return { deleted: false, note: '' };
    const what = `${held.remoteDoctype} ${held.remoteName}`;
    try {
      await this.o.client.delete(held.remoteDoctype, held.remoteName);
      return { deleted: true, note: ` (its draft ${what} was deleted from ERPNext)` };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.log(`push: could not delete the refused draft ${what}: ${why}`);
      return {
        deleted: false,
        note: ` (its draft ${what} is still in ERPNext: deleting it failed: ${why})`,
      };
    }
  }

  private async handle(ctx: PushContext, job: Job, draft?: BatchDraft): Promise<Outcome> {
    let entry: PushEntry;
    try {
      entry = this.o.source.entry(job.uuid);
    } catch (e) {
      throw new EntryError(e instanceof Error ? e.message : String(e));
    }
    if (entry.doctype === 'POS Opening Entry') return pushOpening(ctx, job, entry);
    if (entry.doctype === 'POS Closing Entry') return pushClosing(ctx, job, entry);
    if (entry.action === 'cancel') return pushVoid(ctx, job, entry);
    if (entry.action === 'insert') return pushInvoice(ctx, job, entry, draft);
    return {
      kind: 'review',
      message: `outbox row ${job.uuid}: ${entry.doctype} is not a document the push knows`,
      reason: 'the till queued something this version of Outpost cannot send',
    };
  }

  /**
   * Passes until nothing more can be done now: all done, or only blocked, queued or in
   * review, or a retryable failure whose backoff is still running. `wait: true` sleeps
   * through backoffs and queued closings until the stream is drained or `signal` aborts.
   */
  async drain(
    options: { wait?: boolean; signal?: AbortSignal; maxPasses?: number } = {},
  ): Promise<PassResult[]> {
    const results: PassResult[] = [];
    const max = options.maxPasses ?? Number.POSITIVE_INFINITY;
    while (results.length < max && !options.signal?.aborted) {
      const r = await this.pass();
      results.push(r);
      const open = this.jobs.open();
      const waiting = r.retryAt !== null || r.queued > 0;
      if (r.pushed.length > 0 || r.rejected.length > 0) continue;
      if (!waiting || !options.wait || open.length === 0) break;
      const next = r.retryAt ?? Math.min(...open.map((j) => j.nextAt).filter((t) => t > 0));
      await this.clock.sleep(Math.max(0, next - this.clock.now()), options.signal);
    }
    return results;
  }
}
