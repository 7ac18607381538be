import { useState, type FormEvent } from 'react';
import type { Auth } from '../auth';

/** This browser is not yet a terminal of the store: the operator gives it the device token. */
export function Pair({ auth }: { auth: Auth }) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim().length >= 16) auth.pair(token);
  };
  return (
    <main className="center">
      <form className="card" onSubmit={submit}>
        <h1>Pair this terminal</h1>
        <p>
          Enter the device token of the store node (the file <code>device-token</code> in its data
          directory; the demo prints a link that pairs at once).
        </p>
        <label htmlFor="device-token">Device token</label>
        <input
          id="device-token"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoFocus
        />
        <button type="submit" className="primary" disabled={token.trim().length < 16}>
          Pair
        </button>
      </form>
    </main>
  );
}
