import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { returnSchema, type ReturnResult } from '../api/schemas';
import type { Auth } from '../auth';
import type { Formats } from '../format';
import { message } from '../messages';

export interface ReturnDraft {
  /** The receipt: its number typed, or its QR scanned (the node checks it against its journal). */
  readonly receipt: string;
  /** Items scanned back, by code; none: everything left on the receipt comes back. */
  readonly items: readonly {
    readonly item_code: string;
    readonly item_name: string;
    readonly qty: number;
  }[];
}

export const emptyReturn: ReturnDraft = { receipt: '', items: [] };

/** A scan while returning: the receipt's QR first (or a number), then the goods coming back. */
export function scannedIntoReturn(d: ReturnDraft, code: string): ReturnDraft {
  return d.receipt === '' ? { ...d, receipt: code } : d;
}

/** An item scanned back: one more of it. */
export function itemIntoReturn(d: ReturnDraft, item: { item_code: string; item_name: string }) {
  const had = d.items.find((i) => i.item_code === item.item_code);
  const items = had
    ? d.items.map((i) => (i === had ? { ...i, qty: i.qty + 1 } : i))
    : [...d.items, { item_code: item.item_code, item_name: item.item_name, qty: 1 }];
  return { ...d, items };
}

/**
 * The receipt as the cashier can read it back from the paper: the check code printed under the
 * QR (`T1/9/K7QM-4X2P-AB3C`), an older receipt's number, or what was typed. Only the node
 * resolves a code to its sale, checking it against the journal.
 */
function shortReceipt(r: string): string {
  const code = /^OUTPOST\/([A-Za-z0-9_-]{1,16})\/(\d+)\/([0-9A-Z]{12})$/i.exec(r);
  if (code) {
    const [, terminal, seq, c = ''] = code;
    return `${terminal}/${seq}/${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`;
  }
  return r.startsWith('{') ? (/"invoice_no":"([^"]+)"/.exec(r)?.[1] ?? 'scanned receipt') : r;
}

/**
 * A return against a receipt: scan its QR (or type its number), scan or leave out the goods
 * (none scanned: all that is left on it), and the node refunds to the original modes.
 */
export function Return({
  auth,
  draft,
  onDraft,
  onDone,
  onBack,
  f,
}: {
  auth: Auth;
  draft: ReturnDraft;
  onDraft: (d: ReturnDraft) => void;
  onDone: (r: ReturnResult) => void;
  onBack: () => void;
  f: Formats;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await auth.api.post(
        '/api/returns',
        {
          return_against: draft.receipt,
          ...(draft.items.length > 0
            ? { items: draft.items.map((i) => ({ item_code: i.item_code, qty: String(i.qty) })) }
            : {}),
        },
        returnSchema,
      );
      onDone(r);
    } catch (e) {
      setError(e instanceof ApiError ? message(e) : String(e));
    } finally {
      setBusy(false);
    }
  };
  const take = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim()) onDraft({ ...draft, receipt: typed.trim() });
  };
  return (
    <section className="return" aria-label="Return">
      <h2>Return</h2>
      {draft.receipt === '' ? (
        <form onSubmit={take}>
          <p>Scan the receipt’s QR code, or type its number or the check code under the QR.</p>
          <label htmlFor="return-receipt">Receipt number or check code</label>
          <input
            id="return-receipt"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" disabled={typed.trim() === ''}>
            Use this receipt
          </button>
        </form>
      ) : (
        <>
          <p>
            Against <strong data-testid="return-against">{shortReceipt(draft.receipt)}</strong>
          </p>
          <p className="muted">
            {draft.items.length === 0
              ? 'Everything left on the receipt comes back; scan items to take back only those.'
              : 'Coming back:'}
          </p>
          <ul>
            {draft.items.map((i) => (
              <li key={i.item_code}>
                {f.qty(i.qty)} × {i.item_name}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            data-testid="refund"
            disabled={busy}
            onClick={() => void submit()}
          >
            Refund
          </button>
        </>
      )}
      {error !== null && (
        <p role="alert" className="error" data-testid="return-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          Cancel the return
        </button>
      </div>
    </section>
  );
}
