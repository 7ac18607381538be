import type { Quote } from '../api/schemas';
import type { Formats } from '../format';
import { Totals } from './Totals';

/** Beside the cart while selling: the totals, Pay, hold and recall, clearing the cart. */
export function CartActions({
  quote,
  f,
  by,
  busy,
  lines,
  onPay,
  onHold,
  onRecall,
  onClear,
}: {
  quote: Quote | null;
  f: Formats;
  /** Whose price `quote` is (the page's until the node's comes). */
  by: 'page' | 'node' | null;
  /** The node has not priced this cart yet. */
  busy: boolean;
  lines: number;
  onPay: () => void;
  onHold: () => void;
  onRecall: () => void;
  onClear: () => void;
}) {
  return (
    <>
      <Totals quote={quote} f={f} by={by} />
      {busy && quote === null && (
        <p className="muted" role="status">
          Pricing…
        </p>
      )}
      <button
        type="button"
        className="primary big"
        data-testid="pay"
        disabled={lines === 0 || quote === null}
        onClick={onPay}
      >
        Pay (F9)
      </button>
      <div className="actions">
        <button type="button" data-testid="hold" disabled={lines === 0} onClick={onHold}>
          Hold (F6)
        </button>
        <button type="button" data-testid="recall-list" disabled={lines > 0} onClick={onRecall}>
          Recall (F7)
        </button>
        <button type="button" disabled={lines === 0} onClick={onClear}>
          Clear the cart
        </button>
      </div>
    </>
  );
}
