import type { Logger } from 'pino';
import type { EventHub } from './events.js';
import type { LoopNote } from './loops.js';

/** The store node's handling of what its loops report: a structured log line and an event. */
export function nodeNotes(logger: Logger, events: EventHub): (n: LoopNote) => void {
  return (n) => {
    switch (n.kind) {
      case 'pull': {
        const { snapshot, deleted, counts } = n.result;
        logger.info({ snapshot, deleted, counts, prices_changed: n.pricesChanged }, 'pull done');
        events.publish('pull', { snapshot, prices_changed: n.pricesChanged });
        return;
      }
      case 'pull_failed':
        logger.warn({ failures: n.failures, error: n.error }, 'pull failed');
        return;
      case 'push': {
        const r = n.result;
        const pushed = r.pushed.length + r.customers.pushed + r.customers.matched;
        const rejected = r.rejected.length + r.customers.review;
        if (pushed + rejected > 0 || r.retryError !== null) {
          logger.info({ pushed, rejected, retry_error: r.retryError, pending: n.pending }, 'push');
        }
        events.publish('push', {
          pushed,
          rejected,
          pending: n.pending,
          retry_at: r.retryAt === null ? null : new Date(r.retryAt).toISOString(),
          retry_error: r.retryError,
        });
        return;
      }
      case 'push_fault':
        logger.error({ err: n.error }, 'push stopped by a fault of this process');
        return;
      case 'push_log':
        logger.info(n.line);
        return;
      case 'connectivity': {
        const { from, to, reason, at } = n.change;
        logger.info({ from, to, reason, seq: n.seq }, 'connectivity');
        events.publish('connectivity', { from, to, reason, at: new Date(at).toISOString() });
        return;
      }
      case 'high_water':
        if (n.behind) {
          logger.error(
            { terminal: n.terminal, ...n.behind },
            'ERPNext holds more of this terminal than the local journal: selling is stopped until a manager acknowledges',
          );
        } else logger.info({ terminal: n.terminal, seq: n.seq }, 'ERPNext high-water mark');
        return;
      case 'high_water_failed':
        logger.warn(
          { terminal: n.terminal, error: n.error },
          "could not ask ERPNext for this terminal's high-water mark",
        );
        return;
    }
  };
}
