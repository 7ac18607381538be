import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Auth } from '../auth';
import { message } from '../messages';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', '⌫'] as const;

/** A cashier's login: id and PIN, by keyboard or the on-screen keypad. */
export function Login({ auth }: { auth: Auth }) {
  const [cashier, setCashier] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.login(cashier.trim(), pin);
    } catch (err) {
      setError(err instanceof ApiError ? message(err) : String(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  const press = (k: (typeof KEYS)[number]) => {
    if (k === 'C') setPin('');
    else if (k === '⌫') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < 12 ? p + k : p));
  };
  return (
    <main className="center">
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h1>Cashier login</h1>
        <label htmlFor="cashier-id">Cashier</label>
        <input
          id="cashier-id"
          autoComplete="username"
          value={cashier}
          onChange={(e) => setCashier(e.target.value)}
          autoFocus
        />
        <label htmlFor="cashier-pin">PIN</label>
        <input
          id="cashier-pin"
          type="password"
          inputMode="numeric"
          autoComplete="current-password"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
        />
        <div className="keypad" aria-label="PIN keypad" role="group">
          {KEYS.map((k) => (
            <button
              type="button"
              key={k}
              onClick={() => press(k)}
              aria-label={k === 'C' ? 'Clear PIN' : k === '⌫' ? 'Delete last digit' : k}
            >
              {k}
            </button>
          ))}
        </div>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !cashier || !pin}>
          Log in
        </button>
        <button type="button" className="link" onClick={() => auth.unpair()}>
          Unpair this terminal
        </button>
      </form>
    </main>
  );
}
