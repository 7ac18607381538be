import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { approvalSchema, type Approval } from '../api/schemas';
import type { Auth } from '../auth';
import { message } from '../messages';

/**
 * A manager approves another device's pairing code from this terminal (POST
 * /api/pairing/approve): their id and PIN every time, journaled by the node at this terminal,
 * as `outpost terminal approve` is. Without a terminal named, the node picks the first free one.
 */
export function ApproveDevice({ auth, onBack }: { auth: Auth; onBack: () => void }) {
  const [code, setCode] = useState('');
  const [terminal, setTerminal] = useState('');
  const [manager, setManager] = useState({ id: '', pin: '' });
  const [done, setDone] = useState<Approval | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await auth.api.post(
        '/api/pairing/approve',
        {
          code: code.trim(),
          ...(terminal.trim() !== '' ? { terminal: terminal.trim() } : {}),
          manager,
        },
        approvalSchema,
      );
      setDone(r.approved);
      setCode('');
      setTerminal('');
      setManager({ id: '', pin: '' });
    } catch (err) {
      setError(err instanceof ApiError ? message(err) : String(err));
      setManager((m) => ({ ...m, pin: '' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="devices" aria-label="Approve a device">
      <h2>Approve a device</h2>
      <p className="muted">The new device shows its pairing code. A manager approves it here.</p>
      {done !== null && (
        <p role="status" className="ok" data-testid="device-approved">
          Approved: {done.label || done.device_id} sells at terminal {done.terminal}
          {done.new_terminal ? ' (a new terminal)' : ''}.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="pairing-code">Pairing code</label>
        <input
          id="pairing-code"
          autoComplete="off"
          spellCheck={false}
          placeholder="K7QM-4X2P"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoFocus
        />
        <label htmlFor="pairing-terminal">Terminal (optional: the first free one)</label>
        <input
          id="pairing-terminal"
          autoComplete="off"
          maxLength={16}
          value={terminal}
          onChange={(e) => setTerminal(e.target.value)}
        />
        <fieldset className="approve">
          <legend>Manager approval</legend>
          <label htmlFor="pairing-manager">Manager</label>
          <input
            id="pairing-manager"
            autoComplete="off"
            value={manager.id}
            onChange={(e) => setManager({ ...manager, id: e.target.value })}
          />
          <label htmlFor="pairing-pin">Manager PIN</label>
          <input
            id="pairing-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={manager.pin}
            onChange={(e) => setManager({ ...manager, pin: e.target.value })}
          />
        </fieldset>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={busy || code.trim() === '' || manager.id === '' || manager.pin === ''}
          >
            Approve
          </button>
          <button type="button" onClick={onBack}>
            Back to selling
          </button>
        </div>
      </form>
    </section>
  );
}
