import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { customerSchema, customersSchema, type Customer } from '../api/schemas';
import type { Auth } from '../auth';
import { message } from '../messages';

const DEBOUNCE_MS = 150;

/**
 * The sale's customer: walk-in until one is chosen. Search by name, phone (any ending), e-mail
 * or loyalty card; or create one at the till (ERPNext gets it with the next push).
 */
export function CustomerPicker({
  auth,
  current,
  onPick,
}: {
  auth: Auth;
  current: { name: string; customer_name: string } | undefined;
  onPick: (c: { name: string; customer_name: string } | undefined) => void;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [found, setFound] = useState<Customer[]>([]);
  const [creating, setCreating] = useState(false);
  const [mobile, setMobile] = useState('');
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  useEffect(() => {
    const q = text.trim();
    const n = ++asked.current;
    if (!open || q.length < 2) {
      setFound([]);
      return;
    }
    const t = setTimeout(() => {
      auth.api.get(`/api/customers?search=${encodeURIComponent(q)}`, customersSchema).then(
        (r) => n === asked.current && setFound(r.customers.slice(0, 8)),
        () => n === asked.current && setFound([]),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [auth, text, open]);
  const pick = (c: { name: string; customer_name: string } | undefined) => {
    onPick(c);
    setOpen(false);
    setText('');
    setCreating(false);
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const c = await auth.api.post(
        '/api/customers',
        { customer_name: text.trim(), ...(mobile.trim() ? { mobile_no: mobile.trim() } : {}) },
        customerSchema,
      );
      pick({ name: c.name, customer_name: c.customer_name });
    } catch (err) {
      setError(err instanceof ApiError ? message(err) : String(err));
    }
  };
  if (!open) {
    return (
      <div className="customer">
        <span>
          Customer: <strong data-testid="customer">{current?.customer_name ?? 'Walk-in'}</strong>
        </span>
        <button type="button" onClick={() => setOpen(true)}>
          {current ? 'Change' : 'Add customer'}
        </button>
        {current && (
          <button type="button" onClick={() => pick(undefined)}>
            Walk-in
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="customer open">
      <label htmlFor="customer-search">Customer name, phone or card</label>
      <input
        id="customer-search"
        autoComplete="off"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      />
      <ul className="found" aria-label="Customers found">
        {found.map((c) => (
          <li key={c.name}>
            <button
              type="button"
              onClick={() => pick({ name: c.name, customer_name: c.customer_name })}
            >
              {c.customer_name}
              {c.mobile_no ? ` · ${c.mobile_no}` : ''}
            </button>
          </li>
        ))}
      </ul>
      {creating ? (
        <form onSubmit={(e) => void create(e)} className="create">
          <label htmlFor="customer-mobile">Mobile (optional)</label>
          <input
            id="customer-mobile"
            inputMode="tel"
            value={mobile}
            onChange={(e) => setMobile(e.target.value)}
          />
          <button type="submit" className="primary" disabled={text.trim().length === 0}>
            Create “{text.trim()}”
          </button>
        </form>
      ) : (
        <button type="button" disabled={text.trim().length === 0} onClick={() => setCreating(true)}>
          New customer…
        </button>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="button" className="link" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </div>
  );
}
