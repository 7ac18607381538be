import { outboxEntry } from '../pos/index.js';
import type { HttpErpClient } from '../erpnext/client.js';
import { backoffPolicy } from '../sync/push/backoff.js';
import { PushCycle } from '../sync/push/cycle.js';
import type { PushClock } from '../sync/push/types.js';
import type { StoreConfig } from './config.js';
import { journalRead, type Till } from './till.js';

/**
 * The push as the CLI runs it on the till: documents read from the till's verified journal,
 * customers checked against the terminal's registered keys, the store's posting mode.
 * OUTPOST_PUSH_BACKOFF_MS is read and checked here, before anything is sent.
 */
export function pushCycleOf(
  dir: string,
  till: Till,
  config: StoreConfig,
  client: HttpErpClient,
  options: { clock?: PushClock; log?: (line: string) => void } = {},
): PushCycle {
  return new PushCycle({
    backoff: backoffPolicy(process.env),
    db: till.db,
    client,
    source: { entry: (uuid) => outboxEntry(till.term, uuid) },
    mode: config.posting_mode,
    journal: journalRead(dir, config),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
