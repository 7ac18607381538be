import { backoffPolicy } from '../sync/push/backoff.js';
import { StoreLoops, type LoopNote } from '../server/loops.js';
import type { Io } from './command.js';
import { readStoreConfig } from './config.js';
import { erpClient } from './store-context.js';
import { openTill } from './till.js';
import type { SyncWhat } from './sync-once.js';

/**
 * `outpost sync` without --once: the pull every `pull_interval_minutes` and the push
 * continuously (every 2 s, backing off on failures) until `signal` aborts (SIGINT/SIGTERM); then
 * both stop after the request in flight, and the exit code is 0. The loops are the store node's
 * (`src/server/loops.ts`: connectivity monitor, pull scheduler, push loop, high-water mark);
 * here their notes become progress lines on stderr.
 */
export async function syncLoop(
  dir: string,
  what: SyncWhat,
  io: Io,
  signal: AbortSignal,
): Promise<number> {
  const config = readStoreConfig(dir);
  const erp = erpClient(dir);
  // Always the till: connectivity changes are signed journal records.
  const till = openTill(dir);
  const say = (line: string) => io.stderr(`${new Date().toISOString()} ${line}\n`);
  const loops = new StoreLoops({
    term: till.term,
    erp,
    config: {
      posProfile: config.pos_profile,
      postingMode: config.posting_mode,
      pullIntervalMinutes: config.pull_interval_minutes,
      backoff: backoffPolicy(process.env),
    },
    run: what,
    note: (n) => {
      const line = lineOf(n);
      if (line !== null) say(line);
    },
  });
  try {
    loops.start();
    say(
      `outpost sync: ${[what.push ? 'pushing' : '', what.pull ? `pulling every ${config.pull_interval_minutes} min` : ''].filter(Boolean).join(', ')} (${config.posting_mode}); Ctrl-C to stop`,
    );
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    say('outpost sync: stopping after the request in flight');
    await loops.stop();
    return 0;
  } finally {
    till.close();
  }
}

/** A loop's note as the progress line `outpost sync` prints (null: nothing worth a line). */
function lineOf(n: LoopNote): string | null {
  switch (n.kind) {
    case 'pull':
      return `pull: snapshot ${n.result.snapshot}, ${n.result.deleted} deleted`;
    case 'pull_failed':
      return `pull failed (${n.failures} in a row): ${n.error}`;
    case 'push_log':
      return n.line;
    case 'push_fault':
      return `push stopped by a fault of this process: ${n.error.message}`;
    case 'push': {
      const e = n.result;
      const moved = e.pushed.length + e.customers.pushed + e.customers.matched;
      if (moved + e.rejected.length + e.customers.review === 0 && e.retryAt === null) return null;
      return `push: ${e.pushed.length} document(s), ${e.customers.pushed + e.customers.matched} customer(s) sent; ${e.rejected.length + e.customers.review} to review${e.retryAt ? `; next try ${new Date(e.retryAt).toISOString()}: ${e.retryError ?? ''}` : ''}`;
    }
    case 'connectivity':
      return `connectivity: ${n.change.from} → ${n.change.to} (${n.change.reason}); journaled at seq ${n.seq}`;
    case 'high_water':
      if (n.behind) {
        return `ERPNext holds seq ${n.behind.erpnext} of terminal ${n.terminal}, its local journal ends at ${n.behind.local}: its selling is stopped until a manager runs \`outpost terminal acknowledge --terminal ${n.terminal}\``;
      }
      return n.seq === null ? null : `ERPNext holds terminal ${n.terminal} up to seq ${n.seq}`;
    case 'high_water_failed':
      return `could not ask ERPNext for terminal ${n.terminal}'s high-water mark: ${n.error}`;
  }
}
