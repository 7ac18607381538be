import { flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { syncLoop } from './sync-loop.js';
import { syncOnce } from './sync-once.js';

const help = `Usage: outpost sync --data DIR [--pull] [--push] [--once] [--json]

Brings the store and ERPNext together. With neither --pull nor --push, both.

  --pull   master data from ERPNext (items, prices, pricing rules, taxes, customers, loyalty,
           stock), published as a new snapshot in one step; an interrupted pull resumes
  --push   what the till recorded, to ERPNext, each exactly once: the customers created here
           first, then the shift openings, sales, returns, voids (cancels) and closings, in
           the order they were signed, as POS Invoices or Sales Invoices (config.json's
           posting_mode). What ERPNext refuses goes to the review queue (\`outpost review\`)
           and the rest goes on; a failure that may pass (network, 5xx, 429) is retried with
           a growing, jittered wait (Retry-After honoured)
  --once   one full cycle (push customers, push documents, pull), then exit. It prints what
           was pushed, what was pulled and what is left
  --json   print that as JSON

Without --once it keeps running: the pull every pull_interval_minutes (config.json), the push
continuously (the outbox is looked at every 2 s; backoff while failing), until SIGINT or
SIGTERM, then it finishes the request in flight and exits 0. Progress goes to stderr.

Exit codes with --once: 0 nothing retryable left (what waits in review does not count: a
person must act there); 4 ERPNext cannot be reached (everything stays queued, the store keeps
selling offline); 5 ERPNext answered but something is still to retry (a backoff running, a
closing ERPNext is still consolidating, a customer not yet pushed): run it again later.

The API key and secret come from OUTPOST_API_KEY and OUTPOST_API_SECRET when set, else from the
secrets file \`outpost init\` wrote (see \`outpost init --help\`).
`;

export const syncCommand: Command = {
  name: 'sync',
  summary: 'pull master data from ERPNext and push sales to it (once, or continuously)',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      pull: { type: 'boolean' },
      push: { type: 'boolean' },
      once: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const neither = !values.pull && !values.push;
    const what = { pull: neither || Boolean(values.pull), push: neither || Boolean(values.push) };
    if (values.once) return syncOnce(dir, what, io, Boolean(values.json));
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await syncLoop(dir, what, io, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
