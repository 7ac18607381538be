import type { PostingMode } from '../../erpnext/push-invoice.js';
import type { PushJobs } from './jobs.js';
import type { CustomerResolver, PushClient, PushClock, PushSource } from './types.js';

/** Everything one push pass works with, passed explicitly (no module state). */
export interface PushContext {
  readonly jobs: PushJobs;
  readonly client: PushClient;
  readonly source: PushSource;
  readonly mode: PostingMode;
  readonly customers: CustomerResolver;
  readonly clock: PushClock;
  /** How often a queued closing is looked at again. */
  readonly pollMs: number;
  /** The API user (a closing takes only invoices this user owns); asked once per pass. */
  user(): Promise<string>;
  /** ISO time for the bookkeeping columns. */
  stamp(): string;
}

/**
 * What a job's handler decided:
 * - `done` / `queued`: recorded by the handler;
 * - `wait`: a dependency is not there yet (it comes earlier in the stream or is backing off);
 * - `blocked`: a dependency is in review, or its customer is not in ERPNext yet;
 * - `review`: cannot be pushed as it stands (recorded by the worker).
 */
export type Outcome =
  | { readonly kind: 'done'; readonly doctype: string; readonly name: string }
  | { readonly kind: 'queued'; readonly name: string }
  | { readonly kind: 'wait' }
  | { readonly kind: 'blocked'; readonly why: string }
  | { readonly kind: 'review'; readonly message: string; readonly reason: string };
