import { useEffect, useState } from 'react';
import { holdsSchema, recalledSchema, type Hold } from '../api/schemas';
import type { Auth } from '../auth';
import { fromHeld, type Cart } from '../cart';
import type { Formats } from '../format';

/** The carts on hold at this node, oldest first; recalling one takes it off hold (once). */
export function Holds({
  auth,
  f,
  onRecall,
  onBack,
}: {
  auth: Auth;
  f: Formats;
  onRecall: (cart: Cart) => void;
  onBack: () => void;
}) {
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    auth.api.get('/api/holds', holdsSchema).then(
      (r) => setHolds(r.holds),
      (e: unknown) => setError(String(e)),
    );
  }, [auth]);
  const recall = (name: string) => {
    auth.api.post(`/api/holds/${encodeURIComponent(name)}/recall`, {}, recalledSchema).then(
      (r) => onRecall(fromHeld(r.cart)),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <section aria-label="Carts on hold">
      <h2>Carts on hold</h2>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {holds?.length === 0 && <p className="muted">No cart is on hold.</p>}
      <ul className="holds">
        {holds?.map((h) => (
          <li key={h.name}>
            <button type="button" data-testid="recall" onClick={() => recall(h.name)}>
              <strong>{h.name}</strong> · {f.time(h.created_at)} · {h.cart.items.length} line
              {h.cart.items.length === 1 ? '' : 's'}
              {h.note ? ` · ${h.note}` : ''}
            </button>
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
