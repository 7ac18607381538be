import type { ErpClient } from '../../erpnext/client.js';
import type { VerifiedRead } from '../../journal/index.js';
import { pushCustomers, type PushCustomersResult } from './customers.js';
import { PushJobs } from './jobs.js';
import { tillCustomers } from './resolver.js';
import { systemPushClock, type PushClock } from './types.js';
import { PushWorker, type PassResult, type PushOptions, type Pushed } from './worker.js';

export interface CycleOptions extends Omit<PushOptions, 'customers' | 'client'> {
  readonly client: ErpClient;
  /** The terminal's registered keys: customers are sent as their verified records signed them. */
  readonly journal: VerifiedRead;
}

/** What one push cycle did and left. */
export interface CycleResult {
  readonly customers: PushCustomersResult;
  readonly pushed: readonly Pushed[];
  readonly rejected: PassResult['rejected'];
  /** Waiting on something in review, or on a customer not yet in ERPNext. */
  readonly blocked: number;
  /** Closings waiting for ERPNext's background consolidation. */
  readonly queued: number;
  /** When the stream stopped on a retryable failure: when to go on (epoch ms), and why. */
  readonly retryAt: number | null;
  readonly retryError: string | null;
  /**
   * Something a later try may get through by itself: the stream backing off, a closing being
   * consolidated, a customer still to push. What waits only on the review queue is not.
   */
  readonly retryable: boolean;
}

/**
 * One push cycle: the customers created here first (their invoices wait for them), then the
 * document stream, pass after pass while passes make progress (a pushed customer or original
 * unblocks what follows it). A retryable failure ends the cycle at once; a closing that ERPNext
 * is consolidating is polled until `queuedWaitMs` has passed.
 */
export class PushCycle {
  readonly worker: PushWorker;
  private readonly clock: PushClock;
  private readonly jobs: PushJobs;

  constructor(private readonly o: CycleOptions) {
    this.clock = o.clock ?? systemPushClock;
    this.jobs = new PushJobs(o.db);
    this.worker = new PushWorker({ ...o, customers: tillCustomers(o.db) });
  }

  async run(options: { queuedWaitMs?: number; signal?: AbortSignal } = {}): Promise<CycleResult> {
    const start = this.clock.now();
    const customers = await pushCustomers(this.o.db, this.o.client, { journal: this.o.journal });
    const pushed: Pushed[] = [];
    const rejected: PassResult['rejected'][number][] = [];
    let last: PassResult;
    for (;;) {
      last = await this.worker.pass();
      pushed.push(...last.pushed);
      rejected.push(...last.rejected);
      if (last.retryAt !== null || options.signal?.aborted) break;
      if (last.pushed.length > 0 || last.rejected.length > 0) continue;
      if (last.queued === 0) break;
      const next = Math.min(
        ...this.jobs
          .open()
          .filter((j) => j.state === 'queued')
          .map((j) => j.nextAt),
      );
      if (next - start > (options.queuedWaitMs ?? 0)) break;
      await this.clock.sleep(Math.max(0, next - this.clock.now()), options.signal);
    }
    return {
      customers,
      pushed,
      rejected,
      blocked: last.blocked,
      queued: last.queued,
      retryAt: last.retryAt,
      retryError: last.retryError,
      retryable: last.retryAt !== null || last.queued > 0 || customers.pending > 0,
    };
  }
}
