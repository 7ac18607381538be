import { useEffect, useRef, useState } from 'react';
import type { Auth } from '../auth';

/**
 * The sale's receipt as the node issues it (journaled: the first is the original, any later
 * one a COPY), in an 80 mm print view: the node's receipt HTML in a sandboxed frame (no
 * script runs in it) and the browser's print dialog on that frame alone.
 */
export function Receipt({
  auth,
  invoiceNo,
  title,
  headline,
  against,
  onDone,
}: {
  auth: Auth;
  invoiceNo: string;
  /** "Sale" or "Return". */
  title: string;
  /** What the cashier must act on now: the change to give, the refund to pay out. */
  headline: string;
  /** A return's original receipt, as the node found it. */
  against?: string;
  onDone: () => void;
}) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const issued = useRef(false);
  useEffect(() => {
    // Once: a second request would journal a COPY (StrictMode runs effects twice in development).
    if (issued.current) return;
    issued.current = true;
    auth.api
      .postText(`/api/receipts/${encodeURIComponent(invoiceNo)}`, { format: 'html' })
      .then(setHtml, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [auth, invoiceNo]);
  return (
    <section className="receipt" aria-label="Receipt">
      <h2>
        {title} <span data-testid="invoice-no">{invoiceNo}</span> done
      </h2>
      <p className="change" data-testid="sale-change">
        {headline}
      </p>
      {against !== undefined && <p data-testid="return-of">Against receipt {against}</p>}
      {error !== null && <p className="error">{error}</p>}
      {html !== null && (
        <iframe
          ref={frame}
          title={`Receipt ${invoiceNo}`}
          className="paper"
          sandbox="allow-same-origin allow-modals"
          srcDoc={html}
        />
      )}
      <div className="actions">
        <button
          type="button"
          disabled={html === null}
          onClick={() => frame.current?.contentWindow?.print()}
        >
          Print receipt
        </button>
        <button type="button" className="primary" data-testid="new-sale" onClick={onDone} autoFocus>
          New sale (Enter)
        </button>
      </div>
    </section>
  );
}
