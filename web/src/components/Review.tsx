import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import {
  conflictsSchema,
  decidedSchema,
  reviewSchema,
  type Conflict,
  type ReviewItem,
} from '../api/schemas';
import type { Auth } from '../auth';
import type { Formats } from '../format';
import { message } from '../messages';

/** Sales of the last week are checked for what changed in ERPNext since (UTC dates). */
const CONFLICT_DAYS = 7;

const since = (now: Date): string =>
  new Date(now.getTime() - CONFLICT_DAYS * 86_400_000).toISOString().slice(0, 10);

/**
 * The manager's screen: what ERPNext refused (retry it, or mark it resolved: a manager
 * decides, by their own login or their PIN here; journaled by the node), and the conflicts:
 * prices, rules, items, customers or taxes changed in ERPNext since a sale that used them.
 */
export function Review({
  auth,
  isManager,
  f,
  onBack,
}: {
  auth: Auth;
  isManager: boolean;
  f: Formats;
  onBack: () => void;
}) {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manager, setManager] = useState({ id: '', pin: '' });
  const load = useCallback(() => {
    auth.api.get('/api/review', reviewSchema).then(
      (r) => setItems(r.review),
      (e: unknown) => setError(e instanceof ApiError ? message(e) : String(e)),
    );
    auth.api.get(`/api/conflicts?since=${since(new Date())}`, conflictsSchema).then(
      (r) => setConflicts(r.conflicts),
      (e: unknown) => setError(e instanceof ApiError ? message(e) : String(e)),
    );
  }, [auth]);
  useEffect(load, [load]);
  const decide = async (id: string, action: 'retry' | 'resolve', e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      await auth.api.post(
        `/api/review/${encodeURIComponent(id)}`,
        { action, ...(isManager ? {} : { manager }) },
        decidedSchema,
      );
      load();
    } catch (err) {
      setError(err instanceof ApiError ? message(err) : String(err));
    }
  };
  return (
    <section className="review" aria-label="Review and conflicts">
      <h2>For review</h2>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!isManager && (
        <fieldset className="approve">
          <legend>Manager approval</legend>
          <label htmlFor="mgr-id">Manager</label>
          <input
            id="mgr-id"
            autoComplete="off"
            value={manager.id}
            onChange={(e) => setManager({ ...manager, id: e.target.value })}
          />
          <label htmlFor="mgr-pin">PIN</label>
          <input
            id="mgr-pin"
            type="password"
            inputMode="numeric"
            value={manager.pin}
            onChange={(e) => setManager({ ...manager, pin: e.target.value })}
          />
        </fieldset>
      )}
      {items?.length === 0 && <p className="muted">Nothing waits for review.</p>}
      <ul className="holds">
        {items?.map((i) => (
          <li key={i.id} className="item" data-testid="review-item">
            <strong>{i.invoice_no ?? i.doctype}</strong> — {i.reason}
            <div className="muted">
              {i.message}
              {i.since !== null ? ` · since ${f.dateTime(i.since)}` : ''} · {i.attempts} attempt
              {i.attempts === 1 ? '' : 's'}
            </div>
            <div className="actions">
              {i.actions.map((a) => (
                <button type="button" key={a} onClick={() => void decide(i.id, a)}>
                  {a === 'retry' ? 'Retry' : 'Mark resolved'}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <h2>Changed in ERPNext since the sale</h2>
      {conflicts?.length === 0 && (
        <p className="muted">No conflicts in the last {CONFLICT_DAYS} days.</p>
      )}
      <ul className="holds">
        {conflicts?.map((c, n) => (
          <li key={`${c.invoice_no}-${c.kind}-${c.name}-${n}`} data-testid="conflict">
            <strong>{c.invoice_no}</strong> · {c.kind}
            {c.item_code !== null ? ` · ${c.item_code}` : ''}: {c.at_sale ?? '—'} → {c.now}
            <div className="muted">{c.message}</div>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={onBack}>
          Back to selling
        </button>
      </div>
    </section>
  );
}
