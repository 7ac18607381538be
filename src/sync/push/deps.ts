import type { Job } from './jobs.js';
import type { PushContext } from './context.js';

/** Whether the job `uuid` depends on is far enough along; null when it is done. */
export function dependency(
  ctx: PushContext,
  uuid: string,
  what: string,
  options: { resolvedCounts?: boolean } = {},
):
  | { readonly kind: 'ready'; readonly job: Job }
  | { readonly kind: 'wait' }
  | { readonly kind: 'blocked'; readonly why: string }
  | { readonly kind: 'review'; readonly message: string; readonly reason: string } {
  const job = ctx.jobs.get(uuid);
  if (!job) {
    return {
      kind: 'review',
      message: `${what} ${uuid} is not in the outbox`,
      reason: `this document refers to ${what} the till never queued`,
    };
  }
  if (job.state === 'done') return { kind: 'ready', job };
  if (job.state === 'review') return { kind: 'blocked', why: `${what} ${uuid} is in review` };
  if (job.state === 'resolved') {
    if (options.resolvedCounts) return { kind: 'ready', job };
    return {
      kind: 'review',
      message: `${what} ${uuid} was resolved outside Outpost and never reached ERPNext`,
      reason: `${what} was settled by hand in ERPNext: settle this one there too, then resolve it`,
    };
  }
  return { kind: 'wait' };
}
