import { useEffect, useState } from 'react';
import {
  syncStatusSchema,
  readyEvent,
  connectivityEvent,
  outboxEvent,
  pushEvent,
} from '../api/schemas';
import type { Auth } from '../auth';
import { openEvents } from '../events';

export interface SyncView {
  /** The node's event stream is open (false: this screen cannot reach its node). */
  readonly live: boolean;
  /** ERPNext as the node sees it: online, offline or unknown. */
  readonly connectivity: string;
  readonly pending: number | null;
  readonly review: number | null;
  readonly lastSync: string | null;
  /** Pulls the node published since the screen opened: each may change prices and rules. */
  readonly pulls: number;
}

const initial: SyncView = {
  live: false,
  connectivity: 'unknown',
  pending: null,
  review: null,
  lastSync: null,
  pulls: 0,
};

/** The store's sync status, kept current by the node's events (and a status read after each). */
export function useSync(auth: Auth): SyncView {
  const [view, setView] = useState<SyncView>(initial);
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const s = await auth.api.get('/api/sync/status', syncStatusSchema);
        if (stopped) return;
        setView((v) => ({
          ...v,
          connectivity: s.connectivity,
          pending: s.push.pending,
          review: s.push.in_review,
          lastSync: s.last_push.last_document_at ?? s.last_pull_ok_at ?? null,
        }));
      } catch {
        // The stream's state already says the node is out of reach.
      }
    };
    const stream = openEvents(
      () => auth.headers(),
      (type, data) => {
        if (type === 'ready') {
          const e = readyEvent.safeParse(data);
          if (e.success)
            setView((v) => ({ ...v, connectivity: e.data.connectivity, pending: e.data.pending }));
          void refresh();
        } else if (type === 'connectivity') {
          const e = connectivityEvent.safeParse(data);
          if (e.success) setView((v) => ({ ...v, connectivity: e.data.to }));
        } else if (type === 'outbox') {
          const e = outboxEvent.safeParse(data);
          if (e.success && e.data.pending !== undefined) {
            const pending = e.data.pending;
            setView((v) => ({ ...v, pending }));
          }
        } else if (type === 'push') {
          const e = pushEvent.safeParse(data);
          if (e.success) setView((v) => ({ ...v, pending: e.data.pending }));
          void refresh();
        } else if (type === 'pull') {
          setView((v) => ({ ...v, pulls: v.pulls + 1 }));
          void refresh();
        }
      },
      (live) => setView((v) => ({ ...v, live })),
    );
    return () => {
      stopped = true;
      stream.close();
    };
  }, [auth]);
  return view;
}
