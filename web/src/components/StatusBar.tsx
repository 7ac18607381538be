import type { Formats } from '../format';
import type { SyncView } from '../hooks/useSync';

/** Always on screen: is ERPNext reachable, what waits to be sent, when it last synced. */
export function StatusBar({ sync, f }: { sync: SyncView; f: Formats | null }) {
  const online = sync.live && sync.connectivity === 'online';
  const label = !sync.live
    ? 'Store node unreachable'
    : sync.connectivity === 'online'
      ? 'Online'
      : sync.connectivity === 'offline'
        ? 'Offline — selling goes on'
        : 'Connecting…';
  return (
    <footer className="status" aria-label="Sync status">
      <span className={online ? 'dot online' : 'dot offline'} aria-hidden="true" />
      <span data-testid="connectivity">{label}</span>
      <span>
        Pending: <strong data-testid="pending">{sync.pending ?? '…'}</strong>
      </span>
      <span>
        For review: <strong data-testid="review">{sync.review ?? '…'}</strong>
      </span>
      <span>
        Last sync:{' '}
        <strong data-testid="last-sync">
          {sync.lastSync !== null && f ? f.dateTime(sync.lastSync) : '—'}
        </strong>
      </span>
    </footer>
  );
}
