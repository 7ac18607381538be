import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, UNREACHABLE } from '../api/client';
import type { Auth } from '../auth';
import { message } from '../messages';
import { askToPair, pairingState } from '../pairing';
import { clearPending, loadPending, type PendingPairing } from '../pending';

/** How often a waiting device asks whether a manager approved its code. */
const POLL_MS = 1500;

/** What the screen says about a request that can no longer be approved. */
type Ended = 'expired' | 'revoked' | 'forgotten';

const ENDED: Readonly<Record<Ended, string>> = {
  expired: 'expired before a manager approved it',
  revoked: 'was revoked by a manager',
  forgotten: 'is no longer known to the store node',
};

/**
 * This browser is not yet a terminal of the store. It asks to pair and shows the short code;
 * a manager approves it (on another terminal's screen, or `outpost terminal approve CODE`),
 * and the screen moves on to the cashier's login by itself. An operator holding the node's
 * own device token may type it instead.
 */
export function Pair({ auth, reason }: { auth: Auth; reason: string | null }) {
  const [pending, setPending] = useState<PendingPairing | null>(() => loadPending(localStorage));
  const [ended, setEnded] = useState<Ended | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pending === null || ended !== null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const s = await pairingState(pending.device_token);
        if (stopped) return;
        setUnreachable(false);
        if (s.state === 'approved') {
          clearPending(localStorage);
          auth.pair(pending.device_token);
          return;
        }
        if (s.state !== 'pending') {
          setEnded(s.state);
          return;
        }
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.kind === 'DeviceUnknown') {
          setEnded('forgotten');
          return;
        }
        // The node down for a moment: the code stays good, keep asking.
        setUnreachable(e instanceof ApiError && e.kind === UNREACHABLE);
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [auth, pending, ended]);

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      clearPending(localStorage);
      setEnded(null);
      setPending(await askToPair(localStorage, label));
    } catch (err) {
      setError(err instanceof ApiError ? message(err) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    clearPending(localStorage);
    setPending(null);
    setEnded(null);
  };

  if (pending !== null) {
    return (
      <main className="center">
        <section className="card pairing" aria-labelledby="pair-title">
          <h1 id="pair-title">Pair this terminal</h1>
          {ended === null ? (
            <>
              <p>A manager approves this code to make this browser a terminal of the store:</p>
              <p className="pairing-code" data-testid="pairing-code" aria-live="polite">
                {pending.code}
              </p>
              <p className="muted">
                On another terminal: <strong>Devices → Approve a device</strong>. Or on the store
                node: <code>outpost terminal approve {pending.code} --cashier ID --pin PIN</code>.
              </p>
              <p role="status" data-testid="pairing-state">
                {unreachable
                  ? 'The store node does not answer; still waiting for approval…'
                  : 'Waiting for a manager to approve…'}
              </p>
            </>
          ) : (
            <p role="alert" className="error" data-testid="pairing-state">
              The code {pending.code} {ENDED[ended]}. Ask again for a new code.
            </p>
          )}
          <button type="button" className={ended === null ? '' : 'primary'} onClick={again}>
            {ended === null ? 'Cancel and ask again' : 'Ask again'}
          </button>
        </section>
      </main>
    );
  }
  return (
    <main className="center">
      <section className="card pairing" aria-labelledby="pair-title">
        <h1 id="pair-title">Pair this terminal</h1>
        {reason !== null && (
          <p role="alert" className="error" data-testid="unpaired-reason">
            {reason}
          </p>
        )}
        <form onSubmit={(e) => void ask(e)}>
          <p>
            This browser is not a terminal of the store yet. Ask to pair it: a manager approves.
          </p>
          <label htmlFor="device-label">Name of this terminal (optional)</label>
          <input
            id="device-label"
            autoComplete="off"
            maxLength={64}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            autoFocus
          />
          {error !== null && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            Ask to pair
          </button>
        </form>
        <TokenForm auth={auth} />
      </section>
    </main>
  );
}

/** The operator's way: the node's own device token (the file `device-token` in its data directory). */
function TokenForm({ auth }: { auth: Auth }) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim().length >= 16) auth.pair(token);
  };
  return (
    <details>
      <summary>Have a device token?</summary>
      <form onSubmit={submit}>
        <label htmlFor="device-token">Device token</label>
        <input
          id="device-token"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={token.trim().length < 16}>
          Pair
        </button>
      </form>
    </details>
  );
}
